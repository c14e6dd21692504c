import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { getHub, run, sleep, spawn, spawnAfter, Timeout, withTimeout } from '@verdant/hub';
import { assertIdle, assertThrows, useVirtualClock } from '@verdant/hub/testing';

afterEach(() => assertIdle());

const HOUR = 3_600_000;

test('a program that sleeps an hour runs in milliseconds under an auto-advancing clock', async () => {
  const clock = useVirtualClock();
  try {
    const realStart = performance.now();
    const virtualStart = clock.now();
    const woke: string[] = [];
    await run(function* () {
      const a = spawn(function* () {
        yield* sleep(HOUR);
        woke.push('hour');
      });
      const b = spawn(function* () {
        yield* sleep(HOUR / 2);
        woke.push('half');
      });
      yield* a.wait();
      yield* b.wait();
    });
    assert.deepEqual(woke, ['half', 'hour']);
    assert.ok(clock.now() - virtualStart >= HOUR, 'an hour passed on the virtual clock');
    assert.ok(performance.now() - realStart < 1000, 'in well under a second of real time');
  } finally {
    clock.restore();
  }
});

test('without auto-advance only advance() moves time, firing timers in order', async () => {
  const clock = useVirtualClock({ autoAdvance: false });
  try {
    const fired: number[] = [];
    for (const ms of [300, 100, 200]) getHub().callLater(ms, (n) => fired.push(n), ms);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(fired, [], 'real time does not move the virtual clock');
    clock.advance(150);
    assert.deepEqual(fired, [100]);
    clock.advance(1000);
    assert.deepEqual(fired, [100, 200, 300]);
    assert.throws(() => clock.advance(-1), /advance\(ms\): ms must be a finite number >= 0/);
  } finally {
    clock.restore();
  }
});

test('Timeouts, spawnAfter and withTimeout follow the virtual clock', async () => {
  const clock = useVirtualClock();
  try {
    await run(function* () {
      const timeout = new Timeout(10 * HOUR);
      yield* assertThrows(sleep(20 * HOUR), (e) => e === timeout);
      const later = spawnAfter(HOUR, function* () {
        return 'an hour later';
      });
      assert.equal(yield* later.wait(), 'an hour later');
      const fallback = yield* withTimeout(
        HOUR,
        function* () {
          yield* sleep(2 * HOUR);
          return 'slow';
        },
        'gave up',
      );
      assert.equal(fallback, 'gave up');
    });
  } finally {
    clock.restore();
  }
});

test('restore() hands pending timers back to real time with the time they had left', async () => {
  const clock = useVirtualClock({ autoAdvance: false });
  let woke = 0;
  const sleeper = run(function* () {
    yield* sleep(40);
    woke = performance.now();
  });
  await new Promise((resolve) => setImmediate(resolve));
  clock.advance(20);
  const restoredAt = performance.now();
  clock.restore();
  await sleeper;
  const left = woke - restoredAt;
  assert.ok(left >= 15 && left < 1000, `woke ${left} ms after restore, ~20 ms expected`);
});

test('the hub is not idle while still on a virtual clock', async () => {
  const clock = useVirtualClock();
  assert.match(getHub().idleProblems().join('\n'), /virtual clock/);
  assert.throws(() => useVirtualClock(), /already on a virtual clock/);
  clock.restore();
  clock.restore();
  assert.deepEqual(getHub().idleProblems(), []);
});
