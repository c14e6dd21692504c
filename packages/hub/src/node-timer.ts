import { hub } from './hub.js';
import type { Timer } from './timer.js';

/**
 * A hub timer that behaves as a Node timer for the green timer faces: a
 * throw from `fn` is an uncaught exception (process 'uncaughtException',
 * domains), the nextTick queue runs between due callbacks, and it can be
 * refreshed, ref'd and unref'd. `ms` is used as given: the face truncates
 * and bounds it as Node does.
 *
 * @example
 * import { nodeTimer } from '@verdant/hub/internal';
 *
 * const t = nodeTimer(10, (what: string) => console.log(what), 'fired');
 * t.unref(); // still fires, but does not keep the process alive
 * t.cancel();
 */
export function nodeTimer<A>(ms: number, fn: (arg: A) => void, arg: A): Timer {
  return hub.timers.add(ms, fn, arg, true);
}
