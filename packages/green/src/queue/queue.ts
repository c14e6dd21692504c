import { Queue as HubQueue } from '@verdant/hub';
import { pythonMaxsize } from './python-maxsize.js';

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
    super(pythonMaxsize('new Queue(maxsize): maxsize', maxsize));
  }
  /** The bound; 0 when unbounded, as in Python. */
  override get maxsize(): number {
    return super.maxsize ?? 0;
  }
}
