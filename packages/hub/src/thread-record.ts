import { checkString } from './check.js';
import type { Operation } from './operation.js';
import type { TimerLink } from './timer.js';

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
/** A disposer as an object (a primitive's waiter), so a park needs no closure. */
export interface ParkEnd {
  _endPark(interrupted: boolean): void;
}
/** Registers a parked thread's wake-up: `resume(value)` or `fail(error)`; false when too late. */
export type Arm<T> = (
  resume: (value: T) => boolean,
  fail: (error: unknown) => boolean,
) => Disposer | undefined | void;

type Waiter = { resume: (value: unknown) => boolean; fail: (error: unknown) => boolean };

/**
 * What most threads never use (a name, waiters, links, an AbortController,
 * Timeouts, locals), made on a thread's first use of any: a thread that just
 * runs and ends carries one empty slot for all of them.
 */
export class ThreadExtras {
  name: string | undefined = undefined;
  waiters: Waiter[] | undefined = undefined;
  links: ((thread: ThreadRecord) => void)[] | undefined = undefined;
  controller: AbortController | undefined = undefined;
  timeouts: Set<{ cancel(): void }> | undefined = undefined;
  locals: Map<object, unknown> | undefined = undefined;
  /** What the patcher's hooks keep for the thread while it lives (HubHooks.spawned). */
  hookData: unknown = undefined;
}

// Bits of ThreadRecord._flags: the state in the low three, then booleans.
const STATE = 7;
const STARTED = 8;
const OK = 16;
const OBSERVED = 32;
/** The next step resumes with throw(value) rather than next(value). */
const THROWS = 64;
const INTERRUPTED = 128;
/** `_park` holds an arm `suspend` prepared, not yet armed (else a disposer). */
const ARMING = 256;

/**
 * A green thread as the hub's driver sees it; `GreenThread` adds what users
 * call. The hub works on this record alone, so it needs nothing from
 * `GreenThread`'s module. Plain fields, not `#`: a second copy of this
 * package (the other of its ESM and CJS builds) drives the same objects.
 * Kept small, since 100k parked threads are 100k of these: the fields the
 * driver touches on every step are plain; the rare ones live in `_x`
 * (reached through the accessors below), the state and six booleans share
 * `_flags`, and
 * fields double up where their uses never overlap: `_body` is the function,
 * then the generator; `_value` the arguments, then resume values, then the
 * result; `_park` the prepared arm, then the park's disposer. It is a
 * `TimerEntry` by shape, not by `implements`: those fields are internal and
 * stripped from the published types, where the clause would not hold.
 */
export class ThreadRecord<T = unknown> {
  readonly id: number;
  /** @internal The thread's function until it starts, then its generator; undefined once dead. */
  _body: ((...args: unknown[]) => Operation<T>) | Operation<T> | undefined;
  /**
   * @internal Until it starts, its arguments (undefined when none); then the
   * value the next step resumes with; once dead, the result or error.
   */
  _value: unknown;
  /** @internal Bumped on every park and interrupt, so a stale wake-up is ignored. */
  _epoch = 0;
  /** @internal The state (NEW...DEAD) | STARTED | OK | OBSERVED | THROWS | INTERRUPTED | ARMING */
  _flags: number = NEW;
  /** @internal The arm `suspend` prepared (while ARMING), then the park's disposer. */
  _park: Arm<unknown> | Disposer | ParkEnd | undefined = undefined;
  /** @internal While asleep (or waiting for spawnAfter) the thread is its own entry on the timer queue. */
  _tprev: TimerLink | undefined = undefined;
  /** @internal Undefined when on no timer list. */
  _tnext: TimerLink | undefined = undefined;
  /** @internal Its deadline there, whole ms. */
  _at = 0;
  /** @internal */
  _blockedOn: string | undefined = undefined;
  /** @internal */
  _x: ThreadExtras | undefined = undefined;
  /** @internal The hub's list of live threads runs through these (no allocation per spawn). */
  _prev: ThreadRecord | undefined = undefined;
  /** @internal */
  _next: ThreadRecord | undefined = undefined;

  /** @internal */
  constructor(id: number, fn: (...args: unknown[]) => Operation<T>, args: unknown[] | undefined) {
    this.id = id;
    this._body = fn;
    this._value = args;
  }

  /** @internal Where the thread is in its life. */
  get _state(): ThreadState {
    return (this._flags & STATE) as ThreadState;
  }
  /** @internal */
  set _state(value: ThreadState) {
    this._flags = (this._flags & ~STATE) | value;
  }
  /** @internal The generator, once started and until it ends. */
  get _gen(): Operation<T> | undefined {
    return this._started ? (this._body as Operation<T> | undefined) : undefined;
  }
  /** @internal How the next step resumes the generator. */
  get _mode(): ResumeMode {
    return (this._flags & THROWS) !== 0 ? THROW : NEXT;
  }
  /** @internal */
  set _mode(value: ResumeMode) {
    this._flags = value === THROW ? this._flags | THROWS : this._flags & ~THROWS;
  }
  /** @internal A kill or Timeout is on its way in (thrown at its next blocking point). */
  get _interrupted(): boolean {
    return (this._flags & INTERRUPTED) !== 0;
  }
  /** @internal */
  set _interrupted(value: boolean) {
    this._flags = value ? this._flags | INTERRUPTED : this._flags & ~INTERRUPTED;
  }
  /** @internal */
  get _arming(): boolean {
    return (this._flags & ARMING) !== 0;
  }
  /** @internal */
  set _arming(value: boolean) {
    this._flags = value ? this._flags | ARMING : this._flags & ~ARMING;
  }

  /** @internal */
  get _started(): boolean {
    return (this._flags & STARTED) !== 0;
  }
  /** @internal */
  set _started(value: boolean) {
    this._flags = value ? this._flags | STARTED : this._flags & ~STARTED;
  }
  /** @internal It returned (rather than threw); meaningful once dead. */
  get _ok(): boolean {
    return (this._flags & OK) !== 0;
  }
  /** @internal */
  set _ok(value: boolean) {
    this._flags = value ? this._flags | OK : this._flags & ~OK;
  }
  /** @internal Its failure is reported by whoever started it (`run`, `main`), not logged by the hub. */
  get _observed(): boolean {
    return (this._flags & OBSERVED) !== 0;
  }
  /** @internal */
  set _observed(value: boolean) {
    this._flags = value ? this._flags | OBSERVED : this._flags & ~OBSERVED;
  }
  /** @internal */
  get _result(): unknown {
    return this._state === DEAD ? this._value : undefined;
  }

  /** @internal */
  get _name(): string | undefined {
    return this._x?.name;
  }
  /** @internal */
  set _name(value: string | undefined) {
    if (value !== undefined || this._x !== undefined) this.extras().name = value;
  }
  /** @internal */
  get _waiters(): Waiter[] | undefined {
    return this._x?.waiters;
  }
  /** @internal */
  set _waiters(value: Waiter[] | undefined) {
    if (value !== undefined || this._x !== undefined) this.extras().waiters = value;
  }
  /** @internal */
  get _links(): ((thread: ThreadRecord) => void)[] | undefined {
    return this._x?.links;
  }
  /** @internal */
  set _links(value: ((thread: ThreadRecord) => void)[] | undefined) {
    if (value !== undefined || this._x !== undefined) this.extras().links = value;
  }
  /** @internal */
  get _controller(): AbortController | undefined {
    return this._x?.controller;
  }
  /** @internal */
  set _controller(value: AbortController | undefined) {
    if (value !== undefined || this._x !== undefined) this.extras().controller = value;
  }
  /** @internal */
  get _timeouts(): Set<{ cancel(): void }> | undefined {
    return this._x?.timeouts;
  }
  /** @internal */
  set _timeouts(value: Set<{ cancel(): void }> | undefined) {
    if (value !== undefined || this._x !== undefined) this.extras().timeouts = value;
  }
  /** @internal */
  get _locals(): Map<object, unknown> | undefined {
    return this._x?.locals;
  }
  /** @internal */
  set _locals(value: Map<object, unknown> | undefined) {
    if (value !== undefined || this._x !== undefined) this.extras().locals = value;
  }

  /** @internal */
  get _hookData(): unknown {
    return this._x?.hookData;
  }
  /** @internal */
  set _hookData(value: unknown) {
    if (value !== undefined || this._x !== undefined) this.extras().hookData = value;
  }

  private extras(): ThreadExtras {
    this._x ??= new ThreadExtras();
    return this._x;
  }

  /** Defaults to `GreenThread-<id>`; set it to find the thread in logs and `getHub().threads()`. */
  get name(): string {
    return this._x?.name ?? `GreenThread-${this.id}`;
  }
  set name(value: string) {
    this._name = checkString('GreenThread.name', 'name', value);
  }
}
