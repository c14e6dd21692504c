import type { Operation } from './operation.js';

/**
 * An operation that already has its result: what `recv` returns when data is
 * waiting and `sendall` when the kernel took the bytes at once. Cheaper than
 * a generator on a hot path (no generator object, no frame): `yield*` reads
 * the one result it holds and moves on.
 *
 * @example
 * import { run } from '@verdant/hub';
 * import { Done } from '@verdant/hub/internal';
 *
 * const n = await run(function* () {
 *   return yield* new Done(42);
 * });
 * console.log(n); // 42
 */
export class Done<T> implements Operation<T> {
  private readonly result: IteratorReturnResult<T>;
  constructor(value: T) {
    this.result = { done: true, value };
  }
  next(): IteratorResult<unknown, T> {
    return this.result;
  }
  return(value: T): IteratorResult<unknown, T> {
    return { done: true, value };
  }
  throw(error: unknown): IteratorResult<unknown, T> {
    throw error;
  }
  [Symbol.iterator](): Operation<T> {
    return this;
  }
}

/**
 * The shared finished `Operation<void>`: for a method with nothing to wait for.
 *
 * @example
 * import { run } from '@verdant/hub';
 * import { DONE } from '@verdant/hub/internal';
 *
 * await run(function* () {
 *   yield* DONE; // returns at once, without yielding to the hub
 * });
 */
export const DONE: Operation<void> = new Done<void>(undefined);

/**
 * An operation that returns `value` at once: for a method whose fast path
 * needs no wait (a free lock, a set flag) but whose signature is an operation.
 *
 * @example
 * import { run } from '@verdant/hub';
 * import { constant } from '@verdant/hub/internal';
 *
 * const ok = await run(function* () {
 *   return yield* constant(true);
 * });
 * console.log(ok); // true
 */
export function constant<T>(value: T): Operation<T> {
  return new Done(value);
}
