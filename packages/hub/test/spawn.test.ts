import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import {
  GreenletExit,
  GreenThread,
  getCurrent,
  getHub,
  run,
  sleep,
  spawn,
  spawnAfter,
  spawnN,
  Timeout,
  withTimeout,
} from '@verdant/hub';
import { assertIdle, assertThrows, useVirtualClock } from '@verdant/hub/testing';
import { resume } from './go.ts';

afterEach(() => assertIdle());

test('spawn runs the function with its arguments and wait() returns its result', async () => {
  const result = await run(function* () {
    const gt = spawn(
      function* (a: number, b: string) {
        yield* sleep(1);
        return `${b}${a * 2}`;
      },
      21,
      'n=',
    );
    assert.ok(gt instanceof GreenThread);
    assert.equal(gt.started, false, 'spawn returns before the thread starts');
    return yield* gt.wait();
  });
  assert.equal(result, 'n=42');
});

test('threads start in spawn order and the spawner keeps running until it blocks', async () => {
  const order: string[] = [];
  await run(function* () {
    for (const name of ['a', 'b', 'c']) {
      spawn(function* () {
        order.push(name);
      });
    }
    order.push('spawner');
    yield* sleep(0);
    order.push('spawner again');
  });
  assert.deepEqual(order, ['spawner', 'a', 'b', 'c', 'spawner again']);
});

test('getCurrent is the running thread inside, null outside', async () => {
  assert.equal(getCurrent(), null);
  await run(function* () {
    const gt = spawn(function* () {
      return getCurrent();
    });
    assert.equal(yield* gt.wait(), gt);
  });
});

test('spawnN runs fire-and-forget threads', async () => {
  let ran = 0;
  await run(function* () {
    for (let i = 0; i < 100; i++) {
      spawnN(function* (n: number) {
        yield* sleep(0);
        ran += n;
      }, 1);
    }
    yield* sleep(5);
  });
  assert.equal(ran, 100);
});

test('spawnAfter starts the thread after the delay; cancel before it stops it ever running', async () => {
  // On the virtual clock, so "after the delay" is exact rather than a wall-clock bound.
  const clock = useVirtualClock();
  try {
    await run(function* () {
      const start = getHub().now();
      let startedAt = 0;
      const later = spawnAfter(30, function* () {
        startedAt = getHub().now();
        return 'late';
      });
      let ran = false;
      const never = spawnAfter(10, function* () {
        ran = true;
      });
      assert.equal(never.cancel(), true);
      assert.equal(never.dead, true);
      assert.equal(yield* later.wait(), 'late');
      assert.equal(startedAt - start, 30, 'started at its delay');
      yield* sleep(20);
      assert.equal(ran, false);
      assert.equal(later.cancel(), false, 'cancel after start does nothing');
    });
  } finally {
    clock.restore();
  }
});

test('a thread has an id and a name that can be set', async () => {
  await run(function* () {
    const a = spawn(function* () {});
    const b = spawn(function* () {});
    assert.ok(b.id > a.id);
    assert.equal(a.name, `GreenThread-${a.id}`);
    a.name = 'worker';
    assert.equal(a.name, 'worker');
    assert.equal(String(a), '<GreenThread worker>');
    yield* a.wait();
    yield* b.wait();
    assert.equal(a.dead, true);
    assert.equal(a.started, true);
  });
});

test('bad arguments are rejected at the call with a clear message', async () => {
  assert.throws(() => spawn(42 as never), /spawn\(fn\): fn must be a generator function/);
  assert.throws(() => spawn((() => 1) as never), /got a plain function/);
  assert.throws(() => spawn((async () => 1) as never), /async function/);
  assert.throws(() => spawnN(null as never), /spawnN\(fn\)/);
  assert.throws(
    () => spawnAfter('x' as never, function* () {}),
    /spawnAfter\(ms, fn\): ms must be a finite number >= 0/,
  );
  assert.throws(() => spawnAfter(-5, function* () {}), /got -5/);
  assert.throws(() => sleep(Number.NaN), /sleep\(ms\): ms must be a finite number >= 0.*got NaN/);
  assert.throws(() => sleep(-1), /got -1/);
  assert.throws(() => sleep('10' as never), /got string "10"/);
  assert.equal(getHub().stats().alive, 0, 'a rejected spawn leaves no thread behind');
});

test('bound generator functions are accepted', async () => {
  const obj = {
    factor: 3,
    *times(n: number) {
      yield* sleep(0);
      return n * this.factor;
    },
  };
  assert.equal(await run(obj.times.bind(obj), 5), 15);
});

test('operations used outside a green thread say so', () => {
  assert.throws(() => sleep(1).next(), /sleep must run inside a green thread/);
});

test('a wait() driven by hand parks until the thread ends, and one whose park a sleep dropped waits anew', async () => {
  await run(function* () {
    const target = spawn(function* () {
      yield* sleep(5);
      return 'late';
    });
    const join = target.wait()[Symbol.iterator]();
    assert.equal(join.next().done, false, 'the thread runs: it parks');
    assert.equal(join.next().done, false, 'a step before the thread ended parks still');
    yield* sleep(1); // drops the join's park
    assert.equal(join.next().done, false, 'the thread runs still: it waits anew');
    assert.equal(yield* resume(join), 'late');
    assert.deepEqual(join.next(), { value: undefined, done: true }, 'ended: done, no value');
  });
});

test('wait() keeps the iterator protocol a generator has; waiters killed or timed out drop out, the rest each get the error', async () => {
  await run(function* () {
    const done = spawn(function* () {
      return 'r';
    });
    const early = done.wait(); // made before the thread ran: read at its first step
    yield* sleep(0);
    assert.deepEqual(early.next(), { value: 'r', done: true });
    assert.deepEqual(early.next(), { value: undefined, done: true }, 'ended: done, no value');
    const closed = done.wait();
    assert.deepEqual(closed.return('unused'), { value: 'unused', done: true });
    assert.deepEqual(closed.next(), { value: undefined, done: true });
    assert.throws(() => done.wait().throw(new Error('before start')), /before start/);

    const gate = spawn(function* () {
      yield* sleep(20);
      throw new RangeError('late');
    });
    const killed = spawn(function* () {
      return yield* gate.wait();
    });
    const impatient = spawn(function* () {
      return yield* withTimeout(1, function* () {
        return yield* gate.wait();
      });
    });
    const patient = [1, 2].map(() =>
      spawn(function* () {
        return yield* gate.wait();
      }),
    );
    yield* sleep(0);
    const waiters = (): number => (gate as unknown as { _waiters?: unknown[] })._waiters!.length;
    assert.equal(waiters(), 4);
    killed.kill();
    yield* assertThrows(killed.wait(), (e) => e instanceof GreenletExit);
    yield* assertThrows(impatient.wait(), (e) => e instanceof Timeout);
    assert.equal(waiters(), 2, 'the killed and the timed-out waiter left the line');
    // Only the two still waiting are woken, each with the thread's error.
    for (const t of patient) yield* assertThrows(t.wait(), (e) => e instanceof RangeError);
    yield* assertThrows(gate.wait(), (e) => e instanceof RangeError);
  });
  const outside = spawn(function* () {
    yield* sleep(0);
  });
  assert.throws(() => outside.wait().next(), /GreenThread.wait must run inside a green thread/);
  await run(function* () {
    yield* outside.wait();
  });
});
