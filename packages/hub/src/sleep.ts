import { checkDuration } from './check.js';
import { DONE } from './done.js';
import { hub } from './hub.js';
import type { Operation } from './operation.js';
import { notInThread } from './suspend.js';
import { SLEEP, YIELD } from './symbols.js';

/**
 * Blocks the current green thread for `ms` milliseconds (the unit everywhere
 * in Verdant). `sleep()` / `sleep(0)` lets every other runnable thread run
 * once, then returns: cooperative yielding, round-robin.
 *
 * @example
 * import { run, sleep, spawn } from '@verdant/hub';
 *
 * const order: string[] = [];
 * await run(function* () {
 *   spawn(function* () {
 *     order.push('other');
 *   });
 *   yield* sleep(); // the other thread runs now
 *   order.push('back');
 *   yield* sleep(20);
 * });
 * console.log(order); // ['other', 'back']
 */
export function sleep(ms = 0): Operation<void> {
  return new SleepOp(checkDuration('sleep(ms)', 'ms', ms)) as unknown as Operation<void>;
}

const YIELD_STEP: IteratorYieldResult<unknown> = Object.freeze({ value: YIELD, done: false });
const SLEEP_STEP: IteratorYieldResult<unknown> = Object.freeze({ value: SLEEP, done: false });
// The finished step is DONE's own: one shared result object.
const DONE_STEP = DONE.next() as IteratorReturnResult<void>;

/**
 * `sleep` is the hottest operation there is, so it is a hand-written
 * iterator rather than a generator: one small object per call instead of a
 * generator object and its frame. `yield*` drives it in two steps (yield the
 * request, then finish).
 */
class SleepOp {
  private started = false;
  constructor(readonly ms: number) {}

  next(): IteratorResult<unknown, void> {
    if (this.started) {
      this.started = false;
      return DONE_STEP;
    }
    const t = hub.current;
    if (t === null) throw notInThread('sleep');
    this.started = true;
    if (this.ms === 0) return YIELD_STEP;
    t._sleepMs = this.ms;
    return SLEEP_STEP;
  }

  /** A kill or Timeout thrown in while asleep: let it through. */
  throw(error: unknown): never {
    this.started = false;
    throw error;
  }

  return(value?: unknown): IteratorResult<unknown, void> {
    this.started = false;
    return { value: value as undefined, done: true };
  }

  [Symbol.iterator](): this {
    return this;
  }
}
