/**
 * A newcomer's path: install, then run an example with the command the
 * examples README gives. The install itself builds the packages (the root
 * `prepare` step), so there is no "ran it before building" state in which an
 * example dies with a bare ERR_MODULE_NOT_FOUND. Runs on a copy of the
 * project's own files (tracked and new, never dist or node_modules) in a
 * temp dir, installed from pnpm's store that the suite's install filled.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, afterEach, test } from 'node:test';
import { promisify } from 'node:util';
import { assertIdle } from '@verdant/hub/testing';

afterEach(() => assertIdle());

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const copy = mkdtempSync(join(tmpdir(), 'verdant-fresh-'));
after(() => rmSync(copy, { recursive: true, force: true }));

test('after install, an example runs as the examples README says, with no build step', {
  timeout: 240_000,
}, async () => {
  const { stdout } = await run(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard', '-z'],
    { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
  );
  for (const file of stdout.split('\0')) {
    if (file === '' || !existsSync(join(ROOT, file))) continue; // deleted, not yet committed
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(ROOT, file), join(copy, file));
  }
  assert.equal(existsSync(join(copy, 'packages/hub/dist')), false, 'the copy starts unbuilt');

  await run('npx', ['pnpm@10', 'install', '--frozen-lockfile', '--prefer-offline'], {
    cwd: copy,
    maxBuffer: 64 * 1024 * 1024,
  });
  const example = await run(process.execPath, ['--import', 'tsx', 'examples/hub-tour.ts'], {
    cwd: copy,
  });
  assert.match(example.stdout, /spawned: 5/, 'the example ran to its end');
});
