import { checkString } from './check.js';
import type { Operation } from './operation.js';
import type { Timer } from './timer.js';

// Where a thread is in its life (4 is unused).
export const NEW = 0;
export const RUNNABLE = 1;
export const RUNNING = 2;
export const PARKED = 3;
export const DEAD = 5;
export type ThreadState =
  | typeof NEW
  | typeof RUNNABLE
  | typeof RUNNING
  | typeof PARKED
  | typeof DEAD;

// How the next step resumes the generator: next(value) or throw(value).
export const NEXT = 0;
export const THROW = 1;
export type ResumeMode = typeof NEXT | typeof THROW;

/** What `suspend`'s arm returns: run once when the park ends; `interrupted` when a kill or Timeout ended it. */
export type Disposer = (interrupted: boolean) => void;
/** Registers a parked thread's wake-up: `resume(value)` or `fail(error)`; false when too late. */
export type Arm<T> = (
  resume: (value: T) => boolean,
  fail: (error: unknown) => boolean,
) => Disposer | undefined | void;

type Waiter = { resume: (value: unknown) => boolean; fail: (error: unknown) => boolean };

/**
 * A green thread as the hub's driver sees it; `GreenThread` adds what users
 * call. The hub works on this record alone, so it needs nothing from
 * `GreenThread`'s module. Plain fields, not `#`: a second copy of this
 * package (the other of its ESM and CJS builds) drives the same objects.
 */
export class ThreadRecord<T = unknown> {
  readonly id: number;
  /** @internal */
  _name: string | undefined = undefined;
  /** @internal */
  _fn: ((...args: unknown[]) => Operation<T>) | undefined;
  /** @internal */
  _args: unknown[] | undefined;
  /** @internal */
  _gen: Operation<T> | undefined = undefined;
  /** @internal */
  _state: ThreadState = NEW;
  /** @internal */
  _started = false;
  /** @internal */
  _mode: ResumeMode = NEXT;
  /** @internal */
  _value: unknown = undefined;
  /** @internal Bumped on every park and interrupt, so a stale wake-up is ignored. */
  _epoch = 0;
  /** @internal */
  _interrupted = false;
  /** @internal */
  _arm: Arm<unknown> | undefined = undefined;
  /** @internal */
  _disposer: Disposer | undefined = undefined;
  /** @internal */
  _timer: Timer | undefined = undefined;
  /** @internal */
  _sleepMs = 0;
  /** @internal */
  _blockedOn: string | undefined = undefined;
  /** @internal */
  _ok = false;
  /** @internal */
  _result: unknown = undefined;
  /** @internal */
  _waiters: Waiter[] | undefined = undefined;
  /** @internal */
  _links: ((thread: ThreadRecord) => void)[] | undefined = undefined;
  /** @internal */
  _controller: AbortController | undefined = undefined;
  /** @internal */
  _timeouts: Set<{ cancel(): void }> | undefined = undefined;
  /** @internal */
  _locals: Map<object, unknown> | undefined = undefined;
  /** @internal Its failure is reported by whoever started it (`run`, `main`), not logged by the hub. */
  _observed = false;
  /** @internal The hub's list of live threads runs through these (no allocation per spawn). */
  _prev: ThreadRecord | undefined = undefined;
  /** @internal */
  _next: ThreadRecord | undefined = undefined;

  /** @internal */
  constructor(id: number, fn: (...args: unknown[]) => Operation<T>, args: unknown[]) {
    this.id = id;
    this._fn = fn;
    this._args = args;
  }

  /** Defaults to `GreenThread-<id>`; set it to find the thread in logs and `getHub().threads()`. */
  get name(): string {
    return this._name ?? `GreenThread-${this.id}`;
  }
  set name(value: string) {
    this._name = checkString('GreenThread.name', 'name', value);
  }
}
