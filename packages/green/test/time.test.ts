import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import * as time from '@verdant/green/time';
import { run, spawn } from '@verdant/hub';
import { assertIdle } from '@verdant/hub/testing';
import { settlesAfter } from './fixtures/settles-after.ts';

afterEach(() => assertIdle());

test('sleep takes milliseconds and lets other threads run', async () => {
  const order: string[] = [];
  await run(function* () {
    const other = spawn(function* () {
      order.push('other');
    });
    // On a stepped virtual clock: asleep at 29 ms, awake at 30 (milliseconds, not seconds).
    const sleeper = yield* settlesAfter(30, function* () {
      yield* time.sleep(30);
      order.push('me');
    });
    yield* sleeper.wait();
    yield* other.wait();
  });
  assert.deepEqual(order, ['other', 'me']);
});

test('time() is seconds since the epoch, timeMs() the same clock in ms', () => {
  // Bracketed by Date.now() rather than compared after the fact, so a busy
  // machine pausing between the calls cannot fail it; 50 ms covers the drift
  // between performance.timeOrigin and Date.now().
  const before = Date.now();
  const s = time.time();
  const ms = time.timeMs();
  const after = Date.now();
  assert.ok(s * 1000 >= before - 50 && s * 1000 <= after + 50, `time() = ${s}`);
  assert.ok(ms >= before - 50 && ms <= after + 50, `timeMs() = ${ms}`);
  assert.ok(!Number.isInteger(s * 1000) || s > 1e9);
});

test('monotonic and perfCounter are seconds, their Ms twins milliseconds', async () => {
  await run(function* () {
    const a = time.monotonic();
    const am = time.monotonicMs();
    const p = time.perfCounter();
    yield* time.sleep(20);
    const ds = time.monotonic() - a;
    const dms = time.monotonicMs() - am;
    assert.ok(ds > 0.015 && ds < 1, `monotonic delta ${ds} s`);
    assert.ok(dms > 15 && dms < 1000, `monotonicMs delta ${dms} ms`);
    assert.ok(time.perfCounter() - p > 0.015);
    assert.ok(Math.abs(time.perfCounterMs() / 1000 - time.perfCounter()) < 0.01);
  });
});

test('sleep rejects bad durations at the call', () => {
  assert.throws(() => time.sleep(-1), /ms must be a finite number >= 0/);
  assert.throws(() => time.sleep('5' as unknown as number), TypeError);
  assert.throws(() => time.sleep(Number.POSITIVE_INFINITY), RangeError);
});
