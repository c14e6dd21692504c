import { LifoQueue as HubLifoQueue } from '@verdant/hub';
import { pythonMaxsize } from './python-maxsize.js';

/**
 * A last-in first-out queue (Python's `queue.LifoQueue`).
 *
 * @example
 * const q = new queue.LifoQueue<number>();
 * q.putNowait(1);
 * q.putNowait(2);
 * q.getNowait(); // 2
 */
export class LifoQueue<T> extends HubLifoQueue<T> {
  constructor(maxsize = 0) {
    super(pythonMaxsize('new LifoQueue(maxsize): maxsize', maxsize));
  }
  override get maxsize(): number {
    return super.maxsize ?? 0;
  }
}
