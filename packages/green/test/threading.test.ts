import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import * as threading from '@verdant/green/threading';
import * as time from '@verdant/green/time';
import {
  GreenletExit,
  getCurrent,
  getHub,
  type Operation,
  run,
  sleep,
  spawn,
  Timeout,
} from '@verdant/hub';
import { assertThrows, useVirtualClock } from '@verdant/hub/testing';
import { virtualClockPerTest } from './fixtures/virtual-clock-per-test.ts';

const {
  Barrier,
  BoundedSemaphore,
  BrokenBarrierError,
  Condition,
  Event,
  Lock,
  RLock,
  RuntimeError,
  Semaphore,
  Thread,
  Timer,
} = threading;

// The sleeps here order threads, not measure time.
const fileClock = virtualClockPerTest();

/** Runs the rest of an operation a test started by hand, as `yield*` would have. */
function* rest<T>(started: Iterator<unknown, T>): Operation<T> {
  return yield* { [Symbol.iterator]: () => started };
}

/** A thread that takes `lock` and holds it until `letGo` is set. */
function holder(lock: { acquire(): Operation<boolean>; release(): void }, letGo: threading.Event) {
  return spawn(function* () {
    yield* lock.acquire();
    yield* letGo.wait();
    lock.release();
  });
}

// ---- Lock -------------------------------------------------------------------

test('Lock: waiters get it in FIFO order, with timeouts and non-blocking tries', async () => {
  await run(function* () {
    const lock = new Lock();
    const order: number[] = [];
    yield* lock.acquire();
    const ts = [1, 2, 3].map((n) =>
      spawn(function* () {
        yield* lock.with(function* () {
          order.push(n);
          yield* sleep(1);
        });
      }),
    );
    yield* sleep(5);
    assert.equal(yield* lock.acquire(false), false);
    assert.equal(yield* lock.acquire(true, 10), false);
    lock.release();
    for (const t of ts) yield* t.wait();
    assert.deepEqual(order, [1, 2, 3]);
    assert.equal(lock.locked(), false);
    assert.throws(() => lock.acquire(false, 10), /non-blocking call cannot take a timeoutMs/);
    assert.throws(() => lock.acquire(true, -5), RangeError);
    assert.throws(() => lock.acquire('yes' as never), /blocking must be a boolean/);
  });
});

test('Lock and RLock: a waiter killed after being handed the lock passes it on', async () => {
  await run(function* () {
    for (const lock of [new Lock(), new RLock()]) {
      yield* lock.acquire();
      const a = spawn(function* () {
        yield* lock.acquire();
        assert.fail('a must never run with the lock');
      });
      const b = spawn(function* () {
        yield* lock.acquire();
        // An RLock must now belong to b, one level deep: this release frees it.
        lock.release();
        return 'b got it';
      });
      yield* sleep(2);
      lock.release(); // hands it to a...
      a.kill(); // ...which dies before it runs
      assert.equal(yield* b.wait(), 'b got it');
      yield* assertThrows(a.wait(), (e) => e instanceof GreenletExit);
      assert.equal(lock.locked(), false, String(lock));
    }
  });
});

// ---- RLock ------------------------------------------------------------------

test('RLock: re-entry by the owner, release by others is a RuntimeError', async () => {
  await run(function* () {
    const lock = new RLock();
    assert.equal(yield* lock.acquire(), true);
    assert.equal(yield* lock.acquire(), true);
    assert.equal(yield* lock.acquire(false), true);
    const tried = new Event();
    const other = spawn(function* () {
      assert.throws(() => lock.release(), RuntimeError);
      assert.throws(() => lock.release(), /cannot release un-acquired lock/);
      assert.equal(yield* lock.acquire(false), false);
      assert.equal(yield* lock.acquire(true, 5), false);
      tried.set();
      yield* lock.acquire();
      const depth = 2;
      for (let i = 1; i < depth; i++) yield* lock.acquire();
      for (let i = 0; i < depth; i++) lock.release();
      return 'other had it';
    });
    yield* tried.wait(); // hold the lock until other's timed acquire has run out
    lock.release();
    lock.release();
    assert.equal(lock.locked(), true, 'still held once');
    lock.release();
    assert.equal(yield* other.wait(), 'other had it');
    assert.equal(lock.locked(), false);
    assert.throws(() => lock.release(), RuntimeError);
  });
});

test('RLock: nested with-blocks do not deadlock', async () => {
  await run(function* () {
    const lock = new RLock();
    let depth = 0;
    function* recurse(n: number): Operation<void> {
      yield* lock.with(function* () {
        depth = Math.max(depth, n);
        if (n < 5) yield* recurse(n + 1);
      });
    }
    yield* recurse(1);
    assert.equal(depth, 5);
    assert.equal(lock.locked(), false);
  });
});

// ---- Condition --------------------------------------------------------------

test('Condition: notify wakes waiters in the order they waited', async () => {
  await run(function* () {
    const cond = new Condition();
    const woke: number[] = [];
    const ts = [1, 2, 3, 4].map((n) =>
      spawn(function* () {
        yield* cond.with(function* () {
          assert.equal(yield* cond.wait(), true);
          woke.push(n);
        });
      }),
    );
    yield* sleep(5);
    yield* cond.with(function* () {
      cond.notify();
    });
    yield* sleep(5);
    assert.deepEqual(woke, [1]);
    yield* cond.with(function* () {
      cond.notify(2);
    });
    yield* sleep(5);
    assert.deepEqual(woke, [1, 2, 3]);
    yield* cond.with(function* () {
      cond.notifyAll();
    });
    for (const t of ts) yield* t.wait();
    assert.deepEqual(woke, [1, 2, 3, 4]);
  });
});

test('Condition: wait timeout, waitFor, and misuse', async () => {
  await run(function* () {
    const cond = new Condition(new Lock());
    assert.throws(() => cond.wait(), /un-acquired lock/);
    assert.throws(() => cond.notify(), /un-acquired lock/);
    const items: number[] = [];
    const consumer = spawn(function* () {
      return yield* cond.with(function* () {
        const got = yield* cond.waitFor(() => items.length >= 2);
        return [got, [...items]];
      });
    });
    yield* cond.with(function* () {
      const t0 = time.monotonicMs();
      assert.equal(yield* cond.wait(20), false);
      assert.ok(time.monotonicMs() - t0 >= 19);
      assert.equal(cond.lock.locked(), true, 'the lock is held again after a timeout');
      items.push(1);
      cond.notifyAll();
    });
    yield* sleep(5);
    yield* cond.with(function* () {
      items.push(2);
      cond.notifyAll();
    });
    assert.deepEqual(yield* consumer.wait(), [true, [1, 2]]);
    const none = yield* cond.with(function* () {
      return yield* cond.waitFor(() => 0, 15);
    });
    assert.equal(none, 0);
    assert.throws(() => new Condition({} as never), /Lock or RLock/);
  });
});

test('Condition over an RLock held twice: wait releases every level, restores the depth', async () => {
  await run(function* () {
    const lock = new RLock();
    const cond = new Condition(lock);
    const waiter = spawn(function* () {
      yield* lock.acquire();
      yield* lock.acquire();
      const got = yield* cond.wait();
      lock.release();
      assert.equal(lock.locked(), true, 'still held once after the wait');
      lock.release();
      return got;
    });
    yield* sleep(2);
    assert.equal(lock.locked(), false, 'wait released both levels');
    yield* cond.with(function* () {
      cond.notify();
    });
    assert.equal(yield* waiter.wait(), true);
    assert.equal(lock.locked(), false);
  });
});

test('Condition: a waiter killed while waiting still re-acquires, then releases via its with-block', async () => {
  await run(function* () {
    const cond = new Condition();
    const t = spawn(function* () {
      yield* cond.with(function* () {
        yield* cond.wait();
      });
    });
    yield* sleep(5);
    yield* cond.with(function* () {
      t.kill();
      yield* sleep(5); // t needs the lock to unwind: it waits for us
      assert.equal(t.dead, false);
    });
    yield* assertThrows(t.wait(), (e) => e instanceof GreenletExit);
    assert.equal(cond.lock.locked(), false);
  });
});

test('Condition: a Timeout landing while wait re-acquires the lock leaves the holder its lock', async () => {
  for (const make of [() => new Lock(), () => new RLock()]) {
    fileClock.current()?.restore(); // this test steps its own clock by hand
    const clock = useVirtualClock({ autoAdvance: false });
    try {
      await run(function* () {
        const lock = make();
        const cond = new Condition(lock);
        let timeout: Timeout | undefined;
        const t = spawn(function* () {
          timeout = new Timeout(20);
          yield* cond.with(function* () {
            yield* cond.wait();
          });
        });
        yield* sleep(0);
        yield* lock.acquire();
        cond.notify();
        yield* sleep(0); // t wakes and waits for the lock we hold
        clock.advance(20); // its Timeout lands during that re-acquire
        yield* sleep(0);
        assert.equal(lock.locked(), true, `${lock}: main's lock was released under it`);
        assert.equal(t.dead, false, 't left wait() without its lock');
        lock.release();
        yield* assertThrows(t.wait(), (e) => e === timeout);
        assert.equal(lock.locked(), false);
      });
    } finally {
      clock.restore();
    }
  }
});

test('Condition: a second kill landing while wait re-acquires the lock leaves the holder its lock', async () => {
  for (const make of [() => new Lock(), () => new RLock()]) {
    await run(function* () {
      const lock = make();
      const cond = new Condition(lock);
      const t = spawn(function* () {
        yield* cond.with(function* () {
          yield* cond.wait();
        });
      });
      yield* sleep(0);
      yield* lock.acquire();
      t.kill(); // t leaves the wait and queues for the lock we hold...
      yield* sleep(0);
      t.kill(); // ...and is killed again there
      yield* sleep(0);
      assert.equal(lock.locked(), true, `${lock}: main's lock was released under it`);
      assert.equal(t.dead, false, 't left wait() without its lock');
      lock.release();
      yield* assertThrows(t.wait(), (e) => e instanceof GreenletExit);
      assert.equal(lock.locked(), false);
    });
  }
});

// ---- Barrier ----------------------------------------------------------------

test('Condition: a notify handed to a waiter killed before it ran goes to the next one', async () => {
  await run(function* () {
    const cond = new Condition(new Lock());
    const woke: string[] = [];
    const waiter = (name: string) =>
      spawn(function* () {
        yield* cond.with(function* () {
          if (yield* cond.wait(1000)) woke.push(name);
        });
      });
    const a = waiter('a');
    const b = waiter('b');
    const c = waiter('c');
    yield* sleep(2);
    yield* cond.with(function* () {
      cond.notify(); // to a...
      a.kill(); // ...which dies before it runs: b gets the wake-up instead
    });
    yield* assertThrows(a.wait(), (e) => e instanceof GreenletExit);
    yield* b.wait();
    assert.deepEqual(woke, ['b']);
    yield* cond.with(function* () {
      cond.notify();
    });
    yield* c.wait();
    assert.deepEqual(woke, ['b', 'c']);
    assert.equal(cond.lock.locked(), false);
  });
});

test('Barrier: all parties pass together, distinct indexes, action once per cycle', async () => {
  await run(function* () {
    let actions = 0;
    const barrier = new Barrier(3, () => {
      actions++;
    });
    const results: number[][] = [];
    const ts = [0, 1, 2].map((n) =>
      spawn(function* () {
        const mine: number[] = [];
        for (let cycle = 0; cycle < 2; cycle++) {
          yield* sleep(n * 3);
          mine.push(yield* barrier.wait());
        }
        results.push(mine);
      }),
    );
    for (const t of ts) yield* t.wait();
    assert.equal(actions, 2);
    const firstCycle = results.map((r) => r[0]).sort();
    assert.deepEqual(firstCycle, [0, 1, 2]);
    assert.equal(barrier.broken, false);
    assert.equal(barrier.nWaiting, 0);
  });
});

test('Barrier: a party killed after the trip, before it ran, does not break the next round', async () => {
  await run(function* () {
    const barrier = new Barrier(2);
    const first = spawn(function* () {
      return yield* barrier.wait();
    });
    yield* sleep(2);
    assert.equal(yield* barrier.wait(), 1); // trips: `first` is released but has not run yet
    first.kill();
    yield* assertThrows(first.wait(), (e) => e instanceof GreenletExit);
    assert.equal(barrier.broken, false);
    const next = [0, 1].map(() =>
      spawn(function* () {
        return yield* barrier.wait(500);
      }),
    );
    const indexes: number[] = [];
    for (const t of next) indexes.push(yield* t.wait());
    assert.deepEqual(indexes.sort(), [0, 1]);
    assert.equal(barrier.broken, false);
    // A party killed while still waiting does break it.
    const waiting = spawn(function* () {
      return yield* barrier.wait();
    });
    yield* sleep(2);
    waiting.kill();
    yield* assertThrows(waiting.wait(), (e) => e instanceof GreenletExit);
    assert.equal(barrier.broken, true);
  });
});

test('Barrier: a timeout breaks it for every waiter until reset', async () => {
  await run(function* () {
    const barrier = new Barrier(3);
    const waiter = spawn(function* () {
      yield* barrier.wait();
    });
    yield* sleep(2);
    assert.equal(barrier.nWaiting, 1);
    yield* assertThrows(barrier.wait(20), (e) => e instanceof BrokenBarrierError);
    yield* assertThrows(waiter.wait(), (e) => e instanceof BrokenBarrierError);
    assert.equal(barrier.broken, true);
    yield* assertThrows(barrier.wait(), (e) => e instanceof BrokenBarrierError);
    barrier.reset();
    assert.equal(barrier.broken, false);
    const again = [0, 1, 2].map(() =>
      spawn(function* () {
        return yield* barrier.wait();
      }),
    );
    const idx: number[] = [];
    for (const t of again) idx.push(yield* t.wait());
    assert.deepEqual(idx.sort(), [0, 1, 2]);
  });
});

test('Barrier: abort, a failing action, and bad input', async () => {
  await run(function* () {
    const b = new Barrier(2);
    const w = spawn(function* () {
      yield* b.wait();
    });
    yield* sleep(1);
    b.abort();
    yield* assertThrows(w.wait(), (e) => e instanceof BrokenBarrierError);
    const bad = new Barrier(1, () => {
      throw new Error('action failed');
    });
    yield* assertThrows(bad.wait(), (e) => e instanceof Error && e.message === 'action failed');
    assert.equal(bad.broken, true);
    assert.throws(() => new Barrier(0), RangeError);
    assert.throws(() => new Barrier(2, 'x' as never), TypeError);
    assert.throws(() => new Barrier(2).wait(-1), RangeError);
  });
});

test('Lock: an acquire driven by hand parks until its turn, takes the lock its own thread hands it between its steps, and tries anew once its park was dropped', async () => {
  await run(function* () {
    const lock = new Lock();
    yield* lock.acquire();
    const own = lock.acquire(true, 5000)[Symbol.iterator]();
    assert.equal(own.next().done, false, 'locked: it parks');
    assert.equal(own.next().done, false, 'a step before its turn parks still, not "timed out"');
    lock.release(); // hands the lock to this thread's own waiter, whose wake-up finds it running
    assert.deepEqual(own.next(), { value: true, done: true });
    assert.equal(lock.locked(), true);
    const free = lock.acquire()[Symbol.iterator]();
    assert.equal(free.next().done, false);
    yield* sleep(1); // drops its park
    lock.release(); // nobody waits now: unlocked
    assert.equal(lock.locked(), false);
    assert.deepEqual(free.next(), { value: true, done: true }, 'unlocked while dropped: takes it');
    const held = lock.acquire(true, 5000)[Symbol.iterator]();
    assert.equal(held.next().done, false);
    yield* sleep(1);
    assert.equal(held.next().done, false, 'still locked: it waits anew');
    const releaser = spawn(function* () {
      lock.release();
    });
    assert.equal(yield* rest(held), true);
    yield* releaser.wait();
    lock.release();
    assert.equal(lock.locked(), false);
    assert.equal(getHub().stats().timers, 0);
  });
});

test('RLock: an acquire driven by hand whose park was dropped takes the lock if it came free, else waits anew', async () => {
  await run(function* () {
    const rlock = new RLock();
    let letGo = new threading.Event();
    let other = holder(rlock, letGo);
    yield* sleep(0); // the holder takes the lock
    const free = rlock.acquire()[Symbol.iterator]();
    assert.equal(free.next().done, false, 'held by another thread: it parks');
    yield* sleep(1); // drops its park
    letGo.set();
    yield* other.wait(); // released with nobody in line: unowned
    assert.equal(rlock.locked(), false);
    assert.deepEqual(free.next(), { value: true, done: true });
    rlock.release(); // this thread owns it: no RuntimeError
    letGo = new threading.Event();
    other = holder(rlock, letGo);
    yield* sleep(0);
    const held = rlock.acquire()[Symbol.iterator]();
    assert.equal(held.next().done, false);
    yield* sleep(1);
    assert.equal(held.next().done, false, 'still held: it waits anew');
    letGo.set();
    assert.equal(yield* rest(held), true, 'handed the lock by the holder');
    rlock.release();
    yield* other.wait();
    assert.equal(rlock.locked(), false);
  });
});

test('Condition: a wait driven by hand whose park was dropped waits anew for a notify, not "timed out"', async () => {
  await run(function* () {
    const cond = new Condition(new Lock());
    yield* cond.acquire();
    const wait = cond.wait(5000)[Symbol.iterator]();
    assert.equal(wait.next().done, false, 'released the lock and parked');
    yield* sleep(1); // drops its park
    assert.equal(wait.next().done, false, 'not notified: it waits anew');
    const notifier = spawn(function* () {
      yield* cond.with(function* () {
        cond.notify();
      });
    });
    assert.equal(yield* rest(wait), true, 'notified, and holds the lock again');
    assert.equal(cond.lock.locked(), true);
    cond.release();
    yield* notifier.wait();
    assert.equal(getHub().stats().timers, 0);
  });
});

test('Barrier: a party driven by hand whose park was dropped waits on in its round, passes if it tripped meanwhile, and throws if it broke or was reset', async () => {
  await run(function* () {
    const barrier = new Barrier(2);
    const party = () =>
      spawn(function* () {
        return yield* barrier.wait();
      });
    const open = barrier.wait()[Symbol.iterator]();
    assert.equal(open.next().done, false, 'the first of two: it parks');
    yield* sleep(1); // drops its park
    assert.equal(open.next().done, false, 'its round is open: it waits on');
    const last = party();
    assert.equal(yield* rest(open), 0, 'released by the trip, with its index');
    assert.equal(yield* last.wait(), 1);
    const tripped = barrier.wait()[Symbol.iterator]();
    tripped.next();
    yield* sleep(1);
    assert.equal(yield* party().wait(), 1, 'the second party trips it');
    assert.deepEqual(tripped.next(), { value: 0, done: true }, 'its round tripped: it passes');
    const reset = barrier.wait()[Symbol.iterator]();
    reset.next();
    yield* sleep(1);
    barrier.reset();
    assert.throws(
      () => reset.next(),
      (e: unknown) => e instanceof BrokenBarrierError && /reset/.test(e.message),
    );
    const broken = barrier.wait()[Symbol.iterator]();
    broken.next();
    yield* sleep(1);
    barrier.abort();
    assert.throws(() => broken.next(), BrokenBarrierError);
    barrier.reset();
    const own = barrier.wait(5000)[Symbol.iterator]();
    assert.equal(own.next().done, false);
    assert.equal(own.next().done, false, 'a step before the trip parks still');
    barrier.abort(); // from the waiting thread itself: the failure its wake-up could not throw in
    assert.throws(() => own.next(), BrokenBarrierError);
    assert.equal(getHub().stats().timers, 0);
    assert.equal(barrier.nWaiting, 0);
  });
});

test('Lock, Condition, Barrier: a wait driven by hand that its own thread served, then another park dropped, still gets its turn', async () => {
  await run(function* () {
    const lock = new Lock();
    yield* lock.acquire();
    const acquire = lock.acquire()[Symbol.iterator]();
    assert.equal(acquire.next().done, false);
    lock.release(); // hands the lock to this thread's own waiter: its wake-up is lost
    yield* sleep(1); // drops the park: the lock is passed on, to nobody
    assert.deepEqual(acquire.next(), { value: true, done: true }, 'not "timed out"');
    assert.equal(lock.locked(), true);
    lock.release();

    const cond = new Condition(new Lock());
    yield* cond.acquire();
    const wait = cond.wait()[Symbol.iterator]();
    assert.equal(wait.next().done, false, 'released the lock and parked');
    yield* cond.acquire();
    cond.notify(); // notifies this thread's own waiter
    cond.release();
    yield* sleep(1); // drops the park: the notify is passed on, to nobody
    assert.deepEqual(wait.next(), { value: true, done: true }, 'the notify is not lost');
    assert.equal(cond.lock.locked(), true, 'holds the lock again');
    cond.release();

    const barrier = new Barrier(2);
    const party = barrier.wait()[Symbol.iterator]();
    assert.equal(party.next().done, false);
    assert.equal(yield* barrier.wait(), 1, 'the same thread trips it');
    yield* sleep(1); // drops the released party's park
    assert.deepEqual(party.next(), { value: 0, done: true });
    assert.equal(barrier.broken, false, 'its round tripped: nothing broke');
    assert.equal(getHub().stats().timers, 0);
  });
});

test('Lock: an acquire abandoned after one step and handed the lock by its own thread passes it to the next acquire of that thread', async () => {
  await run(function* () {
    const lock = new Lock();
    yield* lock.acquire();
    lock.acquire()[Symbol.iterator]().next(); // parks, then is never stepped again
    lock.release(); // hands it the lock: its wake-up finds the thread running
    assert.equal(lock.locked(), true, "the lock is the abandoned waiter's");
    // This one's park replaces the abandoned one, whose lock goes on to it.
    assert.equal(yield* lock.acquire(true, 5000), true);
    lock.release();
    assert.equal(lock.locked(), false);
    assert.equal(getHub().stats().timers, 0);
  });
});

// ---- Thread -----------------------------------------------------------------

test('Thread: target and args, ident, isAlive, join', async () => {
  await run(function* () {
    const out: unknown[] = [];
    const t = new Thread({
      target: function* (a: number, b: string) {
        yield* sleep(5);
        out.push(a, b, threading.currentThread().name);
      },
      args: [1, 'x'],
      name: 'worker',
    });
    assert.equal(t.ident, null);
    assert.equal(t.isAlive(), false);
    assert.throws(() => t.join(), /before it is started/);
    t.start();
    assert.equal(typeof t.ident, 'number');
    assert.equal(t.isAlive(), true);
    assert.throws(() => t.start(), /only be started once/);
    assert.equal(yield* t.join(), true);
    assert.equal(t.isAlive(), false);
    assert.deepEqual(out, [1, 'x', 'worker']);
  });
});

test('Thread: subclass with a generator run(); join with timeout', async () => {
  class Sleeper extends Thread {
    done = false;
    override *run(): Operation<void> {
      yield* time.sleep(80);
      this.done = true;
    }
  }
  await run(function* () {
    const t = new Sleeper();
    assert.match(t.name, /^Thread-\d+$/);
    t.start();
    const t0 = time.monotonicMs();
    assert.equal(yield* t.join(20), false);
    const waited = time.monotonicMs() - t0;
    assert.ok(waited >= 19, `join(20) took ${waited} ms`);
    assert.equal(t.isAlive(), true);
    assert.equal(t.done, false);
    assert.equal(yield* t.join(), true);
    assert.equal(t.done, true);
    assert.equal(yield* t.join(0), true);
  });
});

test('Thread: joining itself is an error; a failing run does not reach join', async () => {
  await run(function* () {
    const self = new Thread({
      target: function* () {
        assert.throws(() => self.join(), /cannot join current thread/);
      },
    });
    self.start();
    yield* self.join();
    const failing = new Thread({
      target: function* () {
        throw new Error('boom');
      },
    });
    failing.start();
    assert.equal(yield* failing.join(), true);
    assert.throws(() => new Thread({ target: 5 as never }), /target must be a generator function/);
    assert.throws(() => new Thread({ args: 5 as never }), /args must be an array/);
  });
});

test('currentThread, mainThread, enumerate, activeCount, getIdent', async () => {
  assert.equal(threading.currentThread(), threading.mainThread());
  assert.equal(threading.getIdent(), 0);
  await run(function* () {
    const before = threading.activeCount();
    const gate = new Event();
    const t: threading.Thread = new Thread({
      target: function* (): Operation<void> {
        assert.equal(threading.currentThread(), t);
        assert.equal(threading.getIdent(), t.ident);
        yield* gate.wait();
      },
      name: 'listed',
    });
    t.start();
    yield* sleep(1);
    assert.ok(threading.enumerate().includes(t));
    assert.equal(threading.activeCount(), before + 1);
    const me = threading.currentThread();
    assert.equal(me.ident, getCurrent()!.id);
    assert.equal(me, threading.currentThread(), 'the stand-in is stable');
    gate.set();
    yield* t.join();
    assert.ok(!threading.enumerate().includes(t));
  });
});

test('Timer: fires after intervalMs; cancel stops it', async () => {
  await run(function* () {
    const fired: string[] = [];
    const t0 = time.monotonicMs();
    const a = new Timer(30, (what: string) => fired.push(what), ['a']);
    const b = new Timer(30, (what: string) => fired.push(what), ['b']);
    a.start();
    b.start();
    yield* sleep(5);
    b.cancel();
    yield* a.join();
    yield* b.join();
    assert.deepEqual(fired, ['a']);
    assert.ok(time.monotonicMs() - t0 >= 29);
    const g = new Timer(1, function* () {
      yield* sleep(1);
      fired.push('generator');
    });
    g.start();
    yield* g.join();
    assert.deepEqual(fired, ['a', 'generator']);
    assert.throws(() => new Timer(-1, () => {}), RangeError);
  });
});

// ---- Semaphore, Event, local ---------------------------------------------------

test('Semaphore and BoundedSemaphore (hub primitives) with Python names', async () => {
  await run(function* () {
    const sem = new Semaphore(2);
    let inside = 0;
    let most = 0;
    const ts = [1, 2, 3, 4, 5].map(() =>
      spawn(function* () {
        yield* sem.with(function* () {
          most = Math.max(most, ++inside);
          yield* sleep(2);
          inside--;
        });
      }),
    );
    for (const t of ts) yield* t.wait();
    assert.equal(most, 2);
    assert.equal(yield* sem.acquire(false), true);
    assert.equal(yield* sem.acquire(false), true);
    assert.equal(yield* sem.acquire(true, 5), false);
    sem.release(2);
    const bounded = new BoundedSemaphore(2);
    yield* bounded.acquire();
    assert.throws(() => bounded.release(2), RangeError);
    bounded.release();
    assert.throws(() => bounded.release(), /too many times/);
  });
});

test('Event: set, clear, wait with timeout', async () => {
  await run(function* () {
    const ev = new Event();
    assert.equal(ev.isSet(), false);
    assert.equal(yield* ev.wait(10), false);
    const waiter = spawn(function* () {
      return yield* ev.wait();
    });
    yield* sleep(1);
    ev.set();
    assert.equal(yield* waiter.wait(), true);
    assert.equal(yield* ev.wait(), true);
    ev.clear();
    assert.equal(ev.isSet(), false);
    assert.equal(yield* ev.wait(5), false);
    assert.throws(() => ev.wait(-1), RangeError);
  });
});

test('local: each green thread sees its own attributes', async () => {
  await run(function* () {
    const data = threading.local<{ name?: string }>();
    data.name = 'outer';
    const seen: (string | undefined)[] = [];
    const ts = ['a', 'b'].map((n) =>
      spawn(function* () {
        seen.push(data.name);
        data.name = n;
        yield* sleep(1);
        seen.push(data.name);
      }),
    );
    for (const t of ts) yield* t.wait();
    assert.deepEqual(seen, [undefined, undefined, 'a', 'b']);
    assert.equal(data.name, 'outer');
  });
});

test('killing a thread blocked on a lock, a condition or a barrier leaves nothing behind', async () => {
  await run(function* () {
    const lock = new Lock();
    yield* lock.acquire();
    const cond = new Condition();
    const barrier = new Barrier(5);
    const ts = [
      spawn(function* () {
        yield* lock.acquire();
      }),
      spawn(function* () {
        yield* cond.with(() => cond.wait());
      }),
      spawn(function* () {
        const t = new Timeout(5);
        try {
          yield* lock.acquire();
        } finally {
          t.cancel();
        }
      }),
    ];
    yield* sleep(2);
    for (const t of ts.slice(0, 2)) t.kill();
    for (const t of ts) yield* assertThrows(t.wait(), () => true);
    lock.release();
    assert.equal(yield* lock.acquire(false), true, 'no dead waiter holds the lock');
    lock.release();
    assert.equal(barrier.nWaiting, 0);
  });
});

/** Runs `body` (JS using main, spawn, threading, time, log) as a program of its own. */
function runProgram(body: string): { stdout: string; status: number | null } {
  const script = `
    import { main, spawn } from '@verdant/hub';
    import * as threading from '@verdant/green/threading';
    import * as time from '@verdant/green/time';
    const log = (s) => process.stdout.write(s + '\\n');
    ${body}
  `;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 10000,
    env: { ...process.env, VERDANT_LOG_LEVEL: 'silent' },
  });
}

test('daemon Threads are killed when main and every non-daemon Thread have ended', () => {
  const r = runProgram(`
    main(function* () {
      const daemon = new threading.Thread({ daemon: true, target: function* () {
        try { for (;;) yield* time.sleep(10); } finally { log('daemon stopped'); }
      }});
      const worker = new threading.Thread({ target: function* () {
        yield* time.sleep(100);
        log('worker done, daemon alive: ' + daemon.isAlive());
      }});
      daemon.start();
      worker.start();
      log('main done');
    });
  `);
  assert.equal(r.stdout, 'main done\nworker done, daemon alive: true\ndaemon stopped\n');
  assert.equal(r.status, 0);
});

test('daemon Threads are reaped even if main itself never calls into threading', () => {
  const r = runProgram(`
    main(function* () {
      spawn(function* () {
        const daemon = new threading.Thread({ daemon: true, target: function* () {
          try { for (;;) yield* time.sleep(10); } finally { log('daemon stopped'); }
        }});
        daemon.start();
        log('main is ' + threading.mainThread().ident + ', alive: ' + threading.mainThread().isAlive());
      });
      yield* time.sleep(20);
      log('main done');
    });
  `);
  assert.match(r.stdout, /^main is [1-9]\d*, alive: true\nmain done\ndaemon stopped\n$/);
  assert.equal(r.status, 0);
});
