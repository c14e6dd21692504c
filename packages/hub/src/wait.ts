import type { Operation } from './operation.js';
import { suspend } from './suspend.js';

/**
 * Blocks the current green thread until `promise` settles: returns its value
 * or throws its rejection. A bare `yield promise` does the same, untyped.
 *
 * @example
 * const res = yield* wait(fetch('http://127.0.0.1:8080/'));
 */
export function wait<T>(promise: PromiseLike<T> | T): Operation<Awaited<T>> {
  return suspend<Awaited<T>>((resume, fail) => {
    Promise.resolve(promise).then(resume, fail);
  }, 'promise');
}
