/**
 * An operation started (its first `next()`) and then dropped, as a
 * combinator that races operations may do, registers nothing that outlives
 * the step: no timer entry that wakes the thread later, no ghost waiter that
 * takes an item or a permit meant for a live one, nothing that keeps the
 * process alive.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { Event, getHub, Queue, run, Semaphore, sleep, spawn, suspend } from '@verdant/hub';
import { assertIdle, useVirtualClock } from '@verdant/hub/testing';

afterEach(() => assertIdle());

/** Starts `op` and drops it, the way a race combinator does with the losers. */
function startAndDrop(op: unknown): void {
  const it = (op as Iterable<unknown>)[Symbol.iterator]();
  it.next();
  it.return?.(undefined);
}

test('a dropped sleep does not wake the thread from its next, untimed wait', async () => {
  const clock = useVirtualClock({ autoAdvance: false });
  try {
    await run(function* () {
      const never = new Event<string>();
      const results: unknown[] = [];
      const onEvent = spawn(function* () {
        startAndDrop(sleep(5));
        results.push(yield* never.wait());
      });
      const onSuspend = spawn(function* () {
        startAndDrop(sleep(5));
        results.push(yield* suspend<unknown>(() => () => {}, 'forever'));
      });
      yield* sleep(0);
      clock.advance(50);
      yield* sleep(0);
      assert.deepEqual(results, [], 'both still wait');
      assert.equal(onEvent.dead || onSuspend.dead, false);
      never.send('now');
      yield* onEvent.wait();
      assert.deepEqual(results, ['now']);
      onSuspend.kill();
    });
  } finally {
    clock.restore();
  }
});

test('a thread that ends right after a dropped sleep leaves no timer behind', async () => {
  await run(function* () {
    const t = spawn(function* () {
      startAndDrop(sleep(60_000));
    });
    yield* t.wait();
    assert.equal(getHub().stats().timers, 0, 'no timer keeps the process alive');
  });
});

test('a dropped Queue.get or Semaphore.acquire leaves no ghost to take the item or the permit', async () => {
  await run(function* () {
    const q = new Queue<number>();
    const getter = spawn(function* () {
      startAndDrop(q.get(true, 1000));
      // In the same step: an item put now must not go to the dropped get.
      q.putNowait(1);
      yield* sleep(0);
    });
    yield* getter.wait();
    q.putNowait(2);
    assert.equal(q.qsize(), 2);
    assert.equal(yield* q.get(), 1);
    assert.equal(yield* q.get(), 2);

    const sem = new Semaphore(0);
    const acquirer = spawn(function* () {
      startAndDrop(sem.acquire(true, 1000));
    });
    yield* acquirer.wait();
    sem.release();
    assert.equal(yield* sem.acquire(false), true, 'the permit is there');
    assert.equal(getHub().stats().timers, 0, "the dropped waits' timeouts are gone");
  });
});

test('two parks in one step: only the one yielded waits', async () => {
  await run(function* () {
    const q = new Queue<string>();
    const ev = new Event<string>();
    const t = spawn(function* () {
      startAndDrop(q.get());
      return yield* ev.wait();
    });
    yield* sleep(0);
    q.putNowait('item');
    ev.send('event');
    assert.equal(yield* t.wait(), 'event');
    assert.equal(q.qsize(), 1, 'the item stayed in the queue');
  });
});

test('on a virtual clock, sleep(n) then advance(n) wakes the thread after a fractional advance', async () => {
  const clock = useVirtualClock({ autoAdvance: false });
  try {
    await run(function* () {
      clock.advance(0.5);
      let woke = false;
      const t = spawn(function* () {
        yield* sleep(10);
        woke = true;
      });
      yield* sleep(0);
      clock.advance(9.75);
      yield* sleep(0);
      assert.equal(woke, false, 'not before its deadline');
      clock.advance(0.25);
      yield* t.wait();
      assert.equal(woke, true);
    });
  } finally {
    clock.restore();
  }
});
