import type { Operation } from '@verdant/hub';

/** What a blocking receive asks its socket on each step. */
export interface ReceiveSource<T> {
  /** Returns the result if ready, or an operation to park on before asking again. */
  _receiveStep(n: number, into: Uint8Array | undefined): T | Operation<undefined>;
  _isResult(value: T | Operation<undefined>): value is T;
}

/**
 * A blocking `recv` as a hand-written iterator instead of a generator: on
 * the echo hot path every recv parks once, and a plain object with a
 * `parking` field is cheaper than a generator frame delegating through
 * `yield*`. Behaves exactly like `for (;;) { if ready return; yield* park }`.
 */
export class ReceiveOperation<T> implements Operation<T> {
  private parking: Operation<undefined> | undefined = undefined;
  constructor(
    private readonly source: ReceiveSource<T>,
    private readonly n: number,
    private readonly into: Uint8Array | undefined,
  ) {}

  [Symbol.iterator](): Operation<T> {
    return this;
  }

  next(value?: unknown): IteratorResult<unknown, T> {
    const parking = this.parking;
    if (parking !== undefined) {
      const r = parking.next(value);
      if (r.done !== true) return r;
      this.parking = undefined;
    }
    return this.step();
  }

  throw(error: unknown): IteratorResult<unknown, T> {
    const parking = this.parking;
    if (parking === undefined) throw error;
    const r = parking.throw(error);
    if (r.done !== true) return r;
    this.parking = undefined;
    return this.step();
  }

  return(value: T): IteratorResult<unknown, T> {
    const parking = this.parking;
    this.parking = undefined;
    parking?.return(undefined);
    return { done: true, value };
  }

  private step(): IteratorResult<unknown, T> {
    for (;;) {
      const got = this.source._receiveStep(this.n, this.into);
      if (this.source._isResult(got)) return { done: true, value: got };
      const r = got.next();
      if (r.done !== true) {
        this.parking = got;
        return r;
      }
    }
  }
}
