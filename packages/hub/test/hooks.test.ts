import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { afterEach, test } from 'node:test';
import {
  type GreenThread,
  getCurrent,
  getHub,
  run,
  sleep,
  spawn,
  spawnAfter,
  suspend,
  Timeout,
  wait,
} from '@verdant/hub';
import { ioSettled, ioStarted, setHooks } from '@verdant/hub/internal';
import { assertIdle, assertThrows, useVirtualClock } from '@verdant/hub/testing';

afterEach(async () => {
  setHooks(null);
  await assertIdle();
});

test('aroundStep runs every step, so an AsyncLocalStorage context follows the thread across ticks', async () => {
  const current = new AsyncLocalStorage<GreenThread>();
  let steps = 0;
  setHooks({
    aroundStep(thread, step) {
      steps++;
      current.run(thread, step, thread);
    },
    interrupted() {},
  });
  const seen: Array<GreenThread | undefined> = [];
  await run(function* () {
    const me = getCurrent();
    // Work a library does later on the thread's behalf: a tick and a promise continuation.
    const later = new Promise<void>((resolve) => {
      process.nextTick(() => {
        seen.push(current.getStore());
        Promise.resolve().then(() => {
          seen.push(current.getStore());
          resolve();
        });
      });
    });
    yield* wait(later);
    yield* sleep(1);
    seen.push(current.getStore());
    assert.deepEqual(seen, [me, me, me]);
  });
  assert.ok(steps >= 3, `stepped ${steps} times through the hook`);
  assert.equal(current.getStore(), undefined, 'no context outside the thread');
});

test("spawned's value for a thread reaches each of its steps; a thread made before the hooks gets undefined", async () => {
  const early = spawn(function* () {});
  const made: GreenThread[] = [];
  const steps: Array<[GreenThread, unknown]> = [];
  setHooks({
    spawned(thread) {
      made.push(thread);
      return { of: thread };
    },
    aroundStep(thread, step, data) {
      steps.push([thread, data]);
      step(thread);
    },
    interrupted() {},
  });
  await run(function* () {
    const a = spawn(function* () {
      yield* sleep(0);
    });
    const b = spawnAfter(1, function* () {});
    yield* a.wait();
    yield* b.wait();
    yield* early.wait();
  });
  assert.equal(made.length, 3, "run's thread, a and b");
  for (const [thread, data] of steps) {
    if (thread === early) assert.equal(data, undefined);
    else assert.equal((data as { of: GreenThread }).of, thread);
  }
  assert.deepEqual(new Set(steps.map(([t]) => t)), new Set([...made, early]));
  assert.equal(steps.filter(([t]) => t === made[1]).length, 2, 'a: before and after its sleep');
  // A dead thread lets go of its data (a kept thread must not keep an async context alive).
  for (const t of made) assert.equal((t as unknown as { _hookData: unknown })._hookData, undefined);
});

test('a spawned hook that throws fails the spawn and leaves no live thread behind', async () => {
  let fail = true;
  const refused: GreenThread[] = [];
  setHooks({
    spawned(thread) {
      if (fail) {
        refused.push(thread);
        throw new Error('hook refused');
      }
      return undefined;
    },
    aroundStep: (thread, step) => step(thread),
    interrupted() {},
  });
  const before = getHub().stats().alive;
  let ran = false;
  assert.throws(
    () =>
      spawn(function* () {
        ran = true;
      }),
    /hook refused/,
  );
  assert.throws(() => spawnAfter(1, function* () {}), /hook refused/);
  assert.equal(getHub().stats().alive, before);
  fail = false;
  await run(function* () {
    const alive = spawn(function* () {
      yield* sleep(2);
    });
    // A hook that kept a refused thread finds it dead of its error: a kill
    // does nothing (and does not unlink it a second time, which would lose
    // the threads still live), and a wait rethrows the error.
    for (const t of refused) {
      assert.equal(t.dead, true);
      assert.equal(t.kill(), false);
      yield* assertThrows(t.wait(), (e) => (e as Error).message === 'hook refused');
    }
    assert.ok(
      getHub()
        .threads()
        .some((info) => info.id === alive.id),
    );
    yield* alive.wait();
  });
  assert.equal(refused.length, 2);
  assert.equal(ran, false, 'the refused thread never ran');
});

test('interrupted is told of a kill and of a Timeout, with what the thread was parked on', async () => {
  const told: Array<[string, string | undefined]> = [];
  setHooks({
    aroundStep: (thread, step) => step(thread),
    interrupted(thread, error, blockedOn) {
      told.push([`${thread.name}:${(error as Error).name}`, blockedOn]);
    },
  });
  await run(function* () {
    const sleeper = spawn(function* () {
      yield* suspend(() => undefined, 'a query');
    });
    sleeper.name = 'killed';
    yield* sleep(0);
    sleeper.kill();
    yield* sleep(0);
    const timeout = new Timeout(1);
    try {
      yield* suspend(() => undefined, 'a reply');
    } catch (error) {
      if (error !== timeout) throw error;
    }
    getCurrent()!.name = 'timed-out';
  });
  assert.deepEqual(told[0], ['killed:GreenletExit', 'a query']);
  assert.equal(told[1]?.[1], 'a reply');
  assert.match(told[1]?.[0] ?? '', /:Timeout$/);
  assert.equal(told.length, 2);
});

test('a thread that is not parked is not reported: the hook is about I/O it waits on', async () => {
  let told = 0;
  setHooks({
    aroundStep: (thread, step) => step(thread),
    interrupted: () => {
      told++;
    },
  });
  await run(function* () {
    const never = spawn(function* () {});
    never.kill();
    const runnable = spawn(function* () {
      yield* sleep(0);
    });
    yield* sleep(0);
    // Queued to run again, not parked.
    runnable.kill();
  });
  assert.equal(told, 0);
});

test('auto-advance waits while real I/O is in flight, and goes on once it settles', async () => {
  const clock = useVirtualClock();
  try {
    const order: string[] = [];
    await run(function* () {
      const timer = spawn(function* () {
        yield* sleep(5_000);
        order.push('timeout');
      });
      ioStarted();
      // A real reply, some real milliseconds away (Node's own timer, not the
      // hub's), must still come before the virtual 5 s timeout.
      yield* wait(
        new Promise<void>((resolve) =>
          setTimeout(() => {
            order.push('reply');
            ioSettled();
            resolve();
          }, 20),
        ),
      );
      yield* timer.wait();
    });
    assert.deepEqual(order, ['reply', 'timeout']);
  } finally {
    clock.restore();
  }
});

test('ioSettled without ioStarted is a mistake, said at once', () => {
  assert.throws(() => ioSettled(), /ioSettled\(\) without a matching ioStarted\(\)/);
});
