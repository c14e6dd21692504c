import { brandCheck } from './brand.js';
import { checkDuration, checkError, checkThreadFunction } from './check.js';
import { hub } from './hub.js';
import type { Operation } from './operation.js';
import { notInThread } from './suspend.js';
import { TIMEOUT } from './symbols.js';
import type { ThreadRecord } from './thread-record.js';
import type { Timer } from './timer.js';

/**
 * eventlet's Timeout: started on creation, it throws itself (or `error`) into
 * the thread that created it at whatever that thread is blocked on, unless
 * `cancel()` comes first. Each Timeout is its own error, so nested timeouts
 * tell theirs apart with `===`; it never hits another thread, and it is
 * cancelled when its thread ends. `ms === null` never fires.
 *
 * @example
 * import { run, sleep, Timeout } from '@verdant/hub';
 *
 * const result = await run(function* () {
 *   const timeout = new Timeout(50);
 *   try {
 *     yield* sleep(1000);
 *     return 'slept';
 *   } catch (e) {
 *     if (e !== timeout) throw e;
 *     return 'timed out';
 *   } finally {
 *     timeout.cancel();
 *   }
 * });
 * console.log(result); // 'timed out'
 */
export class Timeout extends Error {
  declare readonly [TIMEOUT]: true;
  readonly ms: number | null;
  private timer: Timer | undefined;
  private readonly thread: ThreadRecord;
  private readonly error: Error | undefined;

  constructor(ms: number | null, error?: Error) {
    if (ms !== null) checkDuration('new Timeout(ms)', 'ms', ms);
    checkError('new Timeout(ms, error)', 'error', error);
    super(ms === null ? 'timeout (never fires)' : `timed out after ${ms} ms`);
    this.name = 'Timeout';
    const thread = hub.current;
    if (thread === null) throw notInThread('new Timeout');
    this.ms = ms;
    this.thread = thread;
    this.error = error;
    if (ms !== null) {
      this.timer = hub.timers.add(ms, fireTimeout, this);
      (thread._timeouts ??= new Set()).add(this);
    }
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return brandCheck(this, Timeout, TIMEOUT, value);
  }

  /** True while the timeout can still fire. */
  get pending(): boolean {
    return this.timer !== undefined && !this.timer.done;
  }

  /** Stops the timeout; safe to call after it fired or more than once. */
  cancel(): void {
    const timer = this.timer;
    if (timer === undefined) return;
    this.timer = undefined;
    timer.cancel();
    this.thread._timeouts?.delete(this);
  }

  /** @internal called from the timer queue. */
  _fire(): void {
    this.timer = undefined;
    this.thread._timeouts?.delete(this);
    hub.interrupt(this.thread, this.error ?? this);
  }
}
Object.defineProperty(Timeout.prototype, TIMEOUT, { value: true });

function fireTimeout(timeout: Timeout): void {
  timeout._fire();
}

/**
 * Runs `fn()` with a time limit (eventlet's `with_timeout`). If it runs out,
 * returns `fallback` when one was given, otherwise throws the `Timeout`.
 *
 * @example
 * import { run, sleep, withTimeout } from '@verdant/hub';
 *
 * const page = await run(function* () {
 *   return yield* withTimeout(
 *     50,
 *     function* () {
 *       yield* sleep(1000);
 *       return 'page';
 *     },
 *     null,
 *   );
 * });
 * console.log(page); // null
 */
export function withTimeout<T>(ms: number | null, fn: () => Operation<T>): Operation<T>;
export function withTimeout<T, F>(
  ms: number | null,
  fn: () => Operation<T>,
  fallback: F,
): Operation<T | F>;
export function withTimeout<T, F>(
  ms: number | null,
  fn: () => Operation<T>,
  ...rest: [F?]
): Operation<T | F> {
  if (ms !== null) checkDuration('withTimeout(ms)', 'ms', ms);
  checkThreadFunction('withTimeout(fn)', 'fn', fn);
  return runWithTimeout(ms, fn, rest.length > 0, rest[0] as F);
}

function* runWithTimeout<T, F>(
  ms: number | null,
  fn: () => Operation<T>,
  hasFallback: boolean,
  fallback: F,
): Operation<T | F> {
  const timeout = new Timeout(ms);
  try {
    return yield* fn();
  } catch (error) {
    if (error === timeout && hasFallback) return fallback;
    throw error;
  } finally {
    timeout.cancel();
  }
}
