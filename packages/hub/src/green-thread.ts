import { brandCheck } from './brand.js';
import { checkError, checkFunction } from './check.js';
import { GreenletExit } from './greenlet-exit.js';
import { hub } from './hub.js';
import { JoinOp } from './join-op.js';
import type { Operation } from './operation.js';
import { GREEN_THREAD } from './symbols.js';
import { DEAD, ThreadRecord } from './thread-record.js';

/**
 * A green thread: a generator driven by the hub. Create one with `spawn`.
 *
 * @example
 * import { run, sleep, spawn } from '@verdant/hub';
 *
 * const doubled = await run(function* () {
 *   const gt = spawn(function* (n: number) {
 *     yield* sleep(10);
 *     return n * 2;
 *   }, 21);
 *   gt.name = 'doubler';
 *   return yield* gt.wait();
 * });
 * console.log(doubled); // 42
 */
export class GreenThread<T = unknown> extends ThreadRecord<T> {
  declare readonly [GREEN_THREAD]: true;

  /** `args` undefined when there are none: 100k parked threads would keep 100k empty arrays. */
  constructor(fn: (...args: unknown[]) => Operation<T>, args: unknown[] | undefined) {
    super(++hub.lastId, fn, args !== undefined && args.length === 0 ? undefined : args);
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return brandCheck(this, GreenThread, GREEN_THREAD, value);
  }

  /** True once the thread has begun running its function. */
  get started(): boolean {
    return this._started;
  }

  /** True once the thread has returned, thrown, or been killed. */
  get dead(): boolean {
    return this._state === DEAD;
  }

  /**
   * Aborted when the thread ends or is killed: hand it to `fetch`, `fs`,
   * `events.once` and other AbortSignal-aware APIs so they stop with it.
   */
  get signal(): AbortSignal {
    if (this._controller === undefined) {
      this._controller = new AbortController();
      if (this._state === DEAD) this._controller.abort(this._ok ? undefined : this._result);
    }
    return this._controller.signal;
  }

  /**
   * Waits for the thread to end: returns its result, or rethrows its error
   * (`GreenletExit` if it was killed). It returns an operation, not a
   * generator function's: to run it as a thread of its own, wrap it:
   * `spawn(function* () { return yield* t.wait(); })`.
   */
  wait(): Operation<T> {
    return new JoinOp(this) as unknown as Operation<T>;
  }

  /**
   * Throws `GreenletExit` (or `error`) into the thread at the point where it
   * is blocked; its `finally` blocks run. Killing the running thread throws
   * at once; killing a thread that has not started means it never runs.
   * Returns false if the thread was already dead.
   */
  kill(error?: unknown): boolean {
    const reason = checkError('kill(error)', 'error', error) ?? new GreenletExit();
    if (this._state === DEAD) return false;
    if (hub.current === this) throw reason;
    if (!hub.interrupt(this, reason)) return false;
    // Abort at the kill, not at the end: fetch or fs work the thread started stops now.
    const controller = this._controller;
    if (controller !== undefined && !controller.signal.aborted) controller.abort(reason);
    return true;
  }

  /** Kills the thread only if it has not started yet; returns whether it did. */
  cancel(error?: unknown): boolean {
    if (this._started || this._state === DEAD) return false;
    return this.kill(error);
  }

  /** Calls `fn(thread)` when the thread ends (at once, soon, if it already has). */
  link(fn: (gt: GreenThread<T>) => void): void {
    checkFunction('link(fn)', 'fn', fn);
    if (this._state === DEAD) callSoonWith(fn, this);
    else (this._links ??= []).push(fn as (thread: ThreadRecord) => void);
  }

  /** Removes a callback added with `link`; returns whether it was there. */
  unlink(fn: (gt: GreenThread<T>) => void): boolean {
    const at = this._links ? this._links.indexOf(fn as (thread: ThreadRecord) => void) : -1;
    if (at < 0) return false;
    this._links!.splice(at, 1);
    return true;
  }

  override toString(): string {
    return `<GreenThread ${this.name}>`;
  }
}
Object.defineProperty(GreenThread.prototype, GREEN_THREAD, { value: true });

/** Apart from `link`, whose every call (GreenPool links each thread) would otherwise allocate the closure's context. */
function callSoonWith<T>(fn: (gt: GreenThread<T>) => void, thread: GreenThread<T>): void {
  hub.callSoon(() => fn(thread));
}
