import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { getHub, run, sleep, spawn, suspend, Timeout, wait, withTimeout } from '@verdant/hub';
import { assertIdle, assertThrows } from '@verdant/hub/testing';
import { blockingPoints } from './blocking-points.ts';

afterEach(() => assertIdle());

test('a Timeout throws itself into the thread at its blocking point', async () => {
  await run(function* () {
    const start = getHub().now();
    const timeout = new Timeout(20);
    assert.equal(timeout.pending, true);
    let cleaned = false;
    try {
      yield* suspend(() => () => {
        cleaned = true;
      });
      assert.fail('not reached');
    } catch (e) {
      assert.equal(e, timeout);
      assert.ok(e instanceof Timeout);
      assert.match((e as Error).message, /timed out after 20 ms/);
    }
    assert.equal(cleaned, true, 'the park was disposed');
    assert.equal(timeout.pending, false);
    assert.ok(getHub().now() - start >= 19);
  });
});

test('a cancelled Timeout never fires and leaves no timer', async () => {
  await run(function* () {
    const timeout = new Timeout(5);
    timeout.cancel();
    timeout.cancel();
    assert.equal(getHub().stats().timers, 0);
    yield* sleep(15);
  });
});

test('a Timeout can carry its own error', async () => {
  await run(function* () {
    const error = new RangeError('too slow');
    const timeout = new Timeout(1, error);
    yield* assertThrows(sleep(1000), (e) => e === error);
    assert.equal(timeout.pending, false);
  });
});

test('nested Timeouts: the inner one that fires is the one thrown, the outer stays pending', async () => {
  await run(function* () {
    const outer = new Timeout(200);
    try {
      const inner = new Timeout(5);
      yield* assertThrows(sleep(100), (e) => e === inner);
      assert.equal(outer.pending, true);
    } finally {
      outer.cancel();
    }
    const outer2 = new Timeout(5);
    const inner2 = new Timeout(200);
    yield* assertThrows(sleep(100), (e) => e === outer2);
    inner2.cancel();
  });
});

test('a Timeout meant for one thread never hits another', async () => {
  await run(function* () {
    let otherError: unknown = 'none';
    const other = spawn(function* () {
      try {
        yield* sleep(40);
      } catch (e) {
        otherError = e;
      }
    });
    const mine = new Timeout(5);
    yield* assertThrows(sleep(100), (e) => e === mine);
    yield* other.wait();
    assert.equal(otherError, 'none');
  });
});

test('a pending Timeout is cancelled when its thread ends', async () => {
  await run(function* () {
    const gt = spawn(function* () {
      return new Timeout(10_000);
    });
    const timeout = yield* gt.wait();
    assert.equal(timeout.pending, false);
    assert.equal(getHub().stats().timers, 0);
  });
});

test('Timeout(null) never fires', async () => {
  await run(function* () {
    const timeout = new Timeout(null);
    assert.equal(timeout.pending, false);
    yield* sleep(2);
    timeout.cancel();
  });
});

test('withTimeout returns the result, the fallback, or throws the Timeout', async () => {
  await run(function* () {
    assert.equal(
      yield* withTimeout(50, function* () {
        yield* sleep(1);
        return 'fast';
      }),
      'fast',
    );
    assert.equal(
      yield* withTimeout(
        5,
        function* () {
          yield* sleep(1000);
          return 'slow';
        },
        'fallback',
      ),
      'fallback',
    );
    yield* assertThrows(
      withTimeout(5, function* () {
        yield* wait(new Promise(() => {}));
      }),
      (e) => e instanceof Timeout,
    );
    assert.equal(
      yield* withTimeout(null, function* () {
        return 'no limit';
      }),
      'no limit',
    );
  });
});

test('withTimeout lets an unrelated error through and cleans up its timer', async () => {
  await run(function* () {
    yield* assertThrows(
      withTimeout(
        1000,
        function* () {
          yield* sleep(1);
          throw new SyntaxError('boom');
        },
        'fallback',
      ),
      (e) => e instanceof SyntaxError,
    );
    assert.equal(getHub().stats().timers, 0);
  });
});

test('a Timeout that fires after the wake-up but before the thread ran still wins, and the park is told', async () => {
  await run(function* () {
    const disposals: boolean[] = [];
    let resumeFn: ((v: number) => boolean) | undefined;
    let accepted: boolean | undefined;
    // Both timers fall due in the same tick: the wake-up first, then the Timeout.
    getHub().callLater(
      5,
      () => {
        accepted = resumeFn!(1);
      },
      undefined,
    );
    const timeout = new Timeout(5);
    const until = Date.now() + 10;
    while (Date.now() < until) {
      // Hold the loop so both deadlines pass before Node's timer phase runs.
    }
    yield* assertThrows(
      suspend<number>((resume) => {
        resumeFn = resume;
        return (interrupted) => disposals.push(interrupted);
      }),
      (e) => e === timeout,
    );
    assert.equal(accepted, true, 'the wake-up was accepted first');
    assert.deepEqual(disposals, [true], 'then the Timeout interrupted it, and the disposer knows');
  });
});

test('bad arguments to Timeout and withTimeout', async () => {
  assert.throws(() => new Timeout(-1), /Timeout\(ms\): ms must be a finite number >= 0/);
  assert.throws(() => new Timeout(5), /new Timeout must run inside a green thread/);
  assert.throws(() => withTimeout(Number.NaN, function* () {}), /withTimeout\(ms\)/);
  assert.throws(
    () => withTimeout(5, (() => 1) as never),
    /withTimeout\(fn\): fn must be a generator function/,
  );
  await run(function* () {
    assert.throws(() => new Timeout(1, 'nope' as never), /error must be an Error instance/);
  });
});

for (const [what, block] of blockingPoints) {
  test(`a Timeout fires while blocked in ${what}; finally runs and nothing is left`, async () => {
    await run(function* () {
      let cleaned = false;
      const timeout = new Timeout(5);
      try {
        yield* block();
        assert.fail('not reached');
      } catch (e) {
        assert.equal(e, timeout);
      } finally {
        cleaned = true;
      }
      assert.equal(cleaned, true);
      yield* sleep(60); // the waited-on helper thread of the last case finishes
    });
  });
}
