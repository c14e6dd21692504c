import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import * as queue from '@verdant/green/queue';
import { Queue as HubQueue, run, sleep, spawn } from '@verdant/hub';
import { assertIdle, assertThrows } from '@verdant/hub/testing';
import { settlesAfter } from './fixtures/settles-after.ts';

const { Queue, LifoQueue, PriorityQueue, SimpleQueue, Empty, Full } = queue;

afterEach(() => assertIdle());

test('Queue is the hub Queue with Python maxsize (0 = unbounded)', async () => {
  await run(function* () {
    const q = new Queue<number>();
    assert.ok(q instanceof HubQueue);
    assert.equal(q.maxsize, 0);
    for (let i = 0; i < 1000; i++) q.putNowait(i);
    assert.equal(q.qsize(), 1000);
    assert.equal(q.full(), false);
    assert.equal(yield* q.get(), 0);
    const bounded = new Queue<string>(2);
    assert.equal(bounded.maxsize, 2);
    yield* bounded.put('a');
    bounded.putNowait('b');
    assert.equal(bounded.full(), true);
    assert.throws(() => bounded.putNowait('c'), Full);
    yield* assertThrows(bounded.put('c', true, 10), (e) => e instanceof Full);
    yield* assertThrows(bounded.put('c', false), (e) => e instanceof Full);
    assert.equal(bounded.getNowait(), 'a');
    assert.equal(bounded.getNowait(), 'b');
    assert.equal(bounded.empty(), true);
    assert.throws(() => bounded.getNowait(), Empty);
    const getting = yield* settlesAfter(20, () => bounded.get(true, 20));
    yield* assertThrows(getting.wait(), (e) => e instanceof Empty);
    assert.throws(() => new Queue(1.5), /maxsize must be an integer/);
    assert.throws(() => bounded.get(true, -1), /timeoutMs/);
  });
});

test('put blocks on a full queue until a get makes room', async () => {
  await run(function* () {
    const q = new Queue<number>(1);
    const order: string[] = [];
    yield* q.put(1);
    const putter = spawn(function* () {
      yield* q.put(2);
      order.push('put 2');
    });
    yield* sleep(5);
    assert.equal(order.length, 0);
    const first: number = yield* q.get();
    order.push(`got ${first}`);
    yield* putter.wait();
    assert.deepEqual(order, ['got 1', 'put 2']);
    assert.equal(yield* q.get(), 2);
  });
});

test('taskDone and join: a worker pool drains the queue', async () => {
  await run(function* () {
    const q = new Queue<number>();
    const done: number[] = [];
    const workers = [1, 2, 3].map(() =>
      spawn(function* () {
        for (;;) {
          const item = yield* q.get();
          yield* sleep(1);
          done.push(item);
          q.taskDone();
        }
      }),
    );
    for (let i = 0; i < 10; i++) yield* q.put(i);
    yield* q.join();
    assert.equal(done.length, 10);
    assert.deepEqual(
      [...done].sort((a, b) => a - b),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
    assert.equal(q.unfinishedTasks, 0);
    for (const w of workers) w.kill();
    assert.throws(() => q.taskDone(), /more times/);
  });
});

test('LifoQueue and PriorityQueue orders', async () => {
  await run(function* () {
    const lifo = new LifoQueue<number>();
    for (const n of [1, 2, 3]) yield* lifo.put(n);
    assert.deepEqual([lifo.getNowait(), lifo.getNowait(), lifo.getNowait()], [3, 2, 1]);
    const pq = new PriorityQueue<[number, string]>();
    for (const item of [
      [3, 'c'],
      [1, 'a'],
      [2, 'b'],
    ] as [number, string][])
      yield* pq.put(item);
    assert.deepEqual(yield* pq.get(), [1, 'a']);
    assert.deepEqual(yield* pq.get(), [2, 'b']);
    const byLength = new PriorityQueue<string>(0, (a, b) => a.length - b.length);
    byLength.putNowait('long');
    byLength.putNowait('s');
    assert.equal(byLength.getNowait(), 's');
    assert.equal(new LifoQueue(3).maxsize, 3);
  });
});

test('SimpleQueue: unbounded, put never blocks, no task tracking', async () => {
  await run(function* () {
    const q = new SimpleQueue<string>();
    const got = spawn(function* () {
      return yield* q.get();
    });
    yield* sleep(1);
    yield* q.put('x');
    assert.equal(yield* got.wait(), 'x');
    for (let i = 0; i < 100; i++) yield* q.put(String(i));
    assert.equal(q.qsize(), 100);
    assert.equal('taskDone' in q, false);
  });
});
