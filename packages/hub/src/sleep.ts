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
  checkDuration('sleep(ms)', 'ms', ms);
  if (ms === 0) return YIELD_OP;
  let op = ops.get(ms);
  if (op === undefined) {
    op = new SleepOp(ms) as unknown as Operation<void>;
    if (ops.size < MAX_CACHED) ops.set(ms, op);
  }
  return op;
}

const YIELD_STEP: IteratorYieldResult<unknown> = Object.freeze({ value: YIELD, done: false });
const SLEEP_STEP: IteratorYieldResult<unknown> = Object.freeze({ value: SLEEP, done: false });
// The finished step is DONE's own: one shared result object.
const DONE_STEP = DONE.next() as IteratorReturnResult<void>;

/**
 * `sleep` is the hottest operation there is, so it is a hand-written
 * iterator with no state of its own: one object per duration, shared by
 * every thread, and the thread itself goes on the timer queue (no Timer, no
 * closure). `yield*` drives it in two steps: the request, then, when the hub
 * resumes the thread with that same request (SLEEP or YIELD), the end.
 */
class SleepOp {
  constructor(readonly ms: number) {}

  next(resumed?: unknown): IteratorResult<unknown, void> {
    if (resumed === SLEEP || resumed === YIELD) return DONE_STEP;
    const t = hub.current;
    if (t === null) throw notInThread('sleep');
    if (this.ms === 0) return YIELD_STEP;
    hub.timers.addEntry(t, this.ms);
    return SLEEP_STEP;
  }

  /** A kill or Timeout thrown in while asleep: let it through. */
  throw(error: unknown): never {
    throw error;
  }

  return(value?: unknown): IteratorResult<unknown, void> {
    return { value: value as undefined, done: true };
  }

  [Symbol.iterator](): this {
    return this;
  }
}

/** The durations most programs use are few: each keeps its one op; past this many, ops are made per call. */
const MAX_CACHED = 256;
const ops = new Map<number, Operation<void>>();
const YIELD_OP = new SleepOp(0) as unknown as Operation<void>;
