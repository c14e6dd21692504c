import type { Operation } from '@verdant/hub';
import { Done } from '@verdant/hub/internal';
import { checkTimeout } from '../internal/check.js';
import { RuntimeError } from './runtime-error.js';
import { WaitLine } from './wait-line.js';

/** The longest timeout a lock accepts, in ms (Python's `TIMEOUT_MAX`, in ms here). */
export const TIMEOUT_MAX = 2 ** 31 - 1;

/** Python's (blocking, timeout) argument rules, shared by Lock and RLock. */
export function checkAcquire(what: string, blocking: unknown, timeoutMs: unknown): number | null {
  if (typeof blocking !== 'boolean') {
    throw new TypeError(
      `${what}(blocking, timeoutMs): blocking must be a boolean, got ${typeof blocking}`,
    );
  }
  const ms = checkTimeout(`${what}(blocking, timeoutMs): timeoutMs`, timeoutMs, true);
  if (!blocking && ms !== null) {
    throw new RangeError(
      `${what}(blocking, timeoutMs): a non-blocking call cannot take a timeoutMs`,
    );
  }
  return blocking ? ms : 0;
}

/**
 * Python's `with lock:` for Lock and RLock: runs `body()` holding `lock` and
 * releases it however `body` ends.
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

/**
 * A primitive lock (Python's `threading.Lock` / `_thread.allocate_lock()`):
 * any green thread may release it. Waiters get it in FIFO order; the lock is
 * handed straight to the next waiter, so a releasing thread cannot barge back.
 *
 * @example
 * const lock = new threading.Lock();
 * let counter = 0;
 * yield* lock.acquire();
 * try {
 *   counter++;
 * } finally {
 *   lock.release();
 * }
 * yield* lock.with(function* () {
 *   counter++; // Python's `with lock:`
 * });
 */
export class Lock {
  private held = false;
  // A waiter handed the lock but killed before it ran passes it on; one whose
  // park was dropped takes the lock if it came free meanwhile.
  private readonly waiters = new WaitLine(
    () => this.release(),
    () => this.take(),
  );

  /**
   * Takes the lock, blocking up to `timeoutMs` (null or -1: forever).
   * Returns whether it got it. `acquire(false)` never blocks.
   */
  acquire(blocking = true, timeoutMs: number | null = null): Operation<boolean> {
    const ms = checkAcquire('Lock.acquire', blocking, timeoutMs);
    if (this.take()) return new Done(true);
    if (ms === 0) return new Done(false);
    return this.waiters.park(ms, 'Lock.acquire');
  }

  private take(): boolean {
    if (this.held) return false;
    this.held = true;
    return true;
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

/**
 * A new unlocked primitive lock (Python's `_thread.allocate_lock()`).
 *
 * @example
 * const lock = thread.allocateLock();
 * yield* lock.acquire();
 * lock.release();
 */
export function allocateLock(): Lock {
  return new Lock();
}
