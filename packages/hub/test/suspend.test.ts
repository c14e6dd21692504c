import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { getHub, run, sleep, spawn, suspend } from '@verdant/hub';
import { assertIdle, assertThrows } from '@verdant/hub/testing';

afterEach(() => assertIdle());

test('resume hands its value to the parked thread; the disposer runs once with false', async () => {
  await run(function* () {
    const disposals: boolean[] = [];
    const value = yield* suspend<string>((resume) => {
      setTimeout(() => resume('woken'), 1);
      return (interrupted) => disposals.push(interrupted);
    }, 'a test wake-up');
    assert.equal(value, 'woken');
    assert.deepEqual(disposals, [false]);
  });
});

test('resume called synchronously inside arm works', async () => {
  await run(function* () {
    let disposed = 0;
    const value = yield* suspend<number>((resume) => {
      assert.equal(resume(7), true);
      return () => disposed++;
    });
    assert.equal(value, 7);
    assert.equal(disposed, 1);
  });
});

test('fail throws its error into the thread', async () => {
  await run(function* () {
    const error = new Error('refused');
    yield* assertThrows(
      suspend((_resume, fail) => {
        setTimeout(() => fail(error), 1);
      }),
      (e) => e === error,
    );
  });
});

test('an arm that throws throws into the thread, which may carry on', async () => {
  await run(function* () {
    let caught: unknown;
    try {
      yield* suspend(() => {
        throw new TypeError('bad arm');
      });
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof TypeError);
    yield* sleep(1);
  });
});

test('stale wake-ups return false and do not disturb a later park', async () => {
  await run(function* () {
    let first: ((v: number) => boolean) | undefined;
    const a = yield* suspend<number>((resume) => {
      first = resume;
      resume(1);
    });
    assert.equal(a, 1);
    assert.equal(first!(99), false, 'the first park is over');
    const b = yield* suspend<number>((resume) => {
      assert.equal(first!(98), false, 'an old resume cannot wake a new park');
      setTimeout(() => resume(2), 1);
    });
    assert.equal(b, 2);
  });
});

test('getHub().threads() names what each thread waits on', async () => {
  await run(function* () {
    const parked = spawn(function* () {
      yield* suspend(() => {}, 'recv 127.0.0.1:9');
    });
    const sleeper = spawn(function* () {
      yield* sleep(1000);
    });
    parked.name = 'reader';
    yield* sleep(0);
    const info = getHub().threads();
    const reader = info.find((t) => t.name === 'reader');
    assert.deepEqual(reader, {
      id: parked.id,
      name: 'reader',
      state: 'blocked',
      blockedOn: 'recv 127.0.0.1:9',
    });
    assert.equal(info.find((t) => t.id === sleeper.id)?.blockedOn, 'sleep');
    assert.equal(info.find((t) => t.id === getHub().threads()[0]!.id)?.state, 'running');
    const stats = getHub().stats();
    assert.equal(stats.alive, 3);
    assert.equal(stats.blocked, 2);
    assert.equal(stats.timers, 1);
    assert.match(
      getHub().idleProblems().join('\n'),
      /thread reader is blocked on recv 127\.0\.0\.1:9/,
    );
    parked.kill();
    sleeper.kill();
  });
});

test('suspend rejects a non-function arm', () => {
  assert.throws(() => suspend(5 as never), /suspend\(arm\): arm must be a function/);
});

test('registered probes make the hub not idle until they read 0', async () => {
  let open = 1;
  const unregister = getHub().registerProbe('test sockets', () => open);
  assert.deepEqual(getHub().idleProblems(), ['test sockets: 1']);
  await assert.rejects(assertIdle(30), /test sockets: 1/);
  open = 0;
  await assertIdle();
  unregister();
});
