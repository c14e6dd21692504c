import type { Operation } from '@verdant/hub';

/** What a blocking receive asks its socket on each step. */
export interface ReceiveSource<T> {
  /** Returns the result if ready, or an operation to park on before asking again. */
  _receiveStep(n: number, into: Uint8Array | undefined): T | Operation<undefined>;
  _isResult(value: T | Operation<undefined>): value is T;
  /** The operation finished (result, error, kill): the socket may hand it to its next recv. */
  _receiveFinished(op: ReceiveOperation<T>): void;
}

/**
 * A blocking `recv` as a hand-written iterator instead of a generator: on
 * the echo hot path every recv parks once, and a plain object with a
 * `parking` field is cheaper than a generator frame delegating through
 * `yield*`. Behaves exactly like `for (;;) { if ready return; yield* park }`.
 */
export class ReceiveOperation<T> implements Operation<T> {
  private parking: Operation<undefined> | undefined = undefined;
  /** Handed out by a recv and not finished yet: a socket reuses its operation only once it is free. */
  busy = true;
  constructor(
    private readonly source: ReceiveSource<T>,
    private n: number,
    private into: Uint8Array | undefined,
  ) {}

  /** The next recv on the same socket: one operation per socket instead of one per recv. */
  reuse(n: number, into: Uint8Array | undefined): this {
    this.n = n;
    this.into = into;
    this.busy = true;
    return this;
  }

  [Symbol.iterator](): Operation<T> {
    return this;
  }

  next(value?: unknown): IteratorResult<unknown, T> {
    try {
      const parking = this.parking;
      if (parking !== undefined) {
        const r = parking.next(value);
        if (r.done !== true) return r;
        this.parking = undefined;
      }
      return this.step();
    } catch (error) {
      this.end();
      throw error;
    }
  }

  throw(error: unknown): IteratorResult<unknown, T> {
    try {
      const parking = this.parking;
      if (parking === undefined) throw error;
      const r = parking.throw(error);
      if (r.done !== true) return r;
      this.parking = undefined;
      return this.step();
    } catch (thrown) {
      this.end();
      throw thrown;
    }
  }

  return(value: T): IteratorResult<unknown, T> {
    const parking = this.parking;
    this.end();
    parking?.return(undefined);
    return { done: true, value };
  }

  private end(): void {
    this.parking = undefined;
    this.into = undefined;
    this.busy = false;
    this.source._receiveFinished(this);
  }

  private step(): IteratorResult<unknown, T> {
    for (;;) {
      const got = this.source._receiveStep(this.n, this.into);
      if (this.source._isResult(got)) {
        this.end();
        return { done: true, value: got };
      }
      const r = got.next();
      if (r.done !== true) {
        this.parking = got;
        return r;
      }
    }
  }
}
