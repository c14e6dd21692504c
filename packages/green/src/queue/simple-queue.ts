import { LightQueue } from '@verdant/hub';

/**
 * An unbounded FIFO without task tracking (Python's `queue.SimpleQueue`):
 * `put` never blocks.
 *
 * @example
 * const q = new queue.SimpleQueue<number>();
 * yield* q.put(1);
 * yield* q.get(); // 1
 */
export class SimpleQueue<T> extends LightQueue<T> {
  constructor() {
    super(null);
  }
}
