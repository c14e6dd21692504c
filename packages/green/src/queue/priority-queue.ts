import { PriorityQueue as HubPriorityQueue, naturalOrder } from '@verdant/hub';
import { pythonMaxsize } from './python-maxsize.js';

/**
 * Smallest item first (Python's `queue.PriorityQueue`); items compare with
 * `compare`, by default numbers, strings and `[priority, data]` tuples.
 *
 * @example
 * const q = new queue.PriorityQueue<[number, string]>();
 * q.putNowait([2, 'b']);
 * q.putNowait([1, 'a']);
 * q.getNowait(); // [1, 'a']
 */
export class PriorityQueue<T> extends HubPriorityQueue<T> {
  constructor(maxsize = 0, compare: (a: T, b: T) => number = naturalOrder) {
    super(pythonMaxsize('new PriorityQueue(maxsize): maxsize', maxsize), compare);
  }
  override get maxsize(): number {
    return super.maxsize ?? 0;
  }
}
