import Denque from 'denque';
import { checkSize, GreenPool } from './green-pool.js';
import type { GreenThread } from './green-thread.js';
import type { Operation } from './operation.js';
import { checkThreadFunction, type ThreadFunction } from './spawn.js';
import { Timeout } from './timeout.js';
import { checkTimeout } from './waiter-list.js';

/**
 * An ordered pile of results (eventlet's `GreenPile`): `spawn` work into it
 * (on its own pool of `size`, or on a shared `GreenPool`), then take the
 * results back with `yield* pile.next()` in the order the work was spawned,
 * each as soon as it and those before it are done. An error thrown by a job
 * is rethrown by the `next()` that reaches it (and is not logged: that is
 * its report), and iteration can go on. `GreenPool.imap` returns one, fed
 * lazily from its inputs.
 *
 * A plain `for...of` cannot block, so iterate with `next()`, `forEach` or `toArray`.
 *
 * @example
 * const pile = new GreenPile<string>(4);
 * for (const url of urls) yield* pile.spawn(fetchPage, url);
 * for (let r = yield* pile.next(); !r.done; r = yield* pile.next()) console.log(r.value);
 */
export class GreenPile<T> {
  /**
   * The pool the pile's work runs on.
   *
   * @example
   * yield* pile.pool.waitall();
   */
  readonly pool: GreenPool;
  private readonly _threads = new Denque<GreenThread<T>>();
  private _fn: ThreadFunction<unknown[], T> | undefined = undefined;
  private _source: Iterator<unknown[]> | undefined = undefined;
  /** Inputs taken from the source whose spawn has not happened yet. */
  private _nextArgs: unknown[] | undefined = undefined;

  constructor(sizeOrPool: number | GreenPool = 1000) {
    if (sizeOrPool instanceof GreenPool) this.pool = sizeOrPool;
    else {
      checkSize('GreenPile(sizeOrPool)', sizeOrPool);
      this.pool = new GreenPool(sizeOrPool);
    }
  }

  /**
   * Starts `fn(...args)` on the pile's pool (blocking while it is full) and
   * queues its result behind those spawned before.
   *
   * @example
   * yield* pile.spawn(fetchPage, url);
   */
  spawn<A extends unknown[]>(fn: ThreadFunction<A, T>, ...args: A): Operation<void> {
    checkThreadFunction('GreenPile.spawn', fn);
    return this._spawn(fn, args);
  }

  private *_spawn<A extends unknown[]>(fn: ThreadFunction<A, T>, args: A): Operation<void> {
    this._add(yield* this.pool.spawn(fn, ...args));
  }

  private _add(gt: GreenThread<T>): void {
    // The pile rethrows a job's error at its place in next(): that is its report.
    gt._observed = true;
    this._threads.push(gt);
    if (this._source !== undefined) gt.link(this._onJobExit);
  }

  /** A fed job ended: its slot is free, so start the next input now, not at the next next(). */
  private readonly _onJobExit = (): void => {
    this._refill();
  };

  /** @internal makes the pile pull `fn`'s inputs from `source` as results are taken. */
  _feed(fn: ThreadFunction<unknown[], T>, source: Iterator<unknown[]>): void {
    this._fn = fn;
    this._source = source;
  }

  /**
   * Waits for the next result in spawn order: `{ done: false, value }`, or
   * `{ done: true }` when nothing is left. Rethrows that job's error. With
   * `timeoutMs`, throws a `Timeout` if the result is not there in time; the
   * pile is unchanged, so a later `next()` gets that same result.
   *
   * @example
   * const r = yield* pile.next();
   * if (!r.done) use(r.value);
   */
  next(timeoutMs?: number): Operation<IteratorResult<T, undefined>> {
    checkTimeout('GreenPile.next(timeoutMs)', timeoutMs);
    return timeoutMs === undefined || timeoutMs === null
      ? this._next()
      : this._nextWithin(timeoutMs);
  }

  private *_nextWithin(timeoutMs: number): Operation<IteratorResult<T, undefined>> {
    const timeout = new Timeout(timeoutMs);
    try {
      return yield* this._next();
    } finally {
      timeout.cancel();
    }
  }

  private *_next(): Operation<IteratorResult<T, undefined>> {
    this._refill();
    if (this._threads.length === 0 && this._source !== undefined) {
      // Nothing in flight: wait for a slot in the (shared) pool.
      const args = this._takeArgs();
      if (args !== undefined) {
        const gt = yield* this.pool.spawn(this._fn!, ...args);
        this._nextArgs = undefined;
        this._add(gt);
      }
    }
    for (;;) {
      const gt = this._threads.peekFront();
      if (gt === undefined) return { done: true, value: undefined };
      let value: T;
      try {
        value = yield* gt.wait();
      } catch (error) {
        // The job failed: its error surfaces here, and the pile moves past it.
        // Anything else is this caller being killed or timed out: keep the job.
        const failed = gt.dead && !gt._ok && gt._result === error;
        if (!failed) throw error;
        if (this._threads.peekFront() !== gt) continue; // another consumer took it
        this._advance();
        throw error;
      }
      // Two consumers may wait on the same job: the first to run takes it.
      if (this._threads.peekFront() !== gt) continue;
      this._advance();
      return { done: false, value };
    }
  }

  private _advance(): void {
    this._threads.shift();
    this._refill();
  }

  /**
   * Starts fed work while the pool has free slots. At most `size` run (the
   * pool sees to that) and at most `2 * size` results wait to be taken, so a
   * slow consumer holds memory bounded while the workers stay busy.
   */
  private _refill(): void {
    if (this._source === undefined) return;
    const limit = 2 * Math.max(1, this.pool.size);
    while (this._threads.length < limit && this.pool._canStartNow()) {
      const args = this._takeArgs();
      if (args === undefined) return;
      this._nextArgs = undefined;
      this._add(this.pool._tryStart(this._fn!, args)!);
    }
  }

  private _takeArgs(): unknown[] | undefined {
    if (this._nextArgs !== undefined) return this._nextArgs;
    const source = this._source;
    if (source === undefined) return undefined;
    const r = source.next();
    if (r.done === true) {
      this._source = undefined;
      return undefined;
    }
    this._nextArgs = r.value;
    return r.value;
  }

  /**
   * Calls `fn(value, index)` on each result in order, until the pile is empty.
   *
   * @example
   * yield* pool.imap(fetchPage, urls).forEach((page, i) => save(i, page));
   */
  *forEach(fn: (value: T, index: number) => void): Operation<void> {
    let index = 0;
    for (let r = yield* this.next(); !r.done; r = yield* this.next()) fn(r.value, index++);
  }

  /**
   * Collects every result, in order.
   *
   * @example
   * const pages = yield* pool.imap(fetchPage, urls).toArray();
   */
  *toArray(): Operation<T[]> {
    const out: T[] = [];
    for (let r = yield* this.next(); !r.done; r = yield* this.next()) out.push(r.value);
    return out;
  }

  /**
   * Jobs spawned whose results were not taken yet.
   *
   * @example
   * pile.pending(); // 0
   */
  pending(): number {
    return this._threads.length;
  }

  /**
   * Gives up on the rest: kills the jobs whose results were not taken and
   * stops reading the inputs. Their `finally` blocks run.
   *
   * @example
   * const it = pool.imap(probe, hosts);
   * const first = yield* it.next();
   * it.close();
   */
  close(): void {
    this._source = undefined;
    this._nextArgs = undefined;
    for (let gt = this._threads.shift(); gt !== undefined; gt = this._threads.shift()) gt.kill();
  }
}
