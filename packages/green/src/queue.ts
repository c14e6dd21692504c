/**
 * Green `queue`: Python's `queue` module on the hub's queues (no second
 * implementation). `put(item, block = true, timeoutMs?)`,
 * `get(block = true, timeoutMs?)`, `putNowait`, `getNowait`, `taskDone`,
 * `join`, `qsize`, `empty`, `full`. A timed-out `get` throws Empty and a
 * timed-out `put` Full, as in Python. `maxsize <= 0` means unbounded, as in
 * Python (the hub's own `Queue(0)` is a rendezvous channel instead).
 */
import {
  LifoQueue as HubLifoQueue,
  PriorityQueue as HubPriorityQueue,
  Queue as HubQueue,
  LightQueue,
  naturalOrder,
  QueueEmpty,
  QueueFull,
} from '@verdant/hub';

/** Thrown by `getNowait()` / a timed-out `get` (Python's `queue.Empty`). @example try { q.getNowait() } catch (e) { if (e instanceof Empty) ... } */
export const Empty = QueueEmpty;
/** The type of `Empty` errors. @example let e: queue.Empty */
export type Empty = QueueEmpty;
/** Thrown by `putNowait()` / a timed-out `put` (Python's `queue.Full`). @example try { q.putNowait(x) } catch (e) { if (e instanceof Full) ... } */
export const Full = QueueFull;
/** The type of `Full` errors. @example let e: queue.Full */
export type Full = QueueFull;

function pythonMaxsize(what: string, maxsize: unknown): number | null {
  if (typeof maxsize !== 'number' || !Number.isInteger(maxsize)) {
    throw new TypeError(
      `${what}: maxsize must be an integer (<= 0 for unbounded), got ${String(maxsize)}`,
    );
  }
  return maxsize > 0 ? maxsize : null;
}

/**
 * A FIFO queue with task tracking (Python's `queue.Queue`).
 *
 * @example
 * const q = new Queue<string>(10);
 * yield* q.put('job');
 * const job = yield* q.get();
 * q.taskDone();
 * yield* q.join(); // every put item was marked done
 */
export class Queue<T> extends HubQueue<T> {
  constructor(maxsize = 0) {
    super(pythonMaxsize('new Queue(maxsize)', maxsize));
  }
  /** The bound; 0 when unbounded, as in Python. */
  override get maxsize(): number {
    return super.maxsize ?? 0;
  }
}

/**
 * A last-in first-out queue (Python's `queue.LifoQueue`).
 *
 * @example
 * const q = new LifoQueue<number>();
 * q.putNowait(1); q.putNowait(2);
 * q.getNowait(); // 2
 */
export class LifoQueue<T> extends HubLifoQueue<T> {
  constructor(maxsize = 0) {
    super(pythonMaxsize('new LifoQueue(maxsize)', maxsize));
  }
  override get maxsize(): number {
    return super.maxsize ?? 0;
  }
}

/**
 * Smallest item first (Python's `queue.PriorityQueue`); items compare with
 * `compare`, by default numbers, strings and `[priority, data]` tuples.
 *
 * @example
 * const q = new PriorityQueue<[number, string]>();
 * q.putNowait([2, 'b']); q.putNowait([1, 'a']);
 * q.getNowait(); // [1, 'a']
 */
export class PriorityQueue<T> extends HubPriorityQueue<T> {
  constructor(maxsize = 0, compare: (a: T, b: T) => number = naturalOrder) {
    super(pythonMaxsize('new PriorityQueue(maxsize)', maxsize), compare);
  }
  override get maxsize(): number {
    return super.maxsize ?? 0;
  }
}

/**
 * An unbounded FIFO without task tracking (Python's `queue.SimpleQueue`):
 * `put` never blocks.
 *
 * @example
 * const q = new SimpleQueue<number>();
 * yield* q.put(1);
 * yield* q.get(); // 1
 */
export class SimpleQueue<T> extends LightQueue<T> {
  constructor() {
    super(null);
  }
}
