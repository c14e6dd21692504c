import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Whether Node loads `filename` as an ES module: `.mjs`/`.mts`, or `.js`/`.ts`
 * under a package.json with `"type": "module"`.
 */
export function isEsmFile(filename: string): boolean {
  if (/\.m[jt]s$/.test(filename)) return true;
  if (/\.c[jt]s$/.test(filename) || /\.(json|node)$/.test(filename)) return false;
  for (let dir = dirname(filename); ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { type?: string };
      return pkg.type === 'module';
    } catch {
      if (dirname(dir) === dir) return false;
    }
  }
}

/**
 * The root folder of the package that holds `filename` (nearest package.json
 * with a name, else the file's folder): its files are the target's own.
 */
export function packageRoot(filename: string): string {
  for (let dir = dirname(filename); ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name !== undefined) return dir;
    } catch {
      // no package.json here: keep climbing
    }
    if (dirname(dir) === dir) return dirname(filename);
  }
}

/**
 * Whether `filename` belongs to the package at `root` itself (not to a
 * package nested in its node_modules).
 */
export function isOwnFile(root: string, filename: string): boolean {
  if (!filename.startsWith(`${root}/`)) return false;
  return !filename.slice(root.length).includes('/node_modules/');
}
