import type { Operation } from './operation.js';

/**
 * An operation that already has its result: what `recv` returns when data is
 * waiting and `sendall` when the kernel took the bytes at once. Cheaper than
 * a generator on the echo hot path; `yield*` reads `value` and moves on.
 * @internal
 */
export class Done<T> implements Operation<T> {
  constructor(private readonly value: T) {}
  next(): IteratorResult<unknown, T> {
    return { done: true, value: this.value };
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

/** The shared finished `Operation<void>`. @internal */
export const DONE: Operation<void> = new Done<void>(undefined);
