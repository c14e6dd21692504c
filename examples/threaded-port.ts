// A program written the Python `threading` way, ported line by line: Thread
// subclasses, a Lock-protected counter, a Condition-guarded bounded buffer,
// a Queue of results, a daemon monitor and a Timer. Every thread is a green
// thread on Node's one loop.
// Run: npx --yes pnpm@10 build && node --import tsx examples/threaded-port.ts
import { queue, threading, time } from '@verdant/green';
import { main, type Operation } from '@verdant/hub';

const { Condition, Lock, Thread, Timer } = threading;

/** Python: class BoundedBuffer with a Condition around a list. */
class BoundedBuffer<T> {
  private readonly items: T[] = [];
  private readonly cond = new Condition();
  constructor(private readonly capacity: number) {}

  *put(item: T): Operation<void> {
    const { cond, items, capacity } = this;
    // Python: with self.cond:
    yield* cond.with(function* () {
      yield* cond.waitFor(() => items.length < capacity);
      items.push(item);
      cond.notifyAll();
    });
  }

  *get(): Operation<T> {
    const { cond, items } = this;
    return yield* cond.with(function* () {
      yield* cond.waitFor(() => items.length > 0);
      const item = items.shift()!;
      cond.notifyAll();
      return item;
    });
  }
}

const STOP = null;
const processed = { count: 0 };
const countLock = new Lock();

/** Python: class Producer(threading.Thread) with def run(self). */
class Producer extends Thread {
  constructor(
    private readonly buffer: BoundedBuffer<number | null>,
    private readonly n: number,
  ) {
    super({ name: 'producer' });
  }
  override *run(): Operation<void> {
    for (let i = 1; i <= this.n; i++) {
      yield* this.buffer.put(i);
      yield* time.sleep(2); // time.sleep(0.002)
    }
  }
}

class Consumer extends Thread {
  constructor(
    private readonly buffer: BoundedBuffer<number | null>,
    private readonly results: queue.Queue<string>,
    name: string,
  ) {
    super({ name });
  }
  override *run(): Operation<void> {
    for (;;) {
      const item = yield* this.buffer.get();
      if (item === STOP) return;
      yield* time.sleep(5); // pretend to work
      yield* countLock.with(function* () {
        processed.count++;
      });
      yield* this.results.put(`${this.name} squared ${item} -> ${item * item}`);
    }
  }
}

main(function* () {
  const buffer = new BoundedBuffer<number | null>(3);
  const results = new queue.Queue<string>();

  // A daemon monitor: it never ends on its own; the program does not wait for it.
  const monitor = new Thread({
    name: 'monitor',
    daemon: true,
    target: function* () {
      for (;;) {
        yield* time.sleep(20);
        console.log(`  [monitor] processed so far: ${processed.count}`);
      }
    },
  });
  monitor.start();

  const reminder = new Timer(10_000, () => console.log('never printed: cancelled'), [], {
    name: 'reminder',
  });
  reminder.start();

  const producer = new Producer(buffer, 12);
  const consumers = ['consumer-1', 'consumer-2', 'consumer-3'].map(
    (name) => new Consumer(buffer, results, name),
  );
  producer.start();
  for (const c of consumers) c.start();

  yield* producer.join();
  for (const _ of consumers) yield* buffer.put(STOP);
  for (const c of consumers) yield* c.join();
  reminder.cancel();
  yield* reminder.join(); // as in Python, cancel() only asks: its thread ends at its next turn

  while (!results.empty()) console.log(results.getNowait());
  console.log(`processed ${processed.count} items with ${consumers.length} consumers`);
  console.log(
    `threads still alive: ${threading
      .enumerate()
      .map((t) => t.name)
      .join(', ')}`,
  );
  // main ends here: the daemon monitor is stopped, the process exits.
});
