import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { Event, Queue, run, Semaphore, sleep, spawn, wait } from '@verdant/hub';
import { assertIdle, assertThrows, useVirtualClock } from '@verdant/hub/testing';

afterEach(() => assertIdle());

test('assertThrows(gt.wait, ...) (parentheses forgotten) fails with a TypeError saying so', async () => {
  await run(function* () {
    const gt = spawn(function* () {
      yield* sleep(0);
    });
    assert.throws(
      () => assertThrows(gt.wait as never, () => true),
      (e: unknown) =>
        e instanceof TypeError &&
        /assertThrows\(op, check\): op must be an operation.*write op\(\), with the parentheses.*got function wait/.test(
          e.message,
        ),
    );
    assert.throws(() => assertThrows(gt.wait(), 'no' as never), /check must be a function/);
    yield* gt.wait();
  });
});

test('assertIdle with a bad bound throws at once instead of never settling', () => {
  for (const bad of ['2000', Number.NaN, {}, -1]) {
    assert.throws(
      () => assertIdle(bad as never),
      (e: unknown) =>
        (e instanceof TypeError || e instanceof RangeError) &&
        /^assertIdle\(ms\): ms must be/.test(e.message),
    );
  }
});

test('useVirtualClock(null) is a TypeError naming the call, and leaves the clock real', async () => {
  assert.throws(() => useVirtualClock(null as never), {
    name: 'TypeError',
    message:
      'useVirtualClock(options): options must be an object ({ autoAdvance?: boolean }), got null',
  });
  assert.throws(() => useVirtualClock({ autoAdvance: 'yes' as never }), TypeError);
  await assertIdle(); // it would report a virtual clock left on
});

test('messages name the value as it was given: sleep("10"), link(undefined)', async () => {
  assert.throws(() => sleep('10' as never), {
    message: 'sleep(ms): ms must be a finite number >= 0 (milliseconds), got string "10"',
  });
  await run(function* () {
    const gt = spawn(function* () {});
    assert.throws(() => gt.link(undefined as never), {
      message: 'link(fn): fn must be a function, got undefined',
    });
    yield* gt.wait();
  });
});

test('blocking calls outside a green thread name the call the user made, not suspend', async () => {
  const gt = spawn(function* () {});
  const calls: [string, () => Iterator<unknown>][] = [
    ['GreenThread.wait', () => gt.wait()],
    ['Event.wait', () => new Event().wait()],
    ['Queue.get', () => new Queue().get()],
    ['Semaphore.acquire', () => new Semaphore(0).acquire()],
    ['wait', () => wait(Promise.resolve(1))],
  ];
  for (const [name, call] of calls) {
    assert.throws(
      () => call().next(),
      (e: unknown) =>
        e instanceof Error &&
        e.message.startsWith(`${name} must run inside a green thread`) &&
        !e.message.includes('suspend'),
      name,
    );
  }
  await run(function* () {
    yield* gt.wait();
  });
});
