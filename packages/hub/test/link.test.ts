import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { type GreenThread, run, sleep, spawn } from '@verdant/hub';
import { assertIdle } from '@verdant/hub/testing';

afterEach(() => assertIdle());

test('link callbacks run when the thread ends, in order; unlink removes one', async () => {
  await run(function* () {
    const calls: string[] = [];
    const gt = spawn(function* () {
      yield* sleep(1);
      return 5;
    });
    const first = (t: GreenThread<number>) => calls.push(`first ${t.dead}`);
    const removed = () => calls.push('removed');
    gt.link(first);
    gt.link(removed);
    gt.link(() => calls.push('third'));
    assert.equal(gt.unlink(removed), true);
    assert.equal(gt.unlink(removed), false);
    yield* gt.wait();
    assert.deepEqual(calls, ['first true', 'third']);
  });
});

test('link on a dead thread calls back soon; a throwing callback does not stop the others', async () => {
  await run(function* () {
    const gt = spawn(function* () {});
    yield* gt.wait();
    let called = false;
    gt.link(() => {
      called = true;
    });
    assert.equal(called, false, 'not synchronously');
    yield* sleep(0);
    assert.equal(called, true);

    const calls: number[] = [];
    const other = spawn(function* () {});
    other.link(() => {
      throw new Error('bad link');
    });
    other.link(() => calls.push(2));
    yield* other.wait();
    assert.deepEqual(calls, [2]);
  });
});

test('link is called for killed threads too', async () => {
  await run(function* () {
    const gt = spawn(function* () {
      yield* sleep(1000);
    });
    let seen = false;
    gt.link((t) => {
      seen = t.dead;
    });
    yield* sleep(0);
    gt.kill();
    yield* sleep(0);
    assert.equal(seen, true);
  });
});

test('link rejects a non-function', async () => {
  await run(function* () {
    const gt = spawn(function* () {});
    assert.throws(() => gt.link('x' as never), /link\(fn\): fn must be a function/);
    yield* gt.wait();
  });
});
