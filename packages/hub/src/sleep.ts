import { hub } from './hub.js';
import { type Operation, SLEEP, YIELD } from './operation.js';
import { notInThread } from './suspend.js';

/**
 * Blocks the current green thread for `ms` milliseconds (the unit everywhere
 * in Verdant). `sleep()` / `sleep(0)` lets every other runnable thread run
 * once, then returns: cooperative yielding, round-robin.
 *
 * @example
 * yield* sleep(100);
 * yield* sleep(); // let the others run
 */
export function sleep(ms = 0): Operation<void> {
  if (typeof ms !== 'number' || !(ms >= 0) || ms === Number.POSITIVE_INFINITY) {
    throw new TypeError(
      `sleep(ms): ms must be a finite number >= 0 (milliseconds), got ${String(ms)}`,
    );
  }
  return ms === 0 ? yieldNow() : sleepFor(ms);
}

function* yieldNow(): Operation<void> {
  if (hub.current === null) throw notInThread('sleep');
  yield YIELD;
}

function* sleepFor(ms: number): Operation<void> {
  const t = hub.current;
  if (t === null) throw notInThread('sleep');
  t._sleepMs = ms;
  yield SLEEP;
}
