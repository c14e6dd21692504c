import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import {
  BoundedSemaphore,
  CappedSemaphore,
  GreenletExit,
  getHub,
  type Operation,
  run,
  Semaphore,
  sleep,
  spawn,
  withTimeout,
} from '@verdant/hub';
import { assertIdle, assertThrows } from '@verdant/hub/testing';
import { go, resume } from './go.ts';

afterEach(() => assertIdle());

test('acquire takes permits, release gives them back, balance and locked follow', async () => {
  await run(function* () {
    const sem = new Semaphore(2);
    assert.equal(sem.balance, 2);
    assert.equal(yield* sem.acquire(), true);
    assert.equal(yield* sem.acquire(), true);
    assert.equal(sem.locked(), true);
    assert.equal(yield* sem.acquire(false), false);
    const waiter = go(() => sem.acquire());
    yield* sleep(0);
    assert.equal(sem.balance, -1);
    assert.equal(sem.waiting(), 1);
    sem.release();
    assert.equal(yield* waiter.wait(), true);
    sem.release();
    sem.release();
    assert.equal(sem.balance, 2);
  });
});

test('acquire with a timeout returns false after about timeoutMs and leaves no waiter', async () => {
  await run(function* () {
    const sem = new Semaphore(0);
    const start = getHub().now();
    assert.equal(yield* sem.acquire(true, 30), false);
    assert.ok(getHub().now() - start >= 29);
    assert.equal(sem.waiting(), 0);
    sem.release();
    assert.equal(yield* sem.acquire(false), true);
  });
});

test('a timeout with blocking = false is refused', () => {
  const sem = new Semaphore();
  assert.throws(() => sem.acquire(false, 1), /timeoutMs makes no sense/);
  assert.throws(() => new Semaphore(-1), /integer >= 0/);
  assert.throws(() => new Semaphore('foo' as never), TypeError);
  assert.throws(() => new Semaphore(1.5), RangeError);
  assert.doesNotThrow(() => new Semaphore(1e2));
});

test('waiters are served in arrival order; a newcomer cannot overtake', async () => {
  await run(function* () {
    const sem = new Semaphore(1);
    yield* sem.acquire();
    const order: number[] = [];
    const threads = [1, 2, 3].map((n) =>
      spawn(function* () {
        yield* sem.acquire();
        order.push(n);
        sem.release();
      }),
    );
    yield* sleep(0);
    sem.release(); // handed to thread 1
    assert.equal(
      yield* sem.acquire(false),
      false,
      'the released permit already belongs to thread 1',
    );
    for (const t of threads) yield* t.wait();
    assert.deepEqual(order, [1, 2, 3]);
    assert.equal(sem.balance, 1);
  });
});

test('a waiter killed after it was handed a permit passes it on: no permit leaks', async () => {
  await run(function* () {
    const sem = new Semaphore(1);
    yield* sem.acquire();
    const victim = go(() => sem.acquire());
    const next = go(() => sem.acquire());
    yield* sleep(0);
    sem.release(); // to the victim, which has not run yet
    victim.kill();
    assert.equal(yield* next.wait(), true);
    yield* assertThrows(victim.wait(), (e) => e instanceof GreenletExit);
    sem.release();
    assert.equal(sem.balance, 1);
  });
});

test('a waiter killed before any release leaves the line', async () => {
  await run(function* () {
    const sem = new Semaphore(0);
    const victim = go(() => sem.acquire(true, 10_000));
    yield* sleep(0);
    victim.kill();
    yield* assertThrows(victim.wait(), (e) => e instanceof GreenletExit);
    assert.equal(sem.waiting(), 0);
    assert.equal(getHub().stats().timers, 0);
    sem.release();
    assert.equal(sem.balance, 1);
  });
});

test('withPermit holds the permit for the operation and releases it however it ends', async () => {
  await run(function* () {
    const sem = new Semaphore(2);
    let peak = 0;
    let inside = 0;
    const work = function* (n: number): Operation<number> {
      inside++;
      peak = Math.max(peak, inside);
      yield* sleep(1);
      inside--;
      if (n === 3) throw new RangeError('three');
      return n * 10;
    };
    const threads = [1, 2, 3, 4, 5].map((n) =>
      spawn(function* () {
        return yield* sem.withPermit(work, n);
      }),
    );
    const results: (number | string)[] = [];
    for (const t of threads) {
      try {
        results.push(yield* t.wait());
      } catch (e) {
        results.push((e as Error).message);
      }
    }
    assert.deepEqual(results, [10, 20, 'three', 40, 50]);
    assert.equal(peak, 2);
    assert.equal(sem.balance, 2);
    const killed = go(() =>
      sem.withPermit(function* () {
        yield* sleep(10_000);
      }),
    );
    yield* sleep(0);
    assert.equal(sem.balance, 1);
    killed.kill();
    yield* assertThrows(killed.wait(), (e) => e instanceof GreenletExit);
    assert.equal(sem.balance, 2);
    assert.throws(() => sem.withPermit((() => 1) as never), TypeError);
  });
});

test('Timeout at acquire: the semaphore stays consistent', async () => {
  await run(function* () {
    const sem = new Semaphore(1);
    yield* sem.acquire();
    const r = yield* withTimeout(
      5,
      function* () {
        return yield* sem.acquire();
      },
      'timed out',
    );
    assert.equal(r, 'timed out');
    sem.release();
    assert.equal(sem.balance, 1);
  });
});

test('two workers contending for a mutex alternate fairly', async () => {
  await run(function* () {
    const mutex = new Semaphore();
    const counts = [0, 0];
    const worker = function* (no: number): Operation<void> {
      while (Math.min(...counts) < 50) {
        yield* mutex.withPermit(function* () {
          counts[no] = (counts[no] ?? 0) + 1;
          yield* sleep(0);
        });
      }
    };
    const a = spawn(worker, 0);
    const b = spawn(worker, 1);
    yield* a.wait();
    yield* b.wait();
    assert.ok(Math.abs(counts[0]! - counts[1]!) <= 1, `counts ${counts}`);
  });
});

test('BoundedSemaphore refuses a release past its initial value', async () => {
  await run(function* () {
    const sem = new BoundedSemaphore(1);
    assert.throws(() => sem.release(), RangeError);
    yield* sem.acquire();
    sem.release();
    assert.throws(() => sem.release(), /released too many times/);
    assert.equal(sem.balance, 1);
  });
});

test('CappedSemaphore: acquire blocks at 0, release blocks at the limit', async () => {
  await run(function* () {
    const sem = new CappedSemaphore(2, 3);
    assert.equal(yield* sem.acquire(), true);
    assert.equal(yield* sem.acquire(), true);
    const gt1 = go(() => sem.release());
    assert.equal(yield* sem.acquire(), true);
    assert.equal(sem.balance, -3);
    for (let i = 0; i < 3; i++) assert.equal(yield* sem.release(), true);
    assert.equal(sem.bounded(), true);
    assert.equal(yield* sem.release(false), false);
    const gt2 = go(() => sem.acquire());
    assert.equal(yield* sem.release(), true);
    assert.equal(sem.balance, 3);
    assert.equal(yield* gt1.wait(), true);
    assert.equal(yield* gt2.wait(), true);
  });
});

test('CappedSemaphore with a zero limit passes a release straight to an acquirer', async () => {
  await run(function* () {
    const sem = new CappedSemaphore(0, 0);
    const gt = go(() => sem.acquire());
    yield* sleep(0);
    assert.equal(yield* sem.release(), true);
    assert.equal(yield* gt.wait(), true);
    assert.equal(sem.locked(), true);
  });
});

test('CappedSemaphore: timeouts on both sides undo their half', async () => {
  await run(function* () {
    const sem = new CappedSemaphore(0, 1);
    assert.equal(yield* sem.acquire(true, 5), false);
    assert.equal(sem.balance, -1);
    assert.equal(yield* sem.release(), true);
    assert.equal(yield* sem.release(true, 5), false);
    assert.equal(sem.balance, 1);
    assert.equal(yield* sem.acquire(false), true);
    assert.throws(() => new CappedSemaphore(2, 1), /cannot exceed limit/);
  });
});

test('an acquire driven by hand parks until granted, takes a permit its own thread releases between its steps (even if its park is dropped before its next step), and tries anew once its park was dropped', async () => {
  await run(function* () {
    const sem = new Semaphore(1);
    yield* sem.acquire();
    const own = sem.acquire(true, 5000)[Symbol.iterator]();
    assert.equal(own.next().done, false, 'no permit: it parks');
    assert.equal(own.next().done, false, 'a step before the wake-up parks still, not "timed out"');
    sem.release(); // hands the permit to this thread's own waiter, whose wake-up finds it running
    assert.deepEqual(own.next(), { value: true, done: true });
    assert.equal(sem.balance, 0, 'one permit, held: none passed on, none lost');
    const free = sem.acquire()[Symbol.iterator]();
    assert.equal(free.next().done, false);
    yield* sleep(1); // drops its park
    assert.equal(sem.waiting(), 0);
    sem.release();
    assert.deepEqual(free.next(), { value: true, done: true }, 'released while dropped: takes it');
    assert.equal(sem.balance, 0);
    const held = sem.acquire(true, 5000)[Symbol.iterator]();
    assert.equal(held.next().done, false);
    yield* sleep(1);
    assert.equal(held.next().done, false, 'still held: it waits anew');
    assert.equal(sem.waiting(), 1);
    const releaser = spawn(function* () {
      sem.release();
    });
    assert.equal(yield* resume(held), true);
    yield* releaser.wait();
    sem.release();
    assert.equal(sem.balance, 1);
    yield* sem.acquire();
    const served = sem.acquire()[Symbol.iterator]();
    assert.equal(served.next().done, false);
    sem.release(); // hands the permit to this thread's own waiter: its wake-up is lost
    yield* sleep(1); // drops the park: the permit is passed on, to the free ones
    assert.deepEqual(
      served.next(),
      { value: true, done: true },
      'served, then dropped: not "timed out"',
    );
    assert.equal(sem.balance, 0, 'one permit, held: none minted');
    sem.release();
    assert.equal(getHub().stats().timers, 0);
  });
});

test('an acquire abandoned after one step and granted by its own thread hands its permit to the next acquire of that thread', async () => {
  await run(function* () {
    const sem = new Semaphore(1);
    yield* sem.acquire();
    sem.acquire()[Symbol.iterator]().next(); // parks, then is never stepped again
    sem.release(); // grants it the permit: its wake-up finds the thread running
    assert.equal(sem.balance, 0, "the permit is the abandoned waiter's");
    // This one's park replaces the abandoned one, whose permit goes on to it.
    assert.equal(yield* sem.acquire(true, 5000), true);
    assert.equal(sem.balance, 0);
    assert.equal(sem.waiting(), 0);
    sem.release();
    assert.equal(sem.balance, 1, 'one permit: none lost, none minted');
    assert.equal(getHub().stats().timers, 0);
  });
});
