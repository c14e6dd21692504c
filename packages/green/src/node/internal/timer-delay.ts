import type * as Real from 'node:timers';
import { pristine } from '../pristine.js';

const TIMEOUT_MAX = 2 ** 31 - 1;
const realTimers = pristine('timers') as typeof Real;
const noop = (): void => {};

/**
 * Node's delay rule for `setTimeout`/`setInterval` and their promise forms:
 * coerced to a number; 1 when below 1, NaN or past 2^31-1. A bad delay gets
 * the warning this Node gives for it (TimeoutOverflowWarning everywhere;
 * TimeoutNegativeWarning and TimeoutNaNWarning once per process since Node
 * 23), by handing it to Node's own constructor, which keeps the once-only
 * flags that `node:timers` and `node:timers/promises` share.
 */
export function timerDelay(ms: unknown): number {
  if (ms === undefined) return 1;
  const after = (ms as number) * 1;
  if (after >= 1 && after <= TIMEOUT_MAX) return after;
  // 0 (the common `setTimeout(fn, 0)`) and fractions below 1 never warn: no Node timer for them.
  if (after >= 0 && after < 1) return 1;
  realTimers.clearTimeout(realTimers.setTimeout(noop, after));
  return 1;
}
