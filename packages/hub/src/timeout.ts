import { brandCheck } from './brand.js';
import type { GreenThread } from './green-thread.js';
import { hub } from './hub.js';
import type { Operation } from './operation.js';
import { checkThreadFunction } from './spawn.js';
import { notInThread } from './suspend.js';
import type { Timer } from './timer.js';

const BRAND = Symbol.for('verdant.hub/Timeout');

/**
 * eventlet's Timeout: started on creation, it throws itself (or `error`) into
 * the thread that created it at whatever that thread is blocked on, unless
 * `cancel()` comes first. Each Timeout is its own error, so nested timeouts
 * tell theirs apart with `===`; it never hits another thread, and it is
 * cancelled when its thread ends. `ms === null` never fires.
 *
 * @example
 * const timeout = new Timeout(1000);
 * try {
 *   data = yield* sock.recv(1024);
 * } catch (e) {
 *   if (e !== timeout) throw e;
 *   data = null;
 * } finally {
 *   timeout.cancel();
 * }
 */
export class Timeout extends Error {
  declare readonly [BRAND]: true;
  readonly ms: number | null;
  private timer: Timer | undefined;
  private readonly thread: GreenThread<unknown>;
  private readonly error: Error | undefined;

  constructor(ms: number | null, error?: Error) {
    checkMs('Timeout', ms);
    if (error !== undefined && !(error instanceof Error)) {
      throw new TypeError('new Timeout(ms, error): error must be an Error instance when given');
    }
    super(ms === null ? 'timeout (never fires)' : `timed out after ${ms} ms`);
    this.name = 'Timeout';
    const thread = hub.current;
    if (thread === null) throw notInThread('new Timeout');
    this.ms = ms;
    this.thread = thread;
    this.error = error;
    if (ms !== null) {
      this.timer = hub.callLater(ms, fireTimeout, this);
      (thread._timeouts ??= new Set()).add(this);
    }
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return brandCheck(this, Timeout, BRAND, value);
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

  /** @internal called from the timer heap. */
  _fire(): void {
    this.timer = undefined;
    this.thread._timeouts?.delete(this);
    hub.interrupt(this.thread, this.error ?? this);
  }
}
Object.defineProperty(Timeout.prototype, BRAND, { value: true });

function fireTimeout(timeout: Timeout): void {
  timeout._fire();
}

/**
 * Runs `fn()` with a time limit (eventlet's `with_timeout`). If it runs out,
 * returns `fallback` when one was given, otherwise throws the `Timeout`.
 *
 * @example
 * const page = yield* withTimeout(2000, function* () { return yield* fetchPage(url) }, null);
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
  checkMs('withTimeout', ms);
  checkThreadFunction('withTimeout', fn);
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

function checkMs(what: string, ms: unknown): void {
  if (ms === null) return;
  if (typeof ms !== 'number' || !(ms >= 0) || ms === Number.POSITIVE_INFINITY) {
    throw new TypeError(
      `${what}(ms): ms must be a finite number >= 0 (milliseconds) or null, got ${String(ms)}`,
    );
  }
}
