import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import {
  GreenletExit,
  getHub,
  kill,
  type Operation,
  run,
  sleep,
  spawn,
  spawnAfter,
  suspend,
} from '@verdant/hub';
import { assertIdle, assertThrows } from '@verdant/hub/testing';
import { blockingPoints } from './blocking-points.ts';

afterEach(() => assertIdle());

/** Runs `block` in a thread, kills it while blocked, and returns what its finally saw. */
function* killWhile(
  block: () => Operation<unknown>,
): Operation<{ error: unknown; cleaned: boolean }> {
  let cleaned = false;
  const gt = spawn(function* () {
    try {
      yield* block();
      return 'returned normally';
    } finally {
      cleaned = true;
    }
  });
  yield* sleep(1);
  assert.equal(gt.dead, false);
  assert.equal(gt.kill(), true);
  let error: unknown;
  try {
    yield* gt.wait();
  } catch (e) {
    error = e;
  }
  return { error, cleaned };
}

for (const [what, block] of blockingPoints) {
  test(`kill while blocked in ${what}: GreenletExit at the blocking point, finally runs, nothing left`, async () => {
    await run(function* () {
      const { error, cleaned } = yield* killWhile(block);
      assert.ok(error instanceof GreenletExit, `wait() threw ${String(error)}`);
      assert.equal(cleaned, true);
    });
  });
}

test('kill with an error throws that error instead, and wait() rethrows it', async () => {
  await run(function* () {
    const gt = spawn(function* () {
      yield* sleep(1000);
    });
    yield* sleep(0);
    const reason = new RangeError('shutting down');
    kill(gt, reason);
    yield* assertThrows(gt.wait(), (e) => e === reason);
  });
});

test('killing a thread that has not started means it never runs', async () => {
  await run(function* () {
    let ran = false;
    const gt = spawn(function* () {
      ran = true;
    });
    gt.kill();
    assert.equal(gt.dead, true);
    assert.equal(gt.started, false);
    const later = spawnAfter(5, function* () {
      ran = true;
    });
    later.kill();
    yield* sleep(10);
    assert.equal(ran, false);
    yield* assertThrows(gt.wait(), (e) => e instanceof GreenletExit);
    assert.equal(getHub().stats().timers, 0);
  });
});

test('a thread killing itself unwinds at once', async () => {
  await run(function* () {
    const steps: string[] = [];
    const gt = spawn(function* () {
      try {
        steps.push('before');
        gt.kill();
        steps.push('after');
      } finally {
        steps.push('finally');
      }
    });
    yield* assertThrows(gt.wait(), (e) => e instanceof GreenletExit);
    assert.deepEqual(steps, ['before', 'finally']);
  });
});

test('kill of a dead thread is a no-op', async () => {
  await run(function* () {
    const gt = spawn(function* () {
      return 1;
    });
    assert.equal(yield* gt.wait(), 1);
    assert.equal(gt.kill(), false);
    assert.equal(yield* gt.wait(), 1);
  });
});

test('kill(error) rejects a non-Error with a clear message', async () => {
  await run(function* () {
    const gt = spawn(function* () {
      yield* sleep(1000);
    });
    assert.throws(() => gt.kill('stop' as never), /kill\(error\): error must be an Error instance/);
    assert.throws(() => kill({} as never), /kill\(gt\): gt must be a GreenThread/);
    gt.kill();
  });
});

// effection #1190: with native yield*, generator.return() on a thread whose
// delegated helper yields inside its finally resumes the parent as if the
// helper had returned normally. Kill must throw, so the whole thread unwinds.
test('kill unwinds the whole thread even when a helper blocks in its finally (effection #1190)', async () => {
  await run(function* () {
    const trace: string[] = [];
    function* helper(): Operation<string> {
      try {
        yield* sleep(10_000);
        return 'helper finished';
      } finally {
        trace.push('helper finally: start');
        yield* sleep(5);
        trace.push('helper finally: done');
      }
    }
    const gt = spawn(function* () {
      try {
        const value = yield* helper();
        trace.push(`parent resumed with ${value}`);
        yield* sleep(10_000);
        trace.push('parent ran on');
      } finally {
        trace.push('parent finally');
      }
    });
    yield* sleep(1);
    gt.kill();
    yield* assertThrows(gt.wait(), (e) => e instanceof GreenletExit);
    assert.deepEqual(trace, ['helper finally: start', 'helper finally: done', 'parent finally']);
  });
});

test('a thread may catch GreenletExit, clean up with blocking calls, and return a value', async () => {
  await run(function* () {
    const gt = spawn(function* () {
      try {
        yield* sleep(10_000);
      } catch (e) {
        if (!(e instanceof GreenletExit)) throw e;
        yield* sleep(2);
        return 'flushed';
      }
      return 'slept';
    });
    yield* sleep(0);
    gt.kill();
    assert.equal(yield* gt.wait(), 'flushed');
  });
});

test('a kill after resume but before the thread ran wins, and the disposer is told', async () => {
  await run(function* () {
    let resumeFn: ((v: string) => boolean) | undefined;
    const disposals: boolean[] = [];
    const gt = spawn(function* () {
      return yield* suspend<string>((resume) => {
        resumeFn = resume;
        return (interrupted) => disposals.push(interrupted);
      });
    });
    yield* sleep(0);
    assert.equal(resumeFn!('handed over'), true);
    assert.equal(resumeFn!('again'), false, 'a second wake-up is stale');
    gt.kill();
    yield* assertThrows(gt.wait(), (e) => e instanceof GreenletExit);
    assert.deepEqual(disposals, [true]);
  });
});

test('the thread signal aborts when the thread is killed, with the kill reason', async () => {
  await run(function* () {
    const gt = spawn(function* () {
      yield* sleep(10_000);
    });
    const signal = gt.signal;
    assert.equal(signal.aborted, false);
    yield* sleep(0);
    const reason = new Error('stop');
    gt.kill(reason);
    assert.equal(signal.aborted, true);
    assert.equal(signal.reason, reason);
    yield* assertThrows(gt.wait(), (e) => e === reason);
    const done = spawn(function* () {
      return 1;
    });
    yield* done.wait();
    assert.equal(done.signal.aborted, true, 'a finished thread has an aborted signal');
  });
});
