import { type Operation, suspend } from '@verdant/hub';
import { startTimer, stopTimer, Waiter, WaiterList, type WaitOwner } from '@verdant/hub/internal';
import { checkTimeout } from './check-timeout.js';

/**
 * Python's `RuntimeError`, thrown by threading misuse: releasing a lock that
 * is not held, or an RLock the caller does not own.
 *
 * @example
 * try { lock.release() } catch (e) { if (e instanceof RuntimeError) ... }
 */
export class RuntimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeError';
  }
}

/** @internal Shared by Lock and RLock: Python's (blocking, timeout) argument rules. @example checkAcquire('Lock.acquire', true, 100) // 100 */
export function checkAcquire(what: string, blocking: unknown, timeoutMs: unknown): number | null {
  if (typeof blocking !== 'boolean') {
    throw new TypeError(
      `${what}(blocking, timeoutMs): blocking must be a boolean, got ${typeof blocking}`,
    );
  }
  const ms = checkTimeout(`${what}(blocking, timeoutMs): timeoutMs`, timeoutMs, {
    minusOneIsForever: true,
  });
  if (!blocking && ms !== null) {
    throw new RangeError(
      `${what}(blocking, timeoutMs): a non-blocking call cannot take a timeoutMs`,
    );
  }
  return blocking ? ms : 0;
}

function* done<T>(value: T): Operation<T> {
  return value;
}

/**
 * @internal Python's `with lock:` for Lock and RLock: runs `body()` holding
 * `lock` and releases it however `body` ends.
 *
 * @example
 * return holding(this, body);
 */
export function* holding<T>(
  lock: { acquire(): Operation<boolean>; release(): void },
  body: () => Operation<T>,
): Operation<T> {
  yield* lock.acquire();
  try {
    return yield* body();
  } finally {
    lock.release();
  }
}

// Waiter.state in a WaitLine.
const WAITING = 0;
const GRANTED = 1;
const EXPIRED = 2;
const FAILED = 3;

/**
 * @internal The FIFO of threads parked on a Lock, RLock, Condition or
 * Barrier: the hub's WaiterList plus the hand-over rule they share. A waiter
 * handed its turn (`grantFirst`) but interrupted by a kill or Timeout before
 * it ran calls `passOn`, so the lock or notify goes on to the next in line.
 *
 * @example
 * const line = new WaitLine(() => lock.release());
 * const got = yield* line.park(100, 'Lock.acquire'); // false: timed out
 */
export class WaitLine<V = undefined> extends WaiterList<V> implements WaitOwner<V> {
  constructor(private readonly passOn: () => void) {
    super();
  }

  /**
   * Parks the current thread at the back of the line, carrying `value`, until
   * `grantFirst` (true), `timeoutMs` runs out (false; null waits forever) or
   * `failAll` (throws).
   */
  *park(timeoutMs: number | null, label: string, value?: V): Operation<boolean> {
    const waiter = new Waiter<V>(this);
    waiter.value = value;
    yield* suspend((resume, fail) => {
      waiter.resume = resume;
      waiter.fail = fail;
      this.push(waiter);
      if (timeoutMs !== null) startTimer(waiter, timeoutMs);
      return (interrupted) => this.leave(waiter, interrupted);
    }, label);
    return waiter.state === GRANTED;
  }

  /** Wakes the longest waiter, handing it its turn; returns it, or undefined if none waits. */
  grantFirst(): Waiter<V> | undefined {
    for (let waiter = this.shift(); waiter !== undefined; waiter = this.shift()) {
      waiter.state = GRANTED;
      if (waiter.resume(true)) return waiter;
      waiter.state = EXPIRED;
    }
    return undefined;
  }

  /** Throws `error` into every waiter (a broken Barrier). */
  failAll(error: unknown): void {
    for (let waiter = this.shift(); waiter !== undefined; waiter = this.shift()) {
      waiter.state = FAILED;
      waiter.fail(error);
    }
  }

  /** @internal A waiter's `timeoutMs` ran out. */
  _expire(waiter: Waiter<V>): void {
    if (waiter.state !== WAITING) return;
    this.remove(waiter);
    waiter.state = EXPIRED;
    waiter.resume(false);
  }

  private leave(waiter: Waiter<V>, interrupted: boolean): void {
    stopTimer(waiter);
    if (!interrupted) return;
    if (waiter.state === WAITING) this.remove(waiter);
    else if (waiter.state === GRANTED) {
      waiter.state = EXPIRED;
      this.passOn();
    }
  }
}

/**
 * A primitive lock (Python's `threading.Lock` / `_thread.allocate_lock()`):
 * any green thread may release it. Waiters get it in FIFO order; the lock is
 * handed straight to the next waiter, so a releasing thread cannot barge back.
 *
 * @example
 * const lock = new Lock();
 * yield* lock.acquire();
 * try { counter++ } finally { lock.release() }
 * // or, like Python's `with lock:`
 * yield* lock.with(function* () { counter++ });
 */
export class Lock {
  private held = false;
  // A waiter handed the lock but killed before it ran passes it on.
  private readonly waiters = new WaitLine(() => this.release());

  /**
   * Takes the lock, blocking up to `timeoutMs` (null or -1: forever).
   * Returns whether it got it. `acquire(false)` never blocks.
   */
  acquire(blocking = true, timeoutMs: number | null = null): Operation<boolean> {
    const ms = checkAcquire('Lock.acquire', blocking, timeoutMs);
    if (!this.held) {
      this.held = true;
      return done(true);
    }
    if (ms === 0) return done(false);
    return this.waiters.park(ms, 'Lock.acquire');
  }

  /** Releases the lock; throws RuntimeError if it is not held. */
  release(): void {
    if (!this.held) throw new RuntimeError('release unlocked lock');
    // Hand over without unlocking: the next waiter owns it from now on.
    if (this.waiters.grantFirst() === undefined) this.held = false;
  }

  /** True while some thread holds the lock. */
  locked(): boolean {
    return this.held;
  }

  /**
   * Runs `body()` holding the lock and releases it however `body` ends
   * (Python's `with lock:`).
   */
  with<T>(body: () => Operation<T>): Operation<T> {
    return holding(this, body);
  }

  /** @internal Condition support: a Lock has no owner to save. */
  _isOwned(): boolean {
    return this.held;
  }

  /** @internal Condition.wait: release, nothing to remember. */
  _releaseSave(): number {
    this.release();
    return 1;
  }

  /** @internal Condition.wait: take the lock back. */
  _acquireRestore(_count: number): Operation<boolean> {
    return this.acquire();
  }

  toString(): string {
    return `<Lock ${this.held ? 'locked' : 'unlocked'} waiters=${this.waiters.length}>`;
  }
}
