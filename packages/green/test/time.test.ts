import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import * as time from '@verdant/green/time';
import { run, spawn } from '@verdant/hub';
import { assertIdle } from '@verdant/hub/testing';

afterEach(() => assertIdle());

test('sleep takes milliseconds and lets other threads run', async () => {
  const order: string[] = [];
  await run(function* () {
    const t0 = time.monotonicMs();
    const other = spawn(function* () {
      order.push('other');
    });
    yield* time.sleep(30);
    order.push('me');
    const waited = time.monotonicMs() - t0;
    assert.ok(waited >= 29, `slept ${waited} ms, expected about 30`);
    assert.ok(waited < 1000, `slept ${waited} ms: sleep must take ms, not seconds`);
    yield* other.wait();
  });
  assert.deepEqual(order, ['other', 'me']);
});

test('time() is seconds since the epoch, timeMs() the same clock in ms', () => {
  const s = time.time();
  assert.ok(Math.abs(s - Date.now() / 1000) < 1, `time() = ${s}`);
  assert.ok(Math.abs(time.timeMs() - Date.now()) < 50);
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
