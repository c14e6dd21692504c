import { Event } from './event.js';
import { GreenPile } from './green-pile.js';
import type { GreenThread } from './green-thread.js';
import { hub } from './hub.js';
import type { Operation } from './operation.js';
import { Semaphore } from './semaphore.js';
import { checkThreadFunction, spawn, type ThreadFunction } from './spawn.js';
import { checkTimeout } from './waiter-list.js';

type AnyThread = GreenThread<unknown>;

/**
 * A bounded set of green threads (eventlet's `GreenPool`): at most `size`
 * run at once; `spawn` blocks the caller while the pool is full, which is
 * what keeps a producer from outrunning its workers. `imap`/`starmap` map a
 * function over inputs with at most `size` calls in flight and hand back
 * the results in input order.
 *
 * @example
 * const pool = new GreenPool(10);
 * for (const url of urls) yield* pool.spawnN(fetchPage, url);
 * yield* pool.waitall();
 */
export class GreenPool {
  private _size: number;
  private readonly _sem: Semaphore;
  private readonly _members = new Set<AnyThread>();
  /** spawn calls waiting for, or just granted, a slot. */
  private _starting = 0;
  private _idle: Event<boolean> | undefined = undefined;

  constructor(size = 1000) {
    checkSize('GreenPool(size)', size);
    this._size = size;
    this._sem = new Semaphore(size);
  }

  /**
   * Starts `fn(...args)` in the pool and returns its thread, blocking while
   * the pool is full. A pool thread spawning into its own full pool runs the
   * new thread to its end first instead (eventlet runs it inline), so it
   * cannot deadlock on itself. Bound the wait with `withTimeout` if needed.
   *
   * @example
   * const gt = yield* pool.spawn(fetchPage, url);
   * const page = yield* gt.wait();
   */
  spawn<A extends unknown[], T>(fn: ThreadFunction<A, T>, ...args: A): Operation<GreenThread<T>> {
    checkThreadFunction('GreenPool.spawn', fn);
    return this._spawn(fn, args);
  }

  /**
   * Like `spawn`, keeping no handle on the thread.
   *
   * @example
   * yield* pool.spawnN(handle, conn);
   */
  spawnN<A extends unknown[]>(fn: ThreadFunction<A, unknown>, ...args: A): Operation<void> {
    checkThreadFunction('GreenPool.spawnN', fn);
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
    this._members.add(gt as AnyThread);
    gt.link(this._onExit as (gt: GreenThread<T>) => void);
    return gt;
  }

  /** @internal starts a member thread if a slot is free now. */
  _tryStart<A extends unknown[], T>(fn: ThreadFunction<A, T>, args: A): GreenThread<T> | undefined {
    return this._sem._tryAcquire() ? this._start(fn, args) : undefined;
  }

  private readonly _onExit = (gt: AnyThread): void => {
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
   *
   * @example
   * yield* pool.waitall();
   */
  waitall(timeoutMs?: number): Operation<boolean> {
    checkTimeout('waitall(timeoutMs)', timeoutMs);
    const current = hub.current;
    if (current !== null && this._members.has(current)) {
      throw new Error(
        'GreenPool.waitall() called from a thread of the same pool: it would wait for itself forever',
      );
    }
    return this._waitall(timeoutMs ?? undefined);
  }

  private *_waitall(timeoutMs: number | undefined): Operation<boolean> {
    if (this._members.size === 0 && this._starting === 0) return true;
    this._idle ??= new Event<boolean>();
    return (yield* this._idle.wait(timeoutMs)) === true;
  }

  /**
   * Threads of the pool running now.
   *
   * @example
   * pool.running(); // 0
   */
  running(): number {
    return this._members.size;
  }

  /**
   * How many more threads could start now without blocking.
   *
   * @example
   * new GreenPool(4).free(); // 4
   */
  free(): number {
    return Math.max(0, this._sem.balance);
  }

  /**
   * Threads blocked in `spawn`, waiting for a slot.
   *
   * @example
   * pool.waiting(); // 0
   */
  waiting(): number {
    return this._sem.waiting();
  }

  /**
   * The most threads the pool runs at once.
   *
   * @example
   * new GreenPool(8).size; // 8
   */
  get size(): number {
    return this._size;
  }

  /**
   * Changes the pool's size. Growing it starts blocked spawners at once;
   * shrinking it lets running threads finish, and no new one starts until
   * fewer than the new size run.
   *
   * @example
   * pool.resize(50);
   */
  resize(size: number): void {
    checkSize('resize(size)', size);
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
   *
   * @example
   * const pages = pool.imap(fetchPage, urls);
   * for (let r = yield* pages.next(); !r.done; r = yield* pages.next()) save(r.value);
   */
  imap<A extends unknown[], T>(
    fn: ThreadFunction<A, T>,
    ...iterables: { [K in keyof A]: Iterable<A[K]> }
  ): GreenPile<T> {
    checkThreadFunction('GreenPool.imap', fn);
    if (iterables.length === 0)
      throw new TypeError('GreenPool.imap(fn, ...iterables): give at least one iterable');
    for (const [i, it] of iterables.entries()) checkIterable(`GreenPool.imap: iterable ${i}`, it);
    const pile = new GreenPile<T>(this);
    pile._feed(fn as ThreadFunction<unknown[], T>, zip(iterables as Iterable<unknown>[]));
    return pile;
  }

  /**
   * Like `imap`, with each input already an argument list.
   *
   * @example
   * const sums = pool.starmap(function* (a: number, b: number) { return a + b }, [[1, 2], [3, 4]]);
   * yield* sums.toArray(); // [3, 7]
   */
  starmap<A extends unknown[], T>(fn: ThreadFunction<A, T>, argLists: Iterable<A>): GreenPile<T> {
    checkThreadFunction('GreenPool.starmap', fn);
    checkIterable('GreenPool.starmap(fn, argLists): argLists', argLists);
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

function checkIterable(what: string, value: unknown): void {
  if (value === null || typeof (value as Iterable<unknown>)?.[Symbol.iterator] !== 'function') {
    throw new TypeError(`${what} must be iterable, got ${value === null ? 'null' : typeof value}`);
  }
}

/** @internal validates a pool size at the call. */
export function checkSize(what: string, size: unknown): void {
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) {
    throw new TypeError(`${what}: size must be an integer >= 0, got ${String(size)}`);
  }
}
