import Denque from 'denque';
import {
  checkIterable,
  checkSize,
  checkThreadFunction,
  checkTimeout,
  describeValue,
} from './check.js';
import { Event } from './event.js';
import type { GreenThread } from './green-thread.js';
import { hub } from './hub.js';
import type { Operation } from './operation.js';
import { Semaphore } from './semaphore.js';
import { spawn, type ThreadFunction } from './spawn.js';
import type { ThreadRecord } from './thread-record.js';
import { Timeout } from './timeout.js';

// eventlet's greenpool.py: the pool and the pile of results it feeds, one
// file because each is built on the other.

/**
 * A bounded set of green threads (eventlet's `GreenPool`): at most `size`
 * run at once; `spawn` blocks the caller while the pool is full, which is
 * what keeps a producer from outrunning its workers. `imap`/`starmap` map a
 * function over inputs with at most `size` calls in flight and hand back
 * the results in input order.
 *
 * @example
 * import { GreenPool, run, sleep } from '@verdant/hub';
 *
 * const squares = await run(function* () {
 *   const pool = new GreenPool(2); // at most two calls at once
 *   return yield* pool
 *     .imap(function* (n: number) {
 *       yield* sleep(10 - n); // later inputs finish first...
 *       return n * n;
 *     }, [1, 2, 3, 4])
 *     .toArray(); // ...but results come in input order
 * });
 * console.log(squares); // [1, 4, 9, 16]
 */
export class GreenPool {
  private _size: number;
  private readonly _sem: Semaphore;
  private readonly _members = new Set<ThreadRecord>();
  /** spawn calls waiting for, or just granted, a slot. */
  private _starting = 0;
  private _idle: Event<boolean> | undefined = undefined;

  constructor(size = 1000) {
    this._size = checkPoolSize('new GreenPool(size)', size);
    this._sem = new Semaphore(size);
  }

  /**
   * Starts `fn(...args)` in the pool and returns its thread, blocking while
   * the pool is full. A pool thread spawning into its own full pool runs the
   * new thread to its end first instead (eventlet runs it inline), so it
   * cannot deadlock on itself. Bound the wait with `withTimeout` if needed.
   */
  spawn<A extends unknown[], T>(fn: ThreadFunction<A, T>, ...args: A): Operation<GreenThread<T>> {
    checkThreadFunction('GreenPool.spawn(fn)', 'fn', fn);
    return this._spawn(fn, args);
  }

  /** Like `spawn`, keeping no handle on the thread. */
  spawnN<A extends unknown[]>(fn: ThreadFunction<A, unknown>, ...args: A): Operation<void> {
    checkThreadFunction('GreenPool.spawnN(fn)', 'fn', fn);
    return this._spawnN(fn, args);
  }

  private *_spawnN<A extends unknown[]>(fn: ThreadFunction<A, unknown>, args: A): Operation<void> {
    yield* this._spawn(fn, args);
  }

  private *_spawn<A extends unknown[], T>(
    fn: ThreadFunction<A, T>,
    args: A,
  ): Operation<GreenThread<T>> {
    const current = hub.current;
    if (current !== null && this._members.has(current) && this._sem.locked()) {
      const gt = spawn(fn, ...args);
      try {
        yield* gt.wait();
      } catch (error) {
        // Its own failure reaches whoever waits on the returned thread; a kill
        // or Timeout aimed at the caller goes on up, and takes the helper along.
        if (!(gt.dead && !gt._ok && gt._result === error)) {
          gt.kill();
          throw error;
        }
      }
      return gt;
    }
    this._starting++;
    let started: GreenThread<T> | undefined;
    try {
      yield* this._sem.acquire();
      started = this._start(fn, args);
    } finally {
      this._starting--;
      // A spawner killed while it waited may have been all waitall was waiting on.
      if (started === undefined) this._checkIdle();
    }
    return started;
  }

  /** @internal true when a thread could start now without waiting. */
  _canStartNow(): boolean {
    return this._sem.balance > 0;
  }

  /** @internal starts a member thread; the caller took its permit. */
  _start<A extends unknown[], T>(fn: ThreadFunction<A, T>, args: A): GreenThread<T> {
    const gt = spawn(fn, ...args);
    this._members.add(gt);
    gt.link(this._onExit as (gt: GreenThread<T>) => void);
    return gt;
  }

  /** @internal starts a member thread if a slot is free now. */
  _tryStart<A extends unknown[], T>(fn: ThreadFunction<A, T>, args: A): GreenThread<T> | undefined {
    return this._sem._tryAcquire() ? this._start(fn, args) : undefined;
  }

  private readonly _onExit = (gt: GreenThread): void => {
    this._members.delete(gt);
    this._sem.release();
    this._checkIdle();
  };

  private _checkIdle(): void {
    if (this._members.size !== 0 || this._starting !== 0) return;
    const idle = this._idle;
    if (idle !== undefined) {
      this._idle = undefined;
      idle.send(true);
    }
  }

  /**
   * Waits until no thread of the pool is running or about to start.
   * Returns true, or false if `timeoutMs` ran out first. Throws if called
   * from a thread of the pool itself (it would wait for itself forever).
   */
  waitall(timeoutMs?: number): Operation<boolean> {
    const ms = checkTimeout('GreenPool.waitall(timeoutMs)', 'timeoutMs', timeoutMs);
    const current = hub.current;
    if (current !== null && this._members.has(current)) {
      throw new Error(
        'GreenPool.waitall() called from a thread of the same pool: it would wait for itself forever',
      );
    }
    return this._waitall(ms);
  }

  private *_waitall(timeoutMs: number | null): Operation<boolean> {
    if (this._members.size === 0 && this._starting === 0) return true;
    this._idle ??= new Event<boolean>();
    return (yield* this._idle.wait(timeoutMs ?? undefined)) === true;
  }

  /** Threads of the pool running now. */
  running(): number {
    return this._members.size;
  }

  /** How many more threads could start now without blocking. */
  free(): number {
    return Math.max(0, this._sem.balance);
  }

  /** Threads blocked in `spawn`, waiting for a slot. */
  waiting(): number {
    return this._sem.waiting();
  }

  /** The most threads the pool runs at once. */
  get size(): number {
    return this._size;
  }

  /**
   * Changes the pool's size. Growing it starts blocked spawners at once;
   * shrinking it lets running threads finish, and no new one starts until
   * fewer than the new size run (0 pauses the pool until it grows again).
   */
  resize(size: number): void {
    checkSize('GreenPool.resize(size)', 'size', size);
    const delta = size - this._size;
    this._size = size;
    this._sem._resize(delta);
  }

  /**
   * Calls `fn` on items taken one from each iterable in turn (stopping at
   * the shortest), at most `size` calls in flight, and returns a `GreenPile`
   * that yields the results in input order, one per `yield* next()`. Inputs
   * are read lazily, so an endless iterable is fine. An error thrown by a
   * call is rethrown by the `next()` that reaches it; iteration can go on.
   */
  imap<A extends unknown[], T>(
    fn: ThreadFunction<A, T>,
    ...iterables: { [K in keyof A]: Iterable<A[K]> }
  ): GreenPile<T> {
    checkThreadFunction('GreenPool.imap(fn, ...iterables)', 'fn', fn);
    if (iterables.length === 0)
      throw new TypeError('GreenPool.imap(fn, ...iterables): give at least one iterable');
    for (const [i, it] of iterables.entries())
      checkIterable('GreenPool.imap(fn, ...iterables)', `iterables[${i}]`, it);
    const pile = new GreenPile<T>(this);
    pile._feed(fn as ThreadFunction<unknown[], T>, zip(iterables as Iterable<unknown>[]));
    return pile;
  }

  /** Like `imap`, with each input already an argument list. */
  starmap<A extends unknown[], T>(fn: ThreadFunction<A, T>, argLists: Iterable<A>): GreenPile<T> {
    checkThreadFunction('GreenPool.starmap(fn, argLists)', 'fn', fn);
    checkIterable('GreenPool.starmap(fn, argLists)', 'argLists', argLists);
    const pile = new GreenPile<T>(this);
    pile._feed(
      fn as ThreadFunction<unknown[], T>,
      argLists[Symbol.iterator]() as Iterator<unknown[]>,
    );
    return pile;
  }
}

function* zip(iterables: Iterable<unknown>[]): Iterator<unknown[]> {
  const its = iterables.map((it) => it[Symbol.iterator]());
  for (;;) {
    const row: unknown[] = [];
    for (const it of its) {
      const r = it.next();
      if (r.done) return;
      row.push(r.value);
    }
    yield row;
  }
}

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
 * import { GreenPile, run, sleep } from '@verdant/hub';
 *
 * await run(function* () {
 *   const pile = new GreenPile<string>(4);
 *   for (const [name, ms] of [['slow', 30], ['fast', 10]] as const) {
 *     yield* pile.spawn(function* () {
 *       yield* sleep(ms);
 *       return name;
 *     });
 *   }
 *   for (let r = yield* pile.next(); !r.done; r = yield* pile.next()) {
 *     console.log(r.value); // 'slow', then 'fast': in spawn order
 *   }
 * });
 */
export class GreenPile<T> {
  /** The pool the pile's work runs on. */
  readonly pool: GreenPool;
  private readonly _threads = new Denque<GreenThread<T>>();
  private _fn: ThreadFunction<unknown[], T> | undefined = undefined;
  private _source: Iterator<unknown[]> | undefined = undefined;
  /** Inputs taken from the source whose spawn has not happened yet. */
  private _nextArgs: unknown[] | undefined = undefined;

  constructor(sizeOrPool: number | GreenPool = 1000) {
    if (sizeOrPool instanceof GreenPool) this.pool = sizeOrPool;
    else this.pool = new GreenPool(checkPoolSize('new GreenPile(sizeOrPool)', sizeOrPool));
  }

  /**
   * Starts `fn(...args)` on the pile's pool (blocking while it is full) and
   * queues its result behind those spawned before.
   */
  spawn<A extends unknown[]>(fn: ThreadFunction<A, T>, ...args: A): Operation<void> {
    checkThreadFunction('GreenPile.spawn(fn)', 'fn', fn);
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
   */
  next(timeoutMs?: number): Operation<IteratorResult<T, undefined>> {
    const ms = checkTimeout('GreenPile.next(timeoutMs)', 'timeoutMs', timeoutMs);
    return ms === null ? this._next() : this._nextWithin(ms);
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

  /** Calls `fn(value, index)` on each result in order, until the pile is empty. */
  *forEach(fn: (value: T, index: number) => void): Operation<void> {
    let index = 0;
    for (let r = yield* this.next(); !r.done; r = yield* this.next()) fn(r.value, index++);
  }

  /** Collects every result, in order. */
  *toArray(): Operation<T[]> {
    const out: T[] = [];
    for (let r = yield* this.next(); !r.done; r = yield* this.next()) out.push(r.value);
    return out;
  }

  /** Jobs spawned whose results were not taken yet. */
  pending(): number {
    return this._threads.length;
  }

  /**
   * Gives up on the rest: kills the jobs whose results were not taken and
   * stops reading the inputs. Their `finally` blocks run.
   */
  close(): void {
    this._source = undefined;
    this._nextArgs = undefined;
    for (let gt = this._threads.shift(); gt !== undefined; gt = this._threads.shift()) gt.kill();
  }
}

// A pool of 0 could never run anything: every spawn would wait forever.
function checkPoolSize(call: string, size: unknown): number {
  if (typeof size === 'number' && Number.isInteger(size) && size >= 1) return size;
  const message = `${call}: size must be an integer >= 1, got ${describeValue(size)}`;
  throw typeof size === 'number' ? new RangeError(message) : new TypeError(message);
}
