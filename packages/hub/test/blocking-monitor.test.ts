import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { promisify } from 'node:util';
import { getHub, run, sleep, spawn } from '@verdant/hub';
import { assertIdle } from '@verdant/hub/testing';
import { captureLogs } from './fixtures/capture-logs.ts';

afterEach(() => assertIdle());

type Line = Record<string, unknown>;

/** Keeps the hub busy for at least `ms` of real time, without yielding. */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {}
}

const reports = (lines: Line[]) => lines.filter((l) => l.blockedMs !== undefined);

test('a green thread that spins 200 ms without yielding is reported with its name', async () => {
  assert.equal(getHub().maxBlockingMs, 100);
  let spins = 0;
  const lines = await captureLogs((lines) =>
    run(function* () {
      const spinner = spawn(function* () {
        // The watchdog worker starts with the hub's first drain; on a busy
        // machine it may not be looking yet: spin again until it reports.
        while (reports(lines).length === 0 && spins < 50) {
          spins++;
          spin(200);
          yield* sleep();
        }
      });
      spinner.name = 'spinner';
      yield* spinner.wait();
    }),
  );
  const found = reports(lines);
  assert.ok(found.length >= 1, `no report after ${spins} spins`);
  // Once per incident: never more reports than spins.
  assert.ok(found.length <= spins);
  const report = found[0]!;
  assert.equal(report.thread, 'spinner');
  assert.equal(report.level, 40);
  assert.ok((report.blockedMs as number) >= 100, `blockedMs ${report.blockedMs}`);
  assert.match(String(report.msg), /green thread spinner blocked the hub for at least \d+ ms/);
  // Where it yielded next: the `yield* sleep()` in this file.
  assert.match(String(report.yieldedAt), /blocking-monitor\.test\.ts:\d+:\d+$/);
});

test('short steps are not reported, and maxBlockingMs = null turns the monitor off', async () => {
  const hub = getHub();
  const lines = await captureLogs(() =>
    run(function* () {
      for (let i = 0; i < 1000; i++) yield* sleep();
      hub.maxBlockingMs = null;
      assert.equal(hub.maxBlockingMs, null);
      yield* sleep();
      spin(200);
      yield* sleep();
    }),
  );
  hub.maxBlockingMs = 100;
  assert.deepEqual(reports(lines), []);
});

test('maxBlockingMs refuses a bad threshold and keeps the one it had', () => {
  const hub = getHub();
  assert.throws(
    () => {
      hub.maxBlockingMs = '50' as unknown as number;
    },
    {
      name: 'TypeError',
      message: /getHub\(\)\.maxBlockingMs: maxBlockingMs must be .*got string "50"/,
    },
  );
  assert.throws(
    () => {
      hub.maxBlockingMs = -1;
    },
    { name: 'RangeError', message: /getHub\(\)\.maxBlockingMs: maxBlockingMs must be .*got -1/ },
  );
  assert.equal(hub.maxBlockingMs, 100);
});

test('VERDANT_MAX_BLOCKING_MS sets the threshold; "off" and 0 turn it off; garbage keeps the default', async () => {
  const fixture = join(import.meta.dirname, 'fixtures', 'max-blocking-env.mjs');
  const read = async (value: string) => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [fixture], {
      env: { ...process.env, VERDANT_LOG_LEVEL: 'info', VERDANT_MAX_BLOCKING_MS: value },
    });
    return { value: JSON.parse(stdout) as unknown, stderr };
  };
  assert.equal((await read('250')).value, 250);
  assert.equal((await read('off')).value, null);
  assert.equal((await read('0')).value, null);
  const garbage = await read('soon');
  assert.equal(garbage.value, 100);
  assert.match(
    garbage.stderr,
    /VERDANT_MAX_BLOCKING_MS: expected a number of milliseconds >= 0 or \\"off\\", got string \\"soon\\"/,
  );
});
