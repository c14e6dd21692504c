import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { assertIdle } from '@verdant/hub/testing';
import {
  documentedEntryPoints,
  documentedSpecifiers,
  PACKAGES,
  type PackageName,
  ROOT,
  SEALED,
} from './entry-points.ts';
import { lastJson, runCommand } from './run-command.ts';

afterEach(() => assertIdle());

type Target = string | { [condition: string]: Target };

/** Every file an export's conditions point at (import/require, types/default). */
function targets(target: Target): string[] {
  return typeof target === 'string' ? [target] : Object.values(target).flatMap(targets);
}

function load(script: string, specifiers: string[]): Promise<Record<string, string>> {
  return runCommand(
    process.execPath,
    [join(import.meta.dirname, 'fixtures', script), ...specifiers],
    {
      cwd: ROOT,
    },
  ).then((ran) => lastJson(ran) as Record<string, string>);
}

test('each exports map names exactly the documented entry points, and their files exist', () => {
  const documented = documentedEntryPoints();
  for (const [name, folder] of Object.entries(PACKAGES)) {
    const dir = join(ROOT, 'packages', folder);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      exports: Record<string, Target>;
    };
    const subpaths = Object.keys(pkg.exports).filter((k) => k !== './package.json');
    assert.deepEqual(subpaths.sort(), [...documented[name as PackageName]].sort(), name);
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      for (const file of targets(target)) {
        assert.ok(existsSync(join(dir, file)), `${name} ${subpath}: ${file} is missing`);
      }
    }
  }
});

test('every documented entry point loads from ESM and from CJS', async () => {
  const specifiers = documentedSpecifiers();
  const ok = Object.fromEntries(specifiers.map((s) => [s, 'ok']));
  assert.deepEqual(await load('load-entry-points.mjs', specifiers), ok);
  assert.deepEqual(await load('load-entry-points.cjs', specifiers), ok);
});

test('internal paths are refused from ESM and from CJS', async () => {
  const refused = Object.fromEntries(SEALED.map((s) => [s, 'ERR_PACKAGE_PATH_NOT_EXPORTED']));
  assert.deepEqual(await load('load-entry-points.mjs', SEALED), refused);
  assert.deepEqual(await load('load-entry-points.cjs', SEALED), refused);
});
