/**
 * The documented entry points of the packages, read from the root
 * README's "Entry points" table: the one list the exports maps, the load
 * checks and the installed-package checks all compare against.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

/** The packages, each with its folder under packages/. */
export const PACKAGES = {
  '@verdant/hub': 'hub',
  '@verdant/green': 'green',
  '@verdant/patcher': 'patcher',
  '@verdant/eslint-plugin': 'eslint-plugin',
} as const;
export type PackageName = keyof typeof PACKAGES;

/** Paths a consumer must not reach: internals, and the build folder itself. */
export const SEALED = [
  '@verdant/green/park-slot',
  '@verdant/hub/hub',
  '@verdant/patcher/flags',
  '@verdant/hub/dist/esm/hub.js',
  '@verdant/green/dist/cjs/socket.js',
];

/** Package → its documented subpaths (`.`, `./socket`, ...), from the README. */
export function documentedEntryPoints(): Record<PackageName, string[]> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Entry points\n');
  if (start < 0) throw new Error('README.md has no "## Entry points" section');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const found: Partial<Record<PackageName, string[]>> = {};
  for (const line of section.split('\n')) {
    const row = /^\|\s*`(@verdant\/[a-z-]+)`\s*\|(.*)\|\s*$/.exec(line);
    if (row === null) continue;
    const name = row[1] as PackageName;
    if (!(name in PACKAGES)) throw new Error(`README.md's entry points name ${name}`);
    found[name] = [...row[2]!.matchAll(/`(\.[^`]*)`/g)].map((m) => m[1]!);
  }
  for (const name of Object.keys(PACKAGES) as PackageName[]) {
    if (found[name] === undefined) throw new Error(`README.md's entry points miss ${name}`);
  }
  return found as Record<PackageName, string[]>;
}

/** Every documented entry point as an import specifier: `@verdant/green/socket`. */
export function documentedSpecifiers(): string[] {
  return Object.entries(documentedEntryPoints()).flatMap(([name, subpaths]) =>
    subpaths.map((s) => (s === '.' ? name : `${name}/${s.slice(2)}`)),
  );
}
