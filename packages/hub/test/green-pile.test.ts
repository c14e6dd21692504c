import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { GreenPile, GreenPool, type Operation, run, sleep, spawn, Timeout } from '@verdant/hub';
import { assertIdle, assertThrows } from '@verdant/hub/testing';

afterEach(() => assertIdle());

function* passthru<T>(a: T): Operation<T> {
  yield* sleep(1);
  return a;
}

test('results come back in spawn order', async () => {
  await run(function* () {
    const p = new GreenPile<number>(4);
    for (let i = 0; i < 10; i++) {
      yield* p.spawn(function* (n: number) {
        yield* sleep((n * 3) % 4); // finish out of order
        return n;
      }, i);
    }
    assert.equal(p.pending(), 10);
    assert.deepEqual(yield* p.toArray(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(p.pending(), 0);
    assert.deepEqual(yield* p.next(), { done: true, value: undefined });
  });
});

test('a spawn that times out on a full pile does not break the sequence', async () => {
  await run(function* () {
    const p = new GreenPile<number | string>(4);
    for (let i = 0; i < 4; i++) yield* p.spawn(passthru, i);
    const timeout = new Timeout(0);
    yield* assertThrows(p.spawn(passthru, 'time out'), (e) => e === timeout);
    for (let i = 4; i < 10; i++) yield* p.spawn(passthru, i);
    assert.deepEqual(yield* p.toArray(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

test('two piles on one pool keep their own order', async () => {
  await run(function* () {
    const pool = new GreenPool(2);
    const pile1 = new GreenPile<number>(pool);
    const pile2 = new GreenPile<number>(pool);
    assert.equal(pile1.pool, pool);
    const bunchOfWork = function* (pile: GreenPile<number>, unique: number): Operation<void> {
      for (let i = 0; i < 10; i++) yield* pile.spawn(passthru, i + unique);
    };
    const w1 = spawn(bunchOfWork, pile1, 0);
    const w2 = spawn(bunchOfWork, pile2, 100);
    yield* w1.wait();
    yield* w2.wait();
    assert.deepEqual(
      yield* pile2.toArray(),
      Array.from({ length: 10 }, (_, i) => 100 + i),
    );
    assert.deepEqual(
      yield* pile1.toArray(),
      Array.from({ length: 10 }, (_, i) => i),
    );
  });
});

test('an error surfaces at its place and the pile goes on; forEach passes indexes', async () => {
  await run(function* () {
    const p = new GreenPile<number>(3);
    for (const n of [1, 2, 3]) {
      yield* p.spawn(function* (x: number) {
        yield* sleep(0);
        if (x === 2) throw new RangeError('two');
        return x;
      }, n);
    }
    assert.deepEqual(yield* p.next(), { done: false, value: 1 });
    yield* assertThrows(p.next(), (e) => e instanceof RangeError);
    const seen: [number, number][] = [];
    yield* p.forEach((v, i) => {
      seen.push([v, i]);
    });
    assert.deepEqual(seen, [[3, 0]]);
  });
});

test('close kills what was not taken', async () => {
  await run(function* () {
    const p = new GreenPile<number>(2);
    let finallies = 0;
    for (let i = 0; i < 2; i++) {
      yield* p.spawn(function* () {
        try {
          yield* sleep(10_000);
          return 1;
        } finally {
          finallies++;
        }
      });
    }
    yield* sleep(0); // let them start, so they have a finally to run
    p.close();
    assert.deepEqual(yield* p.next(), { done: true, value: undefined });
    yield* sleep(0);
    assert.equal(finallies, 2);
    assert.equal(yield* p.pool.waitall(), true);
  });
});

test('stress: three producers into one pile, strictly ordered per producer', async () => {
  await run(function* () {
    const pile = new GreenPile<[number, number]>(5);
    let seed = 1;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const pressure = function* (token: [number, number]): Operation<[number, number]> {
      while (random() < 0.5) yield* sleep(0);
      if (random() < 0.2) throw Object.assign(new Error('pressure'), { token });
      return token;
    };
    const makework = function* (unique: number): Operation<void> {
      for (let i = 0; i < 200; i++) yield* pile.spawn(pressure, [unique, i]);
    };
    const makers = [1, 2, 3].map((u) => spawn(makework, u));
    yield* sleep(0);
    const latest = [-1, -1, -1, -1];
    let received = 0;
    for (;;) {
      let token: [number, number];
      try {
        const r = yield* pile.next();
        if (r.done) {
          if (makers.every((m) => m.dead)) break;
          yield* sleep(0);
          continue;
        }
        token = r.value;
      } catch (e) {
        token = (e as { token: [number, number] }).token;
      }
      received++;
      const [unique, order] = token;
      assert.ok(latest[unique]! < order, `producer ${unique}: ${order} after ${latest[unique]}`);
      latest[unique] = order;
    }
    assert.equal(received, 600);
    assert.deepEqual(latest.slice(1), [199, 199, 199]);
  });
});

test('next(timeoutMs) throws a Timeout and leaves the result for a later next', async () => {
  await run(function* () {
    const p = new GreenPile<string>(2);
    yield* p.spawn(function* () {
      yield* sleep(30);
      return 'slow';
    });
    yield* assertThrows(p.next(1), (e) => e instanceof Timeout);
    assert.equal(p.pending(), 1);
    assert.deepEqual(yield* p.next(1000), { done: false, value: 'slow' });
    assert.throws(() => p.next(-1), RangeError);
  });
});

test('two consumers of one pile never get the same result', async () => {
  await run(function* () {
    const p = new GreenPile<number>(4);
    for (let i = 0; i < 8; i++) yield* p.spawn(passthru, i);
    const consume = function* (): Operation<number[]> {
      const mine: number[] = [];
      for (let r = yield* p.next(); !r.done; r = yield* p.next()) mine.push(r.value);
      return mine;
    };
    const a = spawn(consume);
    const b = spawn(consume);
    const all = [...(yield* a.wait()), ...(yield* b.wait())].sort((x, y) => x - y);
    assert.deepEqual(all, [0, 1, 2, 3, 4, 5, 6, 7]);
  });
});

test('bad arguments are refused at the call', () => {
  assert.throws(() => new GreenPile(-2), /size must be an integer/);
  assert.throws(() => new GreenPile<number>(1).spawn((() => 1) as never), /generator function/);
});
