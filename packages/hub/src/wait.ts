import { hub } from './hub.js';
import type { Operation } from './operation.js';
import { notInThread } from './suspend.js';

/**
 * Blocks the current green thread until `promise` settles: returns its value
 * or throws its rejection. A bare `yield promise` does the same, untyped.
 *
 * @example
 * import { setTimeout as delay } from 'node:timers/promises';
 * import { run, wait } from '@verdant/hub';
 *
 * const value = await run(function* () {
 *   return yield* wait(delay(10, 'resolved'));
 * });
 * console.log(value); // 'resolved'
 */
export function* wait<T>(promise: PromiseLike<T> | T): Operation<Awaited<T>> {
  if (hub.current === null) throw notInThread('wait');
  // The hub's own promise path: no arm closure and no park per wait (the hot
  // path of every awaited library call). Promise.resolve adopts a thenable
  // and turns a throwing `then` into a rejection, as the arm did.
  return (yield Promise.resolve(promise)) as Awaited<T>;
}
