import {
  BoundedSemaphore as HubBoundedSemaphore,
  Semaphore as HubSemaphore,
  type Operation,
} from '@verdant/hub';
import { checkInteger } from '../internal/check.js';

function checkN(n: unknown): number {
  return checkInteger('release(n): n', n, 1);
}

/**
 * Python's `threading.Semaphore`: the hub's Semaphore (no second
 * implementation) with Python's `release(n)` and a `with` block.
 * `acquire(blocking = true, timeoutMs?)` returns whether it got a permit.
 *
 * @example
 * const slots = new threading.Semaphore(2);
 * const workers = [1, 2, 3].map((n) =>
 *   spawn(function* () {
 *     yield* slots.with(function* () {
 *       yield* time.sleep(10 * n); // at most two of these at once
 *     });
 *   }),
 * );
 * for (const w of workers) yield* w.wait();
 */
export class Semaphore extends HubSemaphore {
  /** Returns `n` permits, waking up to `n` waiters. */
  override release(n = 1): void {
    checkN(n);
    for (let i = 0; i < n; i++) super.release();
  }

  /** Runs `body()` holding a permit (Python's `with sem:`). */
  with<T>(body: () => Operation<T>): Operation<T> {
    return this.withPermit(body);
  }
}

/**
 * Python's `threading.BoundedSemaphore`: releasing more than it was created
 * with throws (a RangeError, Python's ValueError), catching release bugs.
 *
 * @example
 * const sem = new threading.BoundedSemaphore(1);
 * yield* sem.acquire();
 * sem.release();
 * try {
 *   sem.release();
 * } catch (e) {
 *   console.log(e instanceof RangeError); // true: released more often than acquired
 * }
 */
export class BoundedSemaphore extends HubBoundedSemaphore {
  /** Returns `n` permits; throws without releasing any if that would exceed the bound. */
  override release(n = 1): void {
    checkN(n);
    if (n > 1 && this.balance + n > this.bound) {
      throw new RangeError('BoundedSemaphore released too many times');
    }
    for (let i = 0; i < n; i++) super.release();
  }

  /** Runs `body()` holding a permit (Python's `with sem:`). */
  with<T>(body: () => Operation<T>): Operation<T> {
    return this.withPermit(body);
  }
}
