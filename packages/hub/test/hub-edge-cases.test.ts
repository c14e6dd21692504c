import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import {
  GreenletExit,
  GreenPool,
  getHub,
  Queue,
  run,
  sleep,
  spawn,
  suspend,
  Timeout,
} from '@verdant/hub';
import { assertIdle, assertThrows, useVirtualClock } from '@verdant/hub/testing';

afterEach(() => assertIdle());

function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Hold Node's loop, as a CPU-bound stretch would.
  }
}

test('an arm that wakes the thread and then throws leaves no stale wake-up for a later park', async () => {
  await run(function* () {
    let caught: unknown;
    try {
      yield* suspend<number>((resume) => {
        resume(1);
        throw new Error('arm failed');
      });
    } catch (e) {
      caught = e;
    }
    assert.match(String(caught), /arm failed/);
    const start = getHub().now();
    yield* sleep(30);
    assert.ok(getHub().now() - start >= 29, 'the next sleep really slept');
    const q = new Queue<string>();
    spawn(function* () {
      yield* sleep(5);
      q.putNowait('item');
    });
    assert.equal(yield* q.get(), 'item', 'a later get is not woken early with a stale value');
  });
});

test('a Timeout that falls due while its thread advances the virtual clock is raised at its next blocking point', async () => {
  const clock = useVirtualClock({ autoAdvance: false });
  try {
    await run(function* () {
      const timeout = new Timeout(100);
      clock.advance(150);
      assert.equal(timeout.pending, false);
      yield* assertThrows(sleep(0), (e) => e === timeout);
    });
  } finally {
    clock.restore();
  }
});

test('a 0 ms timer that sets itself again cannot hold a timer pass: other timers and threads go on', async () => {
  let rounds = 0;
  let stop = false;
  const again = (): void => {
    rounds++;
    if (!stop) getHub().callLater(0, again, undefined);
  };
  getHub().callLater(0, again, undefined);
  await run(function* () {
    yield* sleep(20);
  });
  stop = true;
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(rounds > 1, `it ran ${rounds} rounds while the sleeper slept`);
});

test('advance() refuses to spin forever on timers that keep re-arming at the same virtual time', () => {
  const clock = useVirtualClock({ autoAdvance: false });
  let stop = false;
  const again = (): void => {
    if (!stop) getHub().callLater(0, again, undefined);
  };
  try {
    getHub().callLater(0, again, undefined);
    assert.throws(() => clock.advance(1), /keep setting new timers due at the same virtual time/);
  } finally {
    stop = true;
    clock.advance(1);
    clock.restore();
  }
});

test('when Node runs timers late, they still fire in deadline order across durations', async () => {
  const fired: string[] = [];
  getHub().callLater(5, (n) => fired.push(n), 'A (due at 5)');
  busyWait(3);
  getHub().callLater(5, (n) => fired.push(n), 'B (due at 8)');
  getHub().callLater(4, (n) => fired.push(n), 'C (due at 7)');
  busyWait(20);
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.deepEqual(fired, ['A (due at 5)', 'C (due at 7)', 'B (due at 8)']);
});

test('a pool thread killed while its nested spawn into its own full pool runs: the kill goes on and the helper dies', async () => {
  await run(function* () {
    const pool = new GreenPool(1);
    let after = false;
    let helper: unknown;
    const member = yield* pool.spawn(function* () {
      helper = yield* pool.spawn(function* () {
        yield* sleep(10_000);
      });
      after = true;
    });
    yield* sleep(5);
    member.kill();
    yield* assertThrows(member.wait(), (e) => e instanceof GreenletExit);
    assert.equal(after, false, 'the code after the nested spawn did not run');
    assert.equal(helper, undefined);
    yield* pool.waitall();
    assert.equal(
      getHub().stats().alive,
      1,
      'only this thread is left: the nested helper was killed too',
    );
  });
});
