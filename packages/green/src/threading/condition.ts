import type { Operation } from '@verdant/hub';
import { checkFunction, checkInteger, checkTimeout } from '../internal/check.js';
import type { Lock } from './lock.js';
import { RLock } from './rlock.js';
import { RuntimeError } from './runtime-error.js';
import { WaitLine } from './wait-line.js';

/** What Condition needs from its lock: Lock and RLock both fit. */
export type ConditionLock = Lock | RLock;

/**
 * A condition variable (Python's `threading.Condition`) over a Lock or RLock
 * (a new RLock by default). `wait` releases the lock, parks until `notify`,
 * and takes the lock back before returning, even when it is killed or times
 * out. Waiters are woken in the order they started waiting.
 *
 * @example
 * const cond = new threading.Condition();
 * const items: number[] = [];
 * spawn(function* () {
 *   yield* cond.with(function* () {
 *     items.push(1);
 *     cond.notify();
 *   });
 * });
 * yield* cond.with(function* () {
 *   yield* cond.waitFor(() => items.length > 0);
 *   items.shift(); // 1
 * });
 */
export class Condition {
  readonly lock: ConditionLock;
  // A waiter notified but killed before it ran hands its wake-up to the next one. One
  // notified whose park was then dropped (driven by hand) still returns true at its next
  // step, so no notify is lost even when nobody else waited: a spurious wake-up at worst.
  private readonly waiters: WaitLine = new WaitLine(
    () => {
      this.waiters.grantFirst();
    },
    (_, notified) => notified,
  );

  constructor(lock?: ConditionLock) {
    if (lock !== undefined && !isLock(lock)) {
      throw new TypeError('new Condition(lock): lock must be a Lock or RLock from threading');
    }
    this.lock = lock ?? new RLock();
  }

  /** Acquires the underlying lock (same arguments as `Lock.acquire`). */
  acquire(blocking = true, timeoutMs: number | null = null): Operation<boolean> {
    return this.lock.acquire(blocking, timeoutMs);
  }

  /** Releases the underlying lock. */
  release(): void {
    this.lock.release();
  }

  /** Runs `body()` holding the underlying lock (Python's `with cond:`). */
  with<T>(body: () => Operation<T>): Operation<T> {
    return this.lock.with(body);
  }

  /**
   * Releases the lock, waits until notified or `timeoutMs` passes, then
   * re-acquires the lock. Returns false if it timed out. The caller must hold
   * the lock (RuntimeError otherwise).
   */
  wait(timeoutMs: number | null = null): Operation<boolean> {
    const ms = checkTimeout('Condition.wait(timeoutMs): timeoutMs', timeoutMs);
    if (!this.lock._isOwned()) throw new RuntimeError('cannot wait on un-acquired lock');
    return this.waitLocked(ms);
  }

  private *waitLocked(ms: number | null): Operation<boolean> {
    const saved = this.lock._releaseSave();
    let notified = false;
    let interruption: { error: unknown } | undefined;
    try {
      notified = yield* this.waiters.park(ms, 'Condition.wait');
    } catch (error) {
      interruption = { error };
    }
    // The caller's with-block releases the lock however wait ends, so wait never ends without
    // it: a kill or Timeout landing during the re-acquire waits for the lock, then goes on.
    for (;;) {
      try {
        yield* this.lock._acquireRestore(saved);
        break;
      } catch (error) {
        interruption ??= { error };
      }
    }
    if (interruption !== undefined) throw interruption.error;
    return notified;
  }

  /**
   * Waits until `predicate()` is truthy, re-checking after each notify;
   * returns the last predicate value (falsy if `timeoutMs` ran out).
   */
  waitFor<T>(predicate: () => T, timeoutMs: number | null = null): Operation<T> {
    checkFunction('Condition.waitFor(predicate, timeoutMs): predicate', predicate);
    const ms = checkTimeout('Condition.waitFor(predicate, timeoutMs): timeoutMs', timeoutMs);
    if (!this.lock._isOwned()) throw new RuntimeError('cannot wait on un-acquired lock');
    return this.waitForLocked(predicate, ms);
  }

  private *waitForLocked<T>(predicate: () => T, ms: number | null): Operation<T> {
    const deadline = ms === null ? 0 : performance.now() + ms;
    let result = predicate();
    while (!result) {
      let left: number | null = null;
      if (ms !== null) {
        left = deadline - performance.now();
        if (left <= 0) break;
      }
      yield* this.waitLocked(left);
      result = predicate();
    }
    return result;
  }

  /** Wakes up to `n` waiting threads, longest waiting first. The caller must hold the lock. */
  notify(n = 1): void {
    checkInteger('Condition.notify(n): n', n, 0);
    if (!this.lock._isOwned()) throw new RuntimeError('cannot notify on un-acquired lock');
    for (let i = 0; i < n && this.waiters.grantFirst() !== undefined; i++);
  }

  /** Wakes every waiting thread. The caller must hold the lock. */
  notifyAll(): void {
    if (!this.lock._isOwned()) throw new RuntimeError('cannot notify on un-acquired lock');
    while (this.waiters.grantFirst() !== undefined);
  }
}

function isLock(value: unknown): value is ConditionLock {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ConditionLock)._releaseSave === 'function' &&
    typeof (value as ConditionLock)._acquireRestore === 'function'
  );
}
