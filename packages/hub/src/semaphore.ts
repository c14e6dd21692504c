import { checkFlag, checkSize, checkThreadFunction, checkTimeout } from './check.js';
import type { Operation } from './operation.js';
import type { ThreadFunction } from './spawn.js';
import { stopTimer, Waiter, WaiterList } from './waiter-list.js';

const WAITING = 0;
const GRANTED = 1;
const EXPIRED = 2;

/**
 * A counting semaphore (eventlet's `Semaphore`): `acquire` takes one of
 * `value` permits, blocking while none is left; `release` gives one back.
 * Waiters are served first come, first served, and a released permit is
 * handed straight to the first waiter, so a newcomer cannot overtake it.
 * A waiter killed or timed out after it was handed a permit passes the
 * permit on: no permit leaks, none is counted twice.
 *
 * @example
 * import { run, Semaphore, sleep, spawn } from '@verdant/hub';
 *
 * const sem = new Semaphore(2); // at most two at a time
 * let inside = 0;
 * let most = 0;
 * await run(function* () {
 *   const workers = [1, 2, 3, 4, 5].map(() =>
 *     spawn(function* () {
 *       yield* sem.withPermit(function* () {
 *         most = Math.max(most, ++inside);
 *         yield* sleep(10);
 *         inside--;
 *       });
 *     }),
 *   );
 *   for (const w of workers) yield* w.wait();
 * });
 * console.log(most); // 2
 */
export class Semaphore {
  /** @internal Free permits; negative after a pool shrinks (the excess is absorbed by releases). */
  protected _counter: number;
  /** @internal */
  protected readonly _waiters = new WaiterList<boolean>();

  constructor(value = 1) {
    this._counter = checkSize(`new ${new.target.name}(value)`, 'value', value);
  }

  /**
   * Takes a permit. Blocks while none is free unless `blocking` is false;
   * returns false if it could not get one (non-blocking, or `timeoutMs` ran out).
   */
  acquire(blocking = true, timeoutMs?: number): Operation<boolean> {
    checkFlag('Semaphore.acquire(blocking, timeoutMs)', 'blocking', blocking);
    const ms = checkTimeout('Semaphore.acquire(blocking, timeoutMs)', 'timeoutMs', timeoutMs);
    if (!blocking && ms !== null) {
      throw new TypeError(
        'Semaphore.acquire(blocking, timeoutMs): a timeoutMs makes no sense with blocking = false',
      );
    }
    return this._acquire(blocking, ms);
  }

  private *_acquire(blocking: boolean, timeoutMs: number | null): Operation<boolean> {
    for (;;) {
      if (this._tryAcquire()) return true;
      if (!blocking) return false;
      const waiter = new Waiter<boolean>(this);
      yield* waiter.park(this._waiters, timeoutMs, 'semaphore acquire', 'Semaphore.acquire');
      if (waiter.state !== WAITING) return waiter.state === GRANTED;
      // Driven by hand, its park was dropped by another park or sleep: try anew.
    }
  }

  /** @internal takes a permit at once if one is free and nobody waits before us. */
  _tryAcquire(): boolean {
    if (this._counter > 0 && this._waiters.length === 0) {
      this._counter--;
      return true;
    }
    return false;
  }

  /**
   * Gives a permit back: to the first waiter if any, else to the pool of free
   * permits. Never blocks; callable from outside green threads.
   */
  release(): void {
    this._passOn();
  }

  /** @internal */
  protected _passOn(): void {
    const waiter = this._waiters.shift();
    if (waiter === undefined) {
      this._counter++;
      return;
    }
    waiter.state = GRANTED;
    waiter.resume(true);
  }

  /** @internal grows (delta > 0, waking waiters) or shrinks the number of permits. */
  _resize(delta: number): void {
    if (delta < 0) this._counter += delta;
    else for (let i = 0; i < delta; i++) this._passOn();
  }

  /** @internal a waiter's `timeoutMs` ran out. */
  _expire(waiter: Waiter<boolean>): void {
    if (waiter.state !== WAITING) return;
    this._waiters.remove(waiter);
    waiter.state = EXPIRED;
    waiter.resume(false);
  }

  /** @internal the park ended (the waiter's disposer). */
  _endWait(waiter: Waiter<boolean>, interrupted: boolean): void {
    stopTimer(waiter);
    if (!interrupted) return;
    if (waiter.state === WAITING) this._waiters.remove(waiter);
    else if (waiter.state === GRANTED) {
      // Handed a permit but killed before it ran (or, driven by hand, its park dropped):
      // the permit goes to the next in line, and a dropped acquire tries anew.
      waiter.state = WAITING;
      this._passOn();
    }
  }

  /**
   * Runs `fn(...args)` holding a permit, and releases it however `fn` ends
   * (eventlet's `with sem:`).
   */
  withPermit<A extends unknown[], T>(fn: ThreadFunction<A, T>, ...args: A): Operation<T> {
    checkThreadFunction('Semaphore.withPermit(fn)', 'fn', fn);
    return this._withPermit(fn, args);
  }

  private *_withPermit<A extends unknown[], T>(fn: ThreadFunction<A, T>, args: A): Operation<T> {
    yield* this._acquire(true, null);
    try {
      return yield* fn(...args);
    } finally {
      this.release();
    }
  }

  /** True when an `acquire` would block. */
  locked(): boolean {
    return this._counter <= 0;
  }

  /**
   * Free permits minus waiting threads: how many could acquire without
   * blocking, or (negative) how many are blocked.
   */
  get balance(): number {
    return this._counter - this._waiters.length;
  }

  /** Threads blocked in `acquire`. */
  waiting(): number {
    return this._waiters.length;
  }

  toString(): string {
    return `<${this.constructor.name} counter=${this._counter} waiters=${this._waiters.length}>`;
  }
}

/**
 * A `Semaphore` that refuses to be released more often than it was
 * acquired: `release` past the initial value throws a RangeError, which
 * catches a release in the wrong place early.
 *
 * @example
 * import { BoundedSemaphore, run } from '@verdant/hub';
 *
 * const lock = new BoundedSemaphore(1);
 * await run(function* () {
 *   yield* lock.acquire();
 *   lock.release();
 *   try {
 *     lock.release();
 *   } catch (e) {
 *     console.log(e instanceof RangeError); // true: released too many times
 *   }
 * });
 */
export class BoundedSemaphore extends Semaphore {
  /** The most free permits it may hold: its starting value. */
  readonly bound: number;

  constructor(value = 1) {
    super(value);
    this.bound = value;
  }

  /**
   * Gives a permit back; throws a RangeError if that would make more free
   * permits than the semaphore started with.
   */
  override release(): void {
    if (this._counter >= this.bound) {
      throw new RangeError(
        `BoundedSemaphore released too many times (it holds at most ${this.bound} permits)`,
      );
    }
    this._passOn();
  }
}

/**
 * A semaphore bounded on both sides (eventlet's `CappedSemaphore`):
 * `acquire` blocks while the count is 0, and `release` blocks while the
 * count is at `limit`, until an `acquire` makes room. Both take a timeout.
 *
 * @example
 * import { CappedSemaphore, run } from '@verdant/hub';
 *
 * const slots = new CappedSemaphore(0, 2); // starts empty, holds at most 2
 * await run(function* () {
 *   yield* slots.release(); // count 1
 *   yield* slots.release(); // count 2
 *   console.log(yield* slots.release(false)); // false: at the limit, and no waiting
 *   yield* slots.acquire(); // count 1
 * });
 */
export class CappedSemaphore {
  private readonly _lower: Semaphore;
  private readonly _upper: Semaphore;

  constructor(count: number, limit: number) {
    checkSize('new CappedSemaphore(count, limit)', 'count', count);
    checkSize('new CappedSemaphore(count, limit)', 'limit', limit);
    if (count > limit) {
      throw new RangeError(
        `CappedSemaphore(count, limit): count (${count}) cannot exceed limit (${limit})`,
      );
    }
    this._lower = new Semaphore(count);
    this._upper = new Semaphore(limit - count);
  }

  /** Decrements the count, blocking while it is 0; false if it could not. */
  acquire(blocking = true, timeoutMs?: number): Operation<boolean> {
    checkFlag('CappedSemaphore.acquire(blocking, timeoutMs)', 'blocking', blocking);
    const ms = checkTimeout('CappedSemaphore.acquire(blocking, timeoutMs)', 'timeoutMs', timeoutMs);
    return capped(this._lower, this._upper, blocking, ms);
  }

  /** Increments the count, blocking while it is at the limit; false if it could not. */
  release(blocking = true, timeoutMs?: number): Operation<boolean> {
    checkFlag('CappedSemaphore.release(blocking, timeoutMs)', 'blocking', blocking);
    const ms = checkTimeout('CappedSemaphore.release(blocking, timeoutMs)', 'timeoutMs', timeoutMs);
    return capped(this._upper, this._lower, blocking, ms);
  }

  /** True when an `acquire` would block. */
  locked(): boolean {
    return this._lower.locked();
  }

  /** True when a `release` would block. */
  bounded(): boolean {
    return this._upper.locked();
  }

  /**
   * The count available to `acquire` minus blocked acquirers, less the room
   * left below the limit (eventlet's definition).
   */
  get balance(): number {
    return this._lower.balance - this._upper.balance;
  }
}

// One side's permit becomes the other side's: take from `from`, give to `to`.
// Give first, like eventlet, so a release can wake an acquirer of a zero-limit
// semaphore; take the gift back if the take fails.
function* capped(
  from: Semaphore,
  to: Semaphore,
  blocking: boolean,
  timeoutMs: number | null,
): Operation<boolean> {
  if (!blocking && from.locked()) return false;
  to.release();
  let ok = false;
  try {
    ok = yield* from.acquire(true, timeoutMs ?? undefined);
  } finally {
    if (!ok) to._resize(-1);
  }
  return ok;
}
