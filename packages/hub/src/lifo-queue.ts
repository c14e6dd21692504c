import { Queue } from './queue.js';

/**
 * A `Queue` that hands out the most recently put item first (a stack),
 * Python's `LifoQueue`. Blocking, timeouts and task accounting as in `Queue`.
 *
 * @example
 * import { LifoQueue } from '@verdant/hub';
 *
 * const stack = new LifoQueue<number>();
 * stack.putNowait(1);
 * stack.putNowait(2);
 * console.log(stack.getNowait()); // 2
 */
export class LifoQueue<T> extends Queue<T> {
  private readonly _stack: T[] = [];

  /** @internal */
  protected override _size(): number {
    return this._stack.length;
  }
  /** @internal */
  protected override _push(item: T): void {
    this._stack.push(item);
  }
  /** @internal */
  protected override _pop(): T {
    return this._stack.pop() as T;
  }
  /** @internal */
  protected override _unpop(item: T): void {
    this._stack.push(item);
  }
  /** @internal */
  protected override _items(): T[] {
    return this._stack.slice().reverse();
  }
}
