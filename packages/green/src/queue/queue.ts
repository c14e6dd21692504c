import { Queue as HubQueue } from '@verdant/hub';
import { pythonMaxsize } from './python-maxsize.js';

/**
 * A FIFO queue with task tracking (Python's `queue.Queue`).
 *
 * @example
 * const q = new queue.Queue<string>(10);
 * spawn(function* () {
 *   for (let i = 0; i < 2; i++) {
 *     const job = yield* q.get();
 *     console.log('done', job);
 *     q.taskDone();
 *   }
 * });
 * yield* q.put('a');
 * yield* q.put('b');
 * yield* q.join(); // every item put was marked done
 */
export class Queue<T> extends HubQueue<T> {
  constructor(maxsize = 0) {
    super(pythonMaxsize('new Queue(maxsize): maxsize', maxsize));
  }
  /** The bound; 0 when unbounded, as in Python. */
  override get maxsize(): number {
    return super.maxsize ?? 0;
  }
}
