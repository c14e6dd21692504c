import { BinaryHeap, type Heap } from './binary-heap.js';
import { checkFunction } from './check.js';
import { Queue } from './queue.js';

/**
 * Orders numbers, strings and bigints by `<`, and arrays element by element,
 * so `[priority, payload]` tuples work as in Python.
 *
 * @example
 * import { naturalOrder } from '@verdant/hub';
 *
 * console.log([[2, 'b'], [1, 'z'], [1, 'a']].sort(naturalOrder)); // [[1, 'a'], [1, 'z'], [2, 'b']]
 */
export function naturalOrder(a: unknown, b: unknown): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const c = naturalOrder(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

/**
 * A `Queue` that hands out the smallest item first (a binary heap, from
 * `tinyqueue`), Python's `PriorityQueue`. Items compare with `compare`,
 * by default `naturalOrder` (numbers, strings, `[priority, payload]` tuples).
 * Items of equal priority come out in no particular order.
 *
 * @example
 * import { PriorityQueue } from '@verdant/hub';
 *
 * const jobs = new PriorityQueue<[number, string]>();
 * jobs.putNowait([5, 'later']);
 * jobs.putNowait([1, 'urgent']);
 * console.log(jobs.getNowait()); // [1, 'urgent']
 */
export class PriorityQueue<T> extends Queue<T> {
  private readonly _heap: Heap<T>;
  private readonly _compare: (a: T, b: T) => number;

  constructor(maxsize?: number | null, compare: (a: T, b: T) => number = naturalOrder) {
    super(maxsize);
    this._compare = checkFunction('new PriorityQueue(maxsize, compare)', 'compare', compare);
    this._heap = new BinaryHeap<T>([], compare);
  }

  /** @internal */
  protected override _size(): number {
    return this._heap.length;
  }
  /** @internal */
  protected override _push(item: T): void {
    this._heap.push(item);
  }
  /** @internal */
  protected override _pop(): T {
    return this._heap.pop() as T;
  }
  /** @internal */
  protected override _unpop(item: T): void {
    this._heap.push(item);
  }
  /** @internal */
  protected override _items(): T[] {
    return this._heap.data.slice(0, this._heap.length).sort(this._compare);
  }
}
