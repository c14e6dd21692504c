import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import * as thread from '@verdant/green/thread';
import * as time from '@verdant/green/time';
import { getCurrent, run, sleep } from '@verdant/hub';
import { virtualClockPerTest } from './fixtures/virtual-clock-per-test.ts';

// The sleeps here order threads, not measure time.
const _fileClock = virtualClockPerTest();

test('startNewThread runs fn with args and returns its ident', async () => {
  const seen: unknown[] = [];
  await run(function* () {
    const ident = thread.startNewThread(
      function* (a: number, b: string) {
        seen.push(a, b, thread.getIdent());
      },
      [1, 'two'],
    );
    assert.equal(typeof ident, 'number');
    assert.notEqual(ident, thread.getIdent());
    yield* time.sleep(5);
    assert.deepEqual(seen, [1, 'two', ident]);
  });
});

test('getIdent is the green thread id, 0 outside', async () => {
  assert.equal(thread.getIdent(), 0);
  await run(function* () {
    assert.equal(thread.getIdent(), getCurrent()!.id);
  });
});

test('allocateLock gives a Lock; releasing it unlocked is a RuntimeError', async () => {
  await run(function* () {
    const lock = thread.allocateLock();
    assert.ok(lock instanceof thread.LockType);
    assert.equal(yield* lock.acquire(), true);
    assert.equal(lock.locked(), true);
    assert.equal(yield* lock.acquire(false), false);
    assert.equal(yield* lock.acquire(true, 10), false);
    lock.release();
    assert.throws(() => lock.release(), thread.error);
    assert.throws(() => lock.release(), /release unlocked lock/);
  });
});

test('exit ends the thread quietly and runs finally blocks', async () => {
  const events: string[] = [];
  await run(function* () {
    thread.startNewThread(function* () {
      try {
        yield* sleep(1);
        thread.exit();
        events.push('not reached');
      } finally {
        events.push('finally');
      }
    });
    yield* time.sleep(10);
  });
  assert.deepEqual(events, ['finally']);
  assert.throws(() => thread.exit(), /inside a green thread/);
});

test('stackSize is 0 and setting it is a no-op', () => {
  assert.equal(thread.stackSize(), 0);
  assert.equal(thread.stackSize(1 << 20), 0);
  assert.throws(() => thread.stackSize(-1), RangeError);
});

test('startNewThread rejects a non-generator and non-array args', () => {
  assert.throws(() => thread.startNewThread((() => {}) as never), /generator function/);
  assert.throws(
    () => thread.startNewThread(function* () {}, 'x' as unknown as []),
    /args must be an array/,
  );
});

test('interruptMain kills the green threads of main() like Ctrl-C', () => {
  const script = `
    import { main, sleep } from '@verdant/hub';
    import * as thread from '@verdant/green/thread';
    main(function* () {
      try {
        thread.interruptMain();
        yield* sleep(5000);
      } finally {
        process.stdout.write('finally ran\\n');
      }
    });
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 10000,
    env: { ...process.env, VERDANT_LOG_LEVEL: 'silent' },
  });
  assert.equal(r.stdout, 'finally ran\n');
  assert.equal(r.status, 130);
});
