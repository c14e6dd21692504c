import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { getCurrent, local, type Operation, run, sleep, spawn } from '@verdant/hub';
import { assertIdle } from '@verdant/hub/testing';

afterEach(() => assertIdle());

test('a value set in one thread is invisible in another', async () => {
  await run(function* () {
    const ctx = local<{ user: string; n: number }>();
    ctx.user = 'main';
    const seen: (string | undefined)[] = [];
    const worker = function* (name: string): Operation<void> {
      seen.push(ctx.user);
      ctx.user = name;
      yield* sleep(1);
      assert.equal(ctx.user, name, 'each thread keeps its own');
    };
    const a = spawn(worker, 'a');
    const b = spawn(worker, 'b');
    yield* a.wait();
    yield* b.wait();
    assert.deepEqual(seen, [undefined, undefined]);
    assert.equal(ctx.user, 'main');
  });
});

test('init gives every thread fresh defaults, created lazily in that thread', async () => {
  await run(function* () {
    let made = 0;
    const stats = local(() => {
      made++;
      return { hits: 0, owner: getCurrent()?.name };
    });
    const bump = function* (times: number): Operation<number> {
      for (let i = 0; i < times; i++) {
        stats.hits++;
        yield* sleep(0);
      }
      return stats.hits;
    };
    const one = spawn(bump, 3);
    one.name = 'one';
    const two = spawn(bump, 5);
    assert.equal(yield* one.wait(), 3);
    assert.equal(yield* two.wait(), 5);
    assert.equal(made, 2);
    assert.equal(stats.hits, 0, 'the main thread has its own record');
    assert.equal(made, 3);
  });
});

test('in, delete, keys and spread see only the current thread', async () => {
  await run(function* () {
    const l = local<Record<string, number>>();
    l.x = 1;
    l.y = 2;
    assert.equal('x' in l, true);
    assert.deepEqual(Object.keys(l), ['x', 'y']);
    assert.deepEqual({ ...l }, { x: 1, y: 2 });
    delete l.x;
    assert.deepEqual(Object.keys(l), ['y']);
    const other = spawn(function* () {
      return ['y' in l, Object.keys(l)] as const;
    });
    assert.deepEqual(yield* other.wait(), [false, []]);
  });
});

test('the record is released when its thread ends', async () => {
  await run(function* () {
    const l = local<{ big: number[] }>();
    const gt = spawn(function* () {
      l.big = [1, 2, 3];
      yield* sleep(0);
      return getCurrent();
    });
    const t = yield* gt.wait();
    assert.equal(t?.dead, true);
    // _locals is the hub's own field, out of the published types.
    assert.equal((t as unknown as { _locals?: unknown })._locals, undefined);
  });
});

test('outside any green thread there is one shared record', () => {
  const l = local<{ v: number }>();
  l.v = 5;
  assert.equal(l.v, 5);
  assert.throws(() => local(5 as never), /init must be a function/);
  const bad = local(() => 3 as never);
  assert.throws(() => (bad as { x?: number }).x, /init must return an object/);
});
