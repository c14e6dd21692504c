import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import {
  Event,
  GreenletExit,
  GreenPile,
  GreenPool,
  type Operation,
  run,
  sleep,
  spawn,
  Timeout,
} from '@verdant/hub';
import { assertIdle, assertThrows } from '@verdant/hub/testing';

afterEach(() => assertIdle());

function* passthru<T>(a: T): Operation<T> {
  yield* sleep(1);
  return a;
}

test('spawn runs at most size threads at once and returns their threads', async () => {
  await run(function* () {
    const pool = new GreenPool(4);
    let inside = 0;
    let peak = 0;
    const work = function* (i: number): Operation<number> {
      inside++;
      peak = Math.max(peak, inside);
      yield* sleep(1);
      inside--;
      return i;
    };
    const threads = [];
    for (let i = 0; i < 10; i++) threads.push(yield* pool.spawn(work, i));
    const results = [];
    for (const t of threads) results.push(yield* t.wait());
    assert.deepEqual(results, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(peak, 4);
  });
});

test('spawnN and waitall', async () => {
  await run(function* () {
    const pool = new GreenPool(4);
    const results: number[] = [];
    for (let i = 0; i < 10; i++) {
      yield* pool.spawnN(function* (a: number) {
        yield* sleep(1);
        results.push(a);
      }, i);
    }
    assert.equal(yield* pool.waitall(), true);
    assert.deepEqual(
      results.sort((a, b) => a - b),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
    assert.equal(pool.running(), 0);
    assert.equal(yield* new GreenPool().waitall(), true, 'waitall on nothing');
  });
});

test('running, waiting and free follow the threads blocked on a full pool', async () => {
  await run(function* () {
    const pool = new GreenPool(1);
    const done = new Event();
    const waiter = function* (): Operation<void> {
      const gt = yield* pool.spawn(function* () {
        yield* done.wait();
      });
      yield* gt.wait();
    };
    assert.equal(pool.running(), 0);
    const waiters = [spawn(waiter)];
    yield* sleep(0);
    assert.equal(pool.waiting(), 0);
    waiters.push(spawn(waiter));
    yield* sleep(0);
    assert.equal(pool.waiting(), 1);
    waiters.push(spawn(waiter));
    yield* sleep(0);
    assert.equal(pool.waiting(), 2);
    assert.equal(pool.running(), 1);
    assert.equal(pool.free(), 0);
    done.send();
    for (const w of waiters) yield* w.wait();
    assert.equal(pool.waiting(), 0);
    assert.equal(pool.running(), 0);
    assert.equal(pool.free(), 1);
  });
});

test('spawnN into a full pool blocks the caller until a slot frees', async () => {
  await run(function* () {
    const p = new GreenPool(2);
    const r: number[] = [];
    const foo = function* (a: number): Operation<void> {
      r.push(a);
    };
    const gt = yield* p.spawn(foo, 1);
    assert.equal(p.free(), 1);
    yield* gt.wait();
    assert.deepEqual(r, [1]);
    assert.equal(p.free(), 2);
    yield* p.spawnN(foo, 2);
    assert.equal(p.free(), 1);
    yield* p.spawnN(foo, 3);
    assert.equal(p.free(), 0);
    assert.deepEqual(r, [1]);
    yield* p.spawnN(foo, 4); // blocks: the others run meanwhile
    assert.deepEqual(new Set(r), new Set([1, 2, 3]));
    yield* p.waitall();
    assert.deepEqual(new Set(r), new Set([1, 2, 3, 4]));
  });
});

test('a pool thread spawning into its own full pool does not deadlock', async () => {
  await run(function* () {
    const pool = new GreenPool(1);
    const outer = yield* pool.spawn(function* () {
      const inner = yield* pool.spawn(function* (a: string) {
        return a;
      }, 'reenter');
      return yield* inner.wait();
    });
    assert.equal(yield* outer.wait(), 'reenter');
    const gt = yield* pool.spawn(function* () {
      return yield* pool.waitall();
    });
    yield* assertThrows(gt.wait(), (e) => /would wait for itself/.test(String(e)));
  });
});

test('failed and killed threads give their slot back', async () => {
  await run(function* () {
    const p = new GreenPool(2);
    yield* p.spawnN(function* () {
      throw new RangeError('boom');
    });
    assert.equal(p.free(), 1);
    yield* p.waitall();
    assert.equal(p.free(), 2);
    const gt = yield* p.spawn(function* () {
      yield* sleep(10_000);
    });
    assert.equal(p.free(), 1);
    gt.kill();
    yield* assertThrows(gt.wait(), (e) => e instanceof GreenletExit);
    assert.equal(p.free(), 2);
  });
});

test('resize while busy: shrinking lets the running finish, growing frees slots', async () => {
  await run(function* () {
    const pool = new GreenPool(2);
    const evt = new Event();
    const waitLong = function* (): Operation<void> {
      yield* evt.wait();
    };
    yield* pool.spawn(waitLong);
    yield* pool.spawn(waitLong);
    assert.equal(pool.free(), 0);
    assert.equal(pool.running(), 2);
    pool.resize(1);
    assert.equal(pool.size, 1);
    evt.send();
    yield* pool.waitall();
    assert.equal(pool.free(), 1);
    assert.equal(pool.running(), 0);
    pool.resize(3);
    assert.equal(pool.free(), 3);
  });
});

test('growing the pool wakes blocked spawners at once', async () => {
  await run(function* () {
    const pool = new GreenPool(1);
    pool.resize(0); // paused: a new pool of 0 is refused, a resize to 0 holds spawners
    const spawner = spawn(function* () {
      const gt = yield* pool.spawn(passthru, 'ran');
      return yield* gt.wait();
    });
    yield* sleep(0);
    assert.equal(pool.waiting(), 1);
    pool.resize(1);
    assert.equal(yield* spawner.wait(), 'ran');
  });
});

test('a spawn that times out while the pool is full leaves the pool intact', async () => {
  await run(function* () {
    const pool = new GreenPool(1);
    const evt = new Event();
    yield* pool.spawn(function* () {
      yield* evt.wait();
    });
    const timeout = new Timeout(5);
    yield* assertThrows(pool.spawn(passthru, 1), (e) => e === timeout);
    assert.equal(pool.waiting(), 0);
    evt.send();
    const gt = yield* pool.spawn(passthru, 'resumed');
    assert.equal(yield* gt.wait(), 'resumed');
    assert.equal(yield* pool.waitall(10), true);
  });
});

test('waitall returns when the last thing it waited on was a spawner that got killed', async () => {
  await run(function* () {
    const pool = new GreenPool(1);
    const evt = new Event();
    const member = yield* pool.spawn(function* () {
      yield* evt.wait();
    });
    const spawner = spawn(function* () {
      yield* pool.spawn(passthru, 1);
    });
    yield* sleep(0);
    assert.equal(pool.waiting(), 1);
    const waiter = spawn(function* () {
      return yield* pool.waitall(2000);
    });
    yield* sleep(0);
    evt.send(); // the member ends: its slot is handed to the spawner...
    yield* member.wait();
    spawner.kill(); // ...which dies before it could use it
    assert.equal(yield* waiter.wait(), true);
    assert.equal(pool.free(), 1);
    yield* assertThrows(spawner.wait(), (e) => e instanceof GreenletExit);
  });
});

test('waitall with a timeout returns false while threads still run', async () => {
  await run(function* () {
    const pool = new GreenPool();
    const gt = yield* pool.spawn(function* () {
      yield* sleep(50);
    });
    assert.equal(yield* pool.waitall(1), false);
    gt.kill();
    assert.equal(yield* pool.waitall(), true);
  });
});

test('imap: ordered results, at most size in flight, consumed one by one', async () => {
  await run(function* () {
    const pool = new GreenPool(4);
    let inside = 0;
    let peak = 0;
    const work = function* (i: number): Operation<number> {
      inside++;
      peak = Math.max(peak, inside);
      yield* sleep((i * 7) % 5); // finish out of order
      inside--;
      return i * 2;
    };
    const it = pool.imap(
      work,
      Array.from({ length: 20 }, (_, i) => i),
    );
    const out: number[] = [];
    for (let r = yield* it.next(); !r.done; r = yield* it.next()) out.push(r.value);
    assert.deepEqual(
      out,
      Array.from({ length: 20 }, (_, i) => i * 2),
    );
    assert.equal(peak, 4);
    assert.deepEqual(yield* it.next(), { done: true, value: undefined });
  });
});

test('imap over nothing is done at once; several iterables zip to the shortest', async () => {
  await run(function* () {
    const pool = new GreenPool(4);
    assert.deepEqual(yield* pool.imap(passthru, []).next(), { done: true, value: undefined });
    const pairs = pool.imap(
      function* (a: number, b: string) {
        yield* sleep(0);
        return `${a}${b}`;
      },
      [1, 2, 3, 4],
      ['a', 'b', 'c'],
    );
    assert.deepEqual(yield* pairs.toArray(), ['1a', '2b', '3c']);
  });
});

test('imap: an error surfaces at the item that raised it, and iteration goes on', async () => {
  await run(function* () {
    const p = new GreenPool(4);
    const raiser = function* (item: number): Operation<number> {
      yield* sleep(0);
      if (item === 1 || item === 7) throw new RangeError('intentional error');
      return item;
    };
    const it = p.imap(raiser, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const results: (number | string)[] = [];
    for (;;) {
      try {
        const r = yield* it.next();
        if (r.done) break;
        results.push(r.value);
      } catch (e) {
        assert.ok(e instanceof RangeError);
        results.push('r');
      }
    }
    assert.deepEqual(results, [0, 'r', 2, 3, 4, 5, 6, 'r', 8, 9]);
  });
});

test('imap reads its input lazily, so an endless generator is fine; close stops it', async () => {
  await run(function* () {
    const pool = new GreenPool(3);
    let produced = 0;
    function* naturals(): Generator<number> {
      for (let i = 0; ; i++) {
        produced++;
        yield i;
      }
    }
    const it = pool.imap(passthru, naturals());
    const firstFive: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = yield* it.next();
      if (!r.done) firstFive.push(r.value);
    }
    assert.deepEqual(firstFive, [0, 1, 2, 3, 4]);
    assert.ok(produced <= 5 + 2 * 3 + 1, `read ${produced} inputs`);
    assert.ok(it.pending() <= 2 * 3);
    it.close();
    assert.deepEqual(yield* it.next(), { done: true, value: undefined });
    assert.equal(yield* pool.waitall(), true);
  });
});

test('starmap spreads each input as arguments', async () => {
  await run(function* () {
    const p = new GreenPool(4);
    const sums = p.starmap(
      function* (a: number, b: number) {
        yield* sleep(0);
        return a + b;
      },
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ] as [number, number][],
    );
    assert.deepEqual(yield* sums.toArray(), [3, 7, 11]);
  });
});

test('a consumer killed while waiting in imap leaves the iterator usable', async () => {
  await run(function* () {
    const pool = new GreenPool(2);
    const it = pool.imap(
      function* (i: number) {
        yield* sleep(10);
        return i;
      },
      [0, 1, 2],
    );
    const timeout = new Timeout(2);
    yield* assertThrows(it.next(), (e) => e === timeout);
    assert.deepEqual(yield* it.toArray(), [0, 1, 2]);
  });
});

test('bad arguments are refused at the call', () => {
  assert.throws(() => new GreenPool(-1), /size must be an integer >= 1/);
  // A pool of 0 could never run anything: every spawn would wait forever.
  assert.throws(
    () => new GreenPool(0),
    (e) =>
      e instanceof RangeError &&
      /^new GreenPool\(size\): size must be an integer >= 1/.test(e.message),
  );
  assert.throws(() => new GreenPile(0), RangeError);
  assert.throws(() => new GreenPool(2.5), RangeError);
  const pool = new GreenPool(2);
  assert.throws(() => pool.spawn((() => 1) as never), /generator function/);
  assert.throws(() => pool.imap(passthru, 5 as never), /must be iterable/);
  assert.throws(() => pool.imap(passthru as never), /at least one iterable/);
  assert.throws(() => pool.waitall(-1), RangeError);
  assert.throws(() => pool.resize(Number.NaN), RangeError);
});
