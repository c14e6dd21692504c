import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import {
  Event,
  GreenletExit,
  getHub,
  LifoQueue,
  LightQueue,
  type Operation,
  PriorityQueue,
  Queue,
  QueueEmpty,
  QueueFull,
  run,
  sleep,
  spawn,
  Timeout,
  withTimeout,
} from '@verdant/hub';
import { assertIdle, assertThrows } from '@verdant/hub/testing';
import { go, resume } from './go.ts';

afterEach(() => assertIdle());

test('put then get, and a getter that waits for a later put', async () => {
  await run(function* () {
    const q = new Queue<string>();
    yield* q.put('hi');
    assert.equal(yield* q.get(), 'hi');
    const waiter = spawn(function* () {
      return yield* q.get(true, 1000);
    });
    yield* sleep(0);
    yield* sleep(0);
    assert.equal(q.getting(), 1);
    yield* q.put('hi2');
    assert.equal(yield* waiter.wait(), 'hi2');
    assert.equal(q.getting(), 0);
  });
});

test('a bounded queue blocks the putter until a get makes room', async () => {
  await run(function* () {
    const q = new Queue<string>(2);
    const results: string[] = [];
    const putter = spawn(function* () {
      for (const x of ['a', 'b', 'c']) {
        yield* q.put(x);
        results.push(x);
      }
    });
    yield* sleep(0);
    assert.deepEqual(results, ['a', 'b']);
    assert.equal(q.full(), true);
    assert.equal(q.putting(), 1);
    assert.equal(yield* q.get(), 'a');
    yield* sleep(0);
    assert.deepEqual(results, ['a', 'b', 'c']);
    assert.equal(yield* q.get(), 'b');
    assert.equal(yield* q.get(), 'c');
    yield* putter.wait();
  });
});

test('FIFO among blocked getters and among blocked putters', async () => {
  await run(function* () {
    const q = new Queue<number>(1);
    const got: string[] = [];
    const getters = [1, 2, 3].map((n) =>
      spawn(function* () {
        got.push(`g${n}:${yield* q.get()}`);
      }),
    );
    yield* sleep(0);
    for (const n of [10, 20, 30]) yield* q.put(n);
    for (const g of getters) yield* g.wait();
    assert.deepEqual(got, ['g1:10', 'g2:20', 'g3:30']);

    q.putNowait(0); // full now
    const putters = [1, 2, 3].map((n) => go(() => q.put(n)));
    yield* sleep(0);
    assert.equal(q.putting(), 3);
    const order: number[] = [];
    for (let i = 0; i < 4; i++) order.push(yield* q.get());
    assert.deepEqual(order, [0, 1, 2, 3]);
    for (const p of putters) yield* p.wait();
  });
});

test('Queue(0) is a channel: put waits until a get takes the item', async () => {
  await run(function* () {
    const channel = new Queue<string>(0);
    assert.equal(channel.empty(), true);
    assert.equal(channel.full(), true);
    const events: string[] = [];
    const other = spawn(function* () {
      events.push(yield* channel.get());
      events.push(yield* channel.get());
    });
    events.push('sending');
    yield* channel.put('hello');
    events.push('sent hello');
    yield* channel.put('world');
    events.push('sent world');
    yield* other.wait();
    assert.deepEqual(events, ['sending', 'hello', 'sent hello', 'world', 'sent world']);
  });
});

test('Queue(0): a putter that comes first waits for the getter', async () => {
  await run(function* () {
    const channel = new Queue<string>(0);
    const events: string[] = [];
    spawn(function* () {
      events.push('sending hello');
      yield* channel.put('hello');
      events.push('sending world');
      yield* channel.put('world');
      events.push('sent world');
    });
    events.push('waiting');
    events.push(yield* channel.get());
    events.push(yield* channel.get());
    assert.deepEqual(events, ['waiting', 'sending hello', 'hello', 'sending world', 'world']);
    yield* sleep(0);
    assert.equal(events.at(-1), 'sent world');
  });
});

test('Queue(0): put with a timeout and no getter throws QueueFull; getNowait throws QueueEmpty', async () => {
  await run(function* () {
    const c = new Queue<string>(0);
    yield* assertThrows(c.put('hi', true, 1), (e) => e instanceof QueueFull);
    assert.throws(() => c.getNowait(), QueueEmpty);
    assert.equal(c.putting(), 0);
    assert.equal(c.unfinishedTasks, 0);
  });
});

test('Queue(0): putNowait and getNowait work when the other side waits, even from outside threads', async () => {
  const c = new Queue<number>(0);
  const results = await run(function* () {
    const getter = go(() => c.get());
    yield* sleep(0);
    assert.equal(c.getting(), 1);
    const putter = go(() => c.put(7));
    yield* putter.wait();
    assert.equal(yield* getter.wait(), 7);
    const g2 = go(() => c.get());
    yield* sleep(0);
    const fromOutside = new Promise<void>((resolve) =>
      setImmediate(() => {
        c.putNowait(8);
        resolve();
      }),
    );
    yield* sleep(0);
    yield fromOutside;
    return yield* g2.wait();
  });
  assert.equal(results, 8);
});

test('resize up wakes a channel putter; resize(null) makes it unbounded', async () => {
  await run(function* () {
    for (const size of [1, null]) {
      const q = new Queue<string>(0);
      const evt = new Event<string>();
      const sender = spawn(function* () {
        yield* q.put('hi');
        evt.send('done');
      });
      yield* sleep(0);
      assert.equal(evt.ready(), false);
      q.resize(size);
      yield* sleep(0);
      yield* sleep(0);
      assert.equal(evt.ready(), true, `resize(${size})`);
      assert.equal(q.maxsize, size);
      assert.equal(q.getNowait(), 'hi');
      yield* sender.wait();
    }
  });
});

test('resize down keeps the items already queued', async () => {
  await run(function* () {
    const q = new Queue<number>(5);
    for (let i = 0; i < 5; i++) yield* q.put(i);
    q.resize(1);
    yield* sleep(0);
    assert.deepEqual(q.toArray(), [0, 1, 2, 3, 4]);
    assert.equal(q.full(), true);
    assert.throws(() => q.putNowait(9), QueueFull);
  });
});

test('a getter that times out leaves no stale waiter to swallow a later put', async () => {
  await run(function* () {
    const q = new Queue<string>();
    const bail = spawn(function* () {
      try {
        yield* withTimeout(0, function* () {
          return yield* q.get();
        });
        return 'got';
      } catch (e) {
        return e instanceof Timeout ? 'timed out' : 'other';
      }
    });
    assert.equal(yield* bail.wait(), 'timed out');
    yield* q.put('hi');
    assert.equal(yield* q.get(), 'hi');
  });
});

test('two waiters, one dies: the survivor gets the item', async () => {
  await run(function* () {
    const q = new Queue<string>();
    const dying = spawn(function* () {
      try {
        yield* withTimeout(0, function* () {
          return yield* q.get();
        });
      } catch {
        return 'timed out';
      }
    });
    const waiting = go(() => q.get());
    yield* sleep(5); // the dying one's Timeout fires first
    yield* q.put('hi');
    assert.equal(yield* dying.wait(), 'timed out');
    assert.equal(yield* waiting.wait(), 'hi');
  });
});

test('a getter killed after it was handed an item gives it back to the head of the queue', async () => {
  await run(function* () {
    const q = new Queue<string>();
    const victim = go(() => q.get());
    yield* sleep(0);
    q.putNowait('first'); // handed straight to the victim, which has not run yet
    q.putNowait('second');
    victim.kill();
    yield* assertThrows(victim.wait(), (e) => e instanceof GreenletExit);
    assert.deepEqual(q.toArray(), ['first', 'second']);
    assert.equal(yield* q.get(), 'first');
    assert.equal(q.unfinishedTasks, 2);
  });
});

test('an item handed to a dying getter passes on to the next getter', async () => {
  await run(function* () {
    const q = new Queue<string>();
    const victim = go(() => q.get());
    const next = go(() => q.get());
    yield* sleep(0);
    q.putNowait('only');
    victim.kill();
    assert.equal(yield* next.wait(), 'only');
    yield* assertThrows(victim.wait(), (e) => e instanceof GreenletExit);
    assert.equal(q.qsize(), 0);
  });
});

test('a putter killed after it was granted a slot does not enqueue; the slot passes on', async () => {
  await run(function* () {
    const q = new Queue<string>(1);
    q.putNowait('x');
    const victim = go(() => q.put('victim'));
    const next = go(() => q.put('next'));
    yield* sleep(0);
    assert.equal(q.putting(), 2);
    assert.equal(q.getNowait(), 'x'); // grants the slot to the victim
    victim.kill();
    yield* assertThrows(victim.wait(), (e) => e instanceof GreenletExit);
    yield* next.wait();
    assert.deepEqual(q.toArray(), ['next']);
    assert.equal(q.unfinishedTasks, 2); // 'x' and 'next'
  });
});

test('Queue(0): a getter killed before it ran returns the item to its still-waiting putter', async () => {
  await run(function* () {
    const c = new Queue<string>(0);
    const victim = go(() => c.get());
    yield* sleep(0);
    const putter = go(() => c.put('item'));
    yield* sleep(0); // the putter handed 'item' to the victim and waits for it to run
    victim.kill();
    assert.equal(c.putting(), 1, 'the putter is back in line');
    assert.equal(c.unfinishedTasks, 0);
    assert.equal(yield* c.get(), 'item');
    yield* putter.wait();
    yield* assertThrows(victim.wait(), (e) => e instanceof GreenletExit);
  });
});

test('timeouts: get throws QueueEmpty, put throws QueueFull, after about timeoutMs', async () => {
  await run(function* () {
    const q = new Queue<number>(1);
    const start = getHub().now();
    yield* assertThrows(q.get(true, 20), (e) => e instanceof QueueEmpty);
    assert.ok(getHub().now() - start >= 19);
    q.putNowait(1);
    yield* assertThrows(q.put(2, true, 5), (e) => e instanceof QueueFull);
    assert.deepEqual(q.toArray(), [1]);
    assert.equal(q.putting(), 0);
    assert.equal(getHub().stats().timers, 0);
  });
});

test('non-blocking put/get and the nowait forms', async () => {
  await run(function* () {
    const q = new Queue<number>(1);
    yield* q.put(1, false);
    yield* assertThrows(q.put(2, false), (e) => e instanceof QueueFull);
    assert.throws(() => q.putNowait(3), QueueFull);
    assert.equal(yield* q.get(false), 1);
    yield* assertThrows(q.get(false), (e) => e instanceof QueueEmpty);
    assert.throws(
      () => q.getNowait(),
      (e) => e instanceof QueueEmpty && e.name === 'QueueEmpty',
    );
  });
});

test('get and put keep the iterator protocol a generator has: lazy, thrown or closed before they start, done once ended', async () => {
  await run(function* () {
    const q = new Queue<string>();
    const get = q.get();
    q.putNowait('a');
    // Nothing happens until the first step: the item put after get() was called is taken.
    assert.deepEqual(get.next(), { value: 'a', done: true });
    assert.deepEqual(get.next(), { value: undefined, done: true }, 'ended: done, no value');
    const closed = q.put('never');
    assert.deepEqual(closed.return(undefined), { value: undefined, done: true });
    assert.deepEqual(closed.next(), { value: undefined, done: true }, 'a closed put puts nothing');
    assert.equal(q.qsize(), 0);
    const thrown = q.get();
    assert.throws(() => thrown.throw(new Error('before start')), /before start/);
    assert.deepEqual(thrown.next(), { value: undefined, done: true }, 'a thrown get takes nothing');
    const full = new Queue<string>(1);
    full.putNowait('x');
    const refused = full.put('y', false);
    assert.throws(() => refused.next(), QueueFull);
    assert.deepEqual(refused.next(), { value: undefined, done: true }, 'over once its start threw');
    assert.deepEqual(full.getNowait(), 'x');
    // A blocked get parks, and returns what a later put hands it.
    const later = spawn(function* () {
      return yield* q.get();
    });
    yield* sleep(0);
    yield* q.put('b');
    assert.equal(yield* later.wait(), 'b');
  });
});

test('taskDone and join', async () => {
  await run(function* () {
    const q = new Queue<number>();
    assert.equal(yield* q.join(), true, 'join on an empty queue returns at once');
    for (let i = 0; i < 3; i++) yield* q.put(i);
    const done: number[] = [];
    spawn(function* () {
      for (let i = 0; i < 3; i++) {
        const n = yield* q.get();
        yield* sleep(1);
        done.push(n);
        q.taskDone();
      }
    });
    assert.equal(yield* q.join(1), false, 'join times out while work is pending');
    assert.equal(yield* q.join(), true);
    assert.deepEqual(done, [0, 1, 2]);
    assert.throws(() => q.taskDone(), RangeError);
  });
});

test('task accounting on a channel', async () => {
  await run(function* () {
    const c = new Queue<object>(0);
    const x = {};
    const gt = go(() => c.put(x));
    assert.equal(yield* c.get(), x);
    assert.equal(c.unfinishedTasks, 1);
    c.taskDone();
    assert.equal(c.unfinishedTasks, 0);
    yield* gt.wait();
  });
});

test('LightQueue has the queue semantics without task accounting', async () => {
  await run(function* () {
    const q = new LightQueue<number>(1);
    yield* q.put(1);
    assert.equal('taskDone' in q, false);
    assert.equal(yield* q.get(), 1);
  });
});

test('LifoQueue hands out the newest item first, and a dying getter puts it back on top', async () => {
  await run(function* () {
    const q = new LifoQueue<number>();
    for (const n of [1, 2, 3]) q.putNowait(n);
    assert.deepEqual(q.toArray(), [3, 2, 1]);
    assert.equal(yield* q.get(), 3);
    assert.equal(q.getNowait(), 2);
    assert.equal(q.getNowait(), 1);
    const victim = go(() => q.get());
    yield* sleep(0);
    q.putNowait(9);
    victim.kill();
    q.putNowait(10);
    assert.deepEqual(q.toArray(), [10, 9]);
    yield* assertThrows(victim.wait(), (e) => e instanceof GreenletExit);
  });
});

test('PriorityQueue hands out the smallest first; tuples and custom orders', async () => {
  await run(function* () {
    const q = new PriorityQueue<[number, string]>();
    for (const item of [
      [5, 'e'],
      [1, 'a'],
      [3, 'c'],
      [1, 'A'],
    ] as [number, string][])
      yield* q.put(item);
    const out: string[] = [];
    while (!q.empty()) out.push((yield* q.get())[1]);
    assert.deepEqual(out, ['A', 'a', 'c', 'e']);

    const desc = new PriorityQueue<number>(2, (a, b) => b - a);
    desc.putNowait(1);
    desc.putNowait(7);
    assert.throws(() => desc.putNowait(3), QueueFull);
    assert.deepEqual(desc.toArray(), [7, 1]);
    assert.equal(desc.getNowait(), 7);
    assert.equal(desc.unfinishedTasks, 2);
  });
});

test('a getter that throws after its get does not disturb the putter', async () => {
  await run(function* () {
    const q = new Queue<null>();
    const getter = spawn(function* () {
      yield* q.get();
      throw new RangeError('after get');
    });
    yield* sleep(0);
    yield* q.put(null);
    yield* assertThrows(getter.wait(), (e) => e instanceof RangeError);
  });
});

/** A getter of `q` handed `item` and killed before it ran: the item is back at the queue's head. */
function* handThenKill(q: Queue<string>, item: string): Operation<void> {
  const victim = go(() => q.get());
  yield* sleep(0);
  q.putNowait(item);
  victim.kill();
  yield* assertThrows(victim.wait(), (e) => e instanceof GreenletExit);
  assert.deepEqual(q.toArray(), [item]);
}

test('the next getter of a queue starts clean after the last one was served: timeout, channel hand-over and kill all hold', async () => {
  await run(function* () {
    const q = new Queue<string>();
    const served = go(() => q.get(true, 5000));
    yield* sleep(0);
    yield* q.put('a');
    assert.equal(yield* served.wait(), 'a');
    // Served within its timeout, which must not fire for the getter after it.
    yield* assertThrows(q.get(true, 10), (e) => e instanceof QueueEmpty);
    const again = go(() => q.get());
    yield* sleep(0);
    q.putNowait('again');
    assert.equal(yield* again.wait(), 'again');
    // This one reuses the getter `again` left.
    yield* handThenKill(q, 'b');
    assert.equal(yield* q.get(), 'b');

    const channel = new Queue<string>(0);
    for (const item of ['c', 'd']) {
      const getter = go(() => channel.get());
      yield* sleep(0);
      yield* channel.put(item); // returns once the getter has it
      assert.equal(yield* getter.wait(), item);
    }
    const taker = go(() => channel.get(true, 10));
    yield* assertThrows(taker.wait(), (e) => e instanceof QueueEmpty);
    assert.equal(q.getting() + channel.getting() + channel.putting(), 0);
    assert.equal(getHub().stats().timers, 0);
  });
});

test('a get driven by hand that takes its item while still parked leaves no ghost getter and returns no item twice', async () => {
  await run(function* () {
    const q = new Queue<string>();
    const it = q.get(true, 20)[Symbol.iterator]();
    it.next(); // parks on a getter, with a timer
    q.putNowait('x'); // handed to that getter at once
    assert.deepEqual(it.next(), { value: 'x', done: true }); // taken in the same step
    yield* sleep(30); // the park ends here (dropped), and the getter's timer must not matter
    assert.equal(q.qsize(), 0, 'the item was not given back to the queue');
    // The getters after it start clean: one times out, one handed an item and killed gives it back.
    yield* assertThrows(q.get(true, 10), (e) => e instanceof QueueEmpty);
    yield* handThenKill(q, 'y');
    assert.equal(q.getNowait(), 'y');
    assert.equal(q.getting(), 0);
    assert.equal(getHub().stats().timers, 0);
  });
});

test('a put driven by hand whose park a sleep dropped starts over: it is not reported done without its item in the queue', async () => {
  await run(function* () {
    const q = new Queue<string>(1);
    q.putNowait('a');
    const put = q.put('b')[Symbol.iterator]();
    assert.equal(put.next().done, false, 'the queue is full: it parks');
    assert.equal(put.next().done, false, 'a step before any wake-up parks still');
    assert.equal(q.putting(), 1);
    yield* sleep(1); // drops the put's park
    assert.equal(q.putting(), 0, 'the dropped putter left the line');
    assert.equal(put.next().done, false, 'still full: it parks anew');
    assert.equal(q.putting(), 1);
    const taker = go(() => q.get());
    yield* resume(put); // woken when the taker makes room
    assert.equal(yield* taker.wait(), 'a');
    assert.deepEqual(q.toArray(), ['b'], 'the item the put was started with is in the queue');
    q.getNowait();
    // Dropped again, then run once there is room: it puts at once.
    const again = q.put('c')[Symbol.iterator]();
    q.putNowait('full');
    assert.equal(again.next().done, false);
    yield* sleep(1);
    assert.equal(q.getNowait(), 'full');
    assert.deepEqual(again.next(), { value: undefined, done: true });
    assert.deepEqual(q.toArray(), ['c']);
    q.getNowait();
    // Granted a slot by its own thread between two steps: it fills the slot, with no wake-up to wait for.
    q.putNowait('full');
    const own = q.put('e', true, 5000)[Symbol.iterator]();
    assert.equal(own.next().done, false);
    assert.equal(q.getNowait(), 'full');
    assert.deepEqual(own.next(), { value: undefined, done: true });
    assert.deepEqual(q.toArray(), ['e']);
    yield* sleep(1); // the park ends: the delivered putter gives nothing back
    assert.deepEqual(q.toArray(), ['e']);
    assert.equal(q.getNowait(), 'e');
    q.putNowait('room'); // the slot it was granted is not held any more
    q.getNowait();
    // On Queue(0) the restarted put waits, as any, until a getter really has the item.
    const channel = new Queue<string>(0);
    const send = channel.put('d')[Symbol.iterator]();
    assert.equal(send.next().done, false);
    yield* sleep(1);
    const receiver = go(() => channel.get());
    yield* sleep(0); // the receiver parks as a getter
    assert.equal(send.next().done, false, 'handed to the receiver, not yet taken: it parks');
    yield* resume(send);
    assert.equal(yield* receiver.wait(), 'd');
    assert.equal(q.putting() + q.getting() + channel.putting() + channel.getting(), 0);
    assert.equal(getHub().stats().timers, 0);
  });
});

test('a get driven by hand whose park a sleep dropped starts over: it returns an item, not nothing', async () => {
  await run(function* () {
    const q = new Queue<string>();
    const get = q.get(true, 5000)[Symbol.iterator]();
    assert.equal(get.next().done, false, 'the queue is empty: it parks');
    yield* sleep(1); // drops the get's park, and its timer with it
    assert.equal(q.getting(), 0);
    q.putNowait('x');
    assert.deepEqual(get.next(), { value: 'x', done: true }, 'the item put meanwhile');
    // Handed an item in the step that parked it, then dropped: the item went back to the queue.
    const handed = q.get()[Symbol.iterator]();
    assert.equal(handed.next().done, false);
    q.putNowait('y');
    yield* sleep(1);
    assert.deepEqual(q.toArray(), ['y'], 'the dropped getter gave its item back');
    assert.deepEqual(handed.next(), { value: 'y', done: true });
    assert.equal(q.qsize() + q.getting(), 0);
    assert.equal(getHub().stats().timers, 0);
  });
});

test('a kill at put or get leaves no waiter, timer or reservation behind', async () => {
  await run(function* () {
    const q = new Queue<number>(0);
    const q2 = new Queue<number>(0);
    const threads = [go(() => q.put(1, true, 5000)), go(() => q2.get(true, 5000))];
    const c = new Queue<number>(1);
    c.putNowait(0);
    threads.push(go(() => c.put(1, true, 5000)));
    yield* sleep(0);
    for (const t of threads) t.kill();
    for (const t of threads) yield* assertThrows(t.wait(), () => true);
    assert.equal(q.putting() + q2.getting() + c.putting(), 0);
    assert.equal(getHub().stats().timers, 0);
    c.getNowait();
    c.putNowait(5);
    assert.deepEqual(c.toArray(), [5]);
  });
});

test('bad arguments are refused at the call', () => {
  assert.throws(() => new Queue(1.5), /maxsize must be an integer/);
  assert.throws(() => new Queue('3' as never), TypeError);
  const q = new Queue<number>();
  assert.throws(() => q.get(true, -1), /timeoutMs must be a finite number/);
  assert.throws(() => q.put(1, 'yes' as never), /block must be a boolean/);
  assert.throws(() => q.resize(Number.NaN), RangeError);
  assert.throws(() => new PriorityQueue(1, 5 as never), /compare must be a function/);
  assert.equal(new Queue(-1).maxsize, null);
});

test('a put or get abandoned after one step and served by its own thread passes its slot or item to the next put or get of that thread', async () => {
  await run(function* () {
    const q = new Queue<string>(1);
    yield* q.put('a');
    q.put('b')[Symbol.iterator]().next(); // full: parks, then is never stepped again
    assert.equal(q.getNowait(), 'a'); // grants it the slot: its wake-up finds the thread running
    // This put's park replaces the abandoned one, whose slot goes on to it.
    yield* q.put('c', true, 5000);
    assert.deepEqual([q.qsize(), q.getNowait()], [1, 'c']);

    q.get()[Symbol.iterator]().next(); // empty: parks, then is never stepped again
    q.putNowait('d'); // hands it 'd': its wake-up finds the thread running
    assert.equal(yield* q.get(true, 5000), 'd', "the abandoned get's item goes on to this one");
    assert.equal(q.qsize(), 0);
    assert.equal(getHub().stats().timers, 0);
  });
});
