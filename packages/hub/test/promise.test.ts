import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { run, sleep, spawn, wait } from '@verdant/hub';
import { assertIdle, assertThrows } from '@verdant/hub/testing';

afterEach(() => assertIdle());

test('wait(promise) returns the value, typed', async () => {
  await run(function* () {
    const n: number = yield* wait(new Promise<number>((r) => setTimeout(() => r(5), 2)));
    assert.equal(n, 5);
    assert.equal(yield* wait('not a promise'), 'not a promise');
  });
});

test('wait(promise) throws the rejection', async () => {
  await run(function* () {
    const error = new Error('rejected');
    yield* assertThrows(wait(Promise.reject(error)), (e) => e === error);
  });
});

test('wait() adopts a thenable, a throwing then becomes its error, and a killed waiter stays dead', async () => {
  await run(function* () {
    // biome-ignore lint/suspicious/noThenProperty: a thenable is what this test is about
    const ok = { then: (resolve: (v: string) => void) => resolve('adopted') };
    assert.equal(yield* wait(ok as unknown as PromiseLike<string>), 'adopted');
    const error = new Error('then threw');
    const bad = {
      // biome-ignore lint/suspicious/noThenProperty: a thenable is what this test is about
      then: () => {
        throw error;
      },
    };
    yield* assertThrows(wait(bad as unknown as PromiseLike<never>), (e) => e === error);
    let reject!: (e: Error) => void;
    const late = new Promise<never>((_, r) => {
      reject = r;
    });
    let after = false;
    const t = spawn(function* () {
      yield* wait(late);
      after = true;
    });
    yield* sleep(0);
    t.kill();
    reject(new Error('too late'));
    yield* sleep(0);
    yield* sleep(0);
    assert.equal(t.dead, true);
    assert.equal(after, false);
  });
  assert.throws(() => wait(1).next(), /wait must run inside a green thread/);
});

test('a bare yield of a promise or thenable waits for it', async () => {
  await run(function* () {
    const value = yield Promise.resolve('bare');
    assert.equal(value, 'bare');
    // biome-ignore lint/suspicious/noThenProperty: a thenable is what this test is about
    const thenable = { then: (ok: (v: string) => void) => setTimeout(() => ok('thenable'), 1) };
    assert.equal(yield thenable, 'thenable');
    try {
      yield Promise.reject(new RangeError('no'));
      assert.fail('not reached');
    } catch (e) {
      assert.ok(e instanceof RangeError);
    }
  });
});

test('other threads run while one waits on a promise', async () => {
  await run(function* () {
    const trace: string[] = [];
    // Settled by the ticker once it is done, through a Node callback: no
    // race between a real timer and the ticks on a busy machine.
    let settle: () => void = () => {};
    const settled = new Promise<void>((r) => {
      settle = r;
    });
    const waiter = spawn(function* () {
      yield* wait(settled);
      trace.push('promise settled');
    });
    const ticker = spawn(function* () {
      for (let i = 0; i < 3; i++) {
        trace.push(`tick ${i}`);
        yield* sleep(1);
      }
      setImmediate(settle);
    });
    yield* waiter.wait();
    yield* ticker.wait();
    assert.deepEqual(trace, ['tick 0', 'tick 1', 'tick 2', 'promise settled']);
  });
});

test('run() can be awaited from many async callers at once', async () => {
  const results = await Promise.all(
    [1, 2, 3].map((n) =>
      run(function* () {
        yield* sleep(n);
        return n * 10;
      }),
    ),
  );
  assert.deepEqual(results, [10, 20, 30]);
});
