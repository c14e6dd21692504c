import assert from 'node:assert/strict';
import { spawn as spawnChild } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { assertIdle } from '@verdant/hub/testing';

afterEach(() => assertIdle());

const fixtures = join(import.meta.dirname, 'fixtures');

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a fixture in its own Node process; `onStdout` may act on what it prints. */
function runFixture(
  name: string,
  onStdout?: (text: string, child: ReturnType<typeof spawnChild>) => void,
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawnChild(process.execPath, [join(fixtures, name)], {
      env: { ...process.env, VERDANT_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout!.on('data', (d) => {
      stdout += d;
      onStdout?.(stdout, child);
    });
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

test('main runs the program and the process exits 0', async () => {
  const out = await runFixture('main-ok.mjs');
  assert.equal(out.stdout, 'done, main thread known: true\n');
  assert.equal(out.code, 0);
  assert.equal(out.stderr, '');
});

test('main logs a failure through pino and sets a non-zero exit code', async () => {
  const out = await runFixture('main-fails.mjs');
  assert.equal(out.code, 1);
  const line = JSON.parse(out.stderr.trim().split('\n').at(-1)!);
  assert.equal(line.level, 60);
  assert.equal(line.thread, 'main');
  assert.match(line.err.stack, /main went wrong/);
});

test('an error main takes from a thread it waits on is logged once, by that thread', async () => {
  const out = await runFixture('main-waits-on-failure.mjs');
  assert.equal(out.code, 1);
  const lines = out.stderr
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { thread: string; msg: string; err?: { message: string } });
  const failures = lines.filter((l) => l.err?.message === 'the worker went wrong');
  assert.deepEqual(
    failures.map((l) => [l.thread, l.msg]),
    [['worker', 'green thread worker failed']],
  );
});

test('SIGINT kills every green thread, runs their finally blocks, and exits with 130', async () => {
  const out = await runFixture('main-signal.mjs', (text, child) => {
    if (text === 'ready\n') setTimeout(() => child.kill('SIGINT'), 20);
  });
  assert.equal(out.code, 130);
  assert.deepEqual(out.stdout.split('\n').filter(Boolean).sort(), [
    'main finally',
    'ready',
    'worker finally',
  ]);
});

test('SIGTERM exits with 143 after unwinding', async () => {
  const out = await runFixture('main-signal.mjs', (text, child) => {
    if (text === 'ready\n') setTimeout(() => child.kill('SIGTERM'), 20);
  });
  assert.equal(out.code, 143);
  assert.match(out.stdout, /worker finally/);
});

test('a main thread blocked forever gets a DeadlockError instead of a silent exit', async () => {
  const out = await runFixture('main-deadlock.mjs');
  assert.equal(out.stdout, 'unwound\n');
  assert.equal(out.code, 1);
  assert.match(out.stderr, /DeadlockError.*an event nobody sends/);
});

test('the process exits by itself when nothing is runnable or pending', async () => {
  const out = await runFixture('exits-when-idle.mjs');
  assert.equal(out.code, 0);
  const ms = Number(/exit after (\d+) ms/.exec(out.stdout)?.[1]);
  assert.ok(ms < 5000, `exited after ${ms} ms, not held by the killed 10 s sleeper`);
});

test('the ESM and CJS builds loaded together share one hub', async () => {
  const out = await runFixture('dual-package.cjs');
  assert.equal(out.code, 0, out.stderr);
  const report = JSON.parse(out.stdout);
  assert.deepEqual(report.result, {
    value: 'cjs thread, esm sleep',
    exitIsShared: true,
    threadIsShared: true,
    current: true,
  });
  assert.equal(report.spawned, 3);
});
