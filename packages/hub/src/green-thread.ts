import { brandCheck } from './brand.js';
import { GreenletExit } from './greenlet-exit.js';
import { hub, type ThreadState } from './hub.js';
import type { Operation } from './operation.js';
import { suspend } from './suspend.js';
import type { Timer } from './timer.js';

const BRAND = Symbol.for('verdant.hub/GreenThread');

/** What `suspend`'s arm returns: run once when the park ends; `interrupted` when a kill or Timeout ended it. */
export type Disposer = (interrupted: boolean) => void;
export type Arm<T> = (
  resume: (value: T) => boolean,
  fail: (error: unknown) => boolean,
) => Disposer | undefined | void;

type Waiter = { resume: (value: unknown) => boolean; fail: (error: unknown) => boolean };

/**
 * A green thread: a generator driven by the hub. Create one with `spawn`.
 * Fields prefixed `_` belong to the hub's driver (plain fields, not `#`,
 * so a second copy of this package can drive the same objects).
 *
 * @example
 * const gt = spawn(function* (a: number) { yield* sleep(10); return a * 2 }, 21);
 * const n = yield* gt.wait(); // 42
 */
export class GreenThread<T = unknown> {
  declare readonly [BRAND]: true;
  readonly id: number;
  _name: string | undefined = undefined;
  _fn: ((...args: unknown[]) => Operation<T>) | undefined;
  _args: unknown[] | undefined;
  _gen: Operation<T> | undefined = undefined;
  _state: ThreadState = 0;
  _started = false;
  /** How the next step resumes the generator: 0 next(value), 1 throw(value). */
  _mode = 0;
  _value: unknown = undefined;
  /** Bumped on every park and interrupt, so a stale wake-up is ignored. */
  _epoch = 0;
  _interrupted = false;
  _arm: Arm<unknown> | undefined = undefined;
  _disposer: Disposer | undefined = undefined;
  _timer: Timer | undefined = undefined;
  _sleepMs = 0;
  _blockedOn: string | undefined = undefined;
  _ok = false;
  _result: unknown = undefined;
  _waiters: Waiter[] | undefined = undefined;
  /** Typed without T so a GreenThread<number> is also a GreenThread<unknown>. */
  _links: ((gt: GreenThread) => void)[] | undefined = undefined;
  _controller: AbortController | undefined = undefined;
  _timeouts: Set<{ cancel(): void }> | undefined = undefined;
  _locals: Map<object, unknown> | undefined = undefined;
  /** Its failure is reported by whoever started it (`run`, `main`), not logged by the hub. */
  _observed = false;
  _prev: GreenThread<unknown> | undefined = undefined;
  _next: GreenThread<unknown> | undefined = undefined;

  constructor(fn: (...args: unknown[]) => Operation<T>, args: unknown[]) {
    this.id = ++hub.lastId;
    this._fn = fn;
    this._args = args;
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    return brandCheck(this, GreenThread, BRAND, value);
  }

  /** Defaults to `GreenThread-<id>`; set it to find the thread in logs and `getHub().threads()`. */
  get name(): string {
    return this._name ?? `GreenThread-${this.id}`;
  }
  set name(value: string) {
    if (typeof value !== 'string')
      throw new TypeError(`name must be a string, got ${typeof value}`);
    this._name = value;
  }

  /** True once the thread has begun running its function. */
  get started(): boolean {
    return this._started;
  }

  /** True once the thread has returned, thrown, or been killed. */
  get dead(): boolean {
    return this._state === 5;
  }

  /**
   * Aborted when the thread ends or is killed: hand it to `fetch`, `fs`,
   * `events.once` and other AbortSignal-aware APIs so they stop with it.
   */
  get signal(): AbortSignal {
    if (this._controller === undefined) {
      this._controller = new AbortController();
      if (this._state === 5) this._controller.abort(this._ok ? undefined : this._result);
    }
    return this._controller.signal;
  }

  /**
   * Waits for the thread to end: returns its result, or rethrows its error
   * (`GreenletExit` if it was killed).
   */
  *wait(): Operation<T> {
    if (this._state !== 5) {
      if (hub.current === this)
        throw new Error(`${this.name} cannot wait for itself: that would block forever`);
      yield* suspend<unknown>((resume, fail) => {
        const waiter: Waiter = { resume, fail };
        (this._waiters ??= []).push(waiter);
        return () => {
          const list = this._waiters;
          const at = list ? list.indexOf(waiter) : -1;
          if (at >= 0) list!.splice(at, 1);
        };
      }, `wait for ${this.name}`);
    }
    if (!this._ok) throw this._result;
    return this._result as T;
  }

  /**
   * Throws `GreenletExit` (or `error`) into the thread at the point where it
   * is blocked; its `finally` blocks run. Killing the running thread throws
   * at once; killing a thread that has not started means it never runs.
   * Returns false if the thread was already dead.
   */
  kill(error?: unknown): boolean {
    if (error !== undefined && !(error instanceof Error)) {
      throw new TypeError(`kill(error): error must be an Error instance, got ${describe(error)}`);
    }
    const reason = error ?? new GreenletExit();
    if (this._state === 5) return false;
    if (hub.current === this) throw reason;
    if (!hub.interrupt(this as GreenThread<unknown>, reason)) return false;
    // Abort at the kill, not at the end: fetch or fs work the thread started stops now.
    const controller = this._controller;
    if (controller !== undefined && !controller.signal.aborted) controller.abort(reason);
    return true;
  }

  /** Kills the thread only if it has not started yet; returns whether it did. */
  cancel(error?: unknown): boolean {
    if (this._started || this._state === 5) return false;
    return this.kill(error);
  }

  /** Calls `fn(thread)` when the thread ends (at once, soon, if it already has). */
  link(fn: (gt: GreenThread<T>) => void): void {
    if (typeof fn !== 'function')
      throw new TypeError(`link(fn): fn must be a function, got ${describe(fn)}`);
    if (this._state === 5) hub.callSoon(() => fn(this));
    else (this._links ??= []).push(fn as (gt: GreenThread) => void);
  }

  /** Removes a callback added with `link`; returns whether it was there. */
  unlink(fn: (gt: GreenThread<T>) => void): boolean {
    const at = this._links ? this._links.indexOf(fn as (gt: GreenThread) => void) : -1;
    if (at < 0) return false;
    this._links!.splice(at, 1);
    return true;
  }

  toString(): string {
    return `<GreenThread ${this.name}>`;
  }
}
Object.defineProperty(GreenThread.prototype, BRAND, { value: true });

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value)})`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}
