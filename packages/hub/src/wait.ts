import type { Operation } from './operation.js';
import { suspend } from './suspend.js';

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
export function wait<T>(promise: PromiseLike<T> | T): Operation<Awaited<T>> {
  return suspend<Awaited<T>>(
    (resume, fail) => {
      Promise.resolve(promise).then(resume, fail);
    },
    'promise',
    'wait',
  );
}
