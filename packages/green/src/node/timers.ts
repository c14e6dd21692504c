/**
 * Green face of `node:timers`: the builtin's full interface, with
 * `setTimeout`/`setInterval` and their `clear*` on the hub's timer heap, so
 * the hub's clock (`getHub().now`) drives them and a virtual clock drives
 * them too, `unref()`'d timers included (they only stop keeping the process
 * alive). They keep Node's contract: a timer belongs to no green thread, and
 * killing the thread that set it (or that called into the library that set
 * it: pg-pool's idle reaper, a reconnect back-off) never clears it, as
 * eventlet's `schedule_call_global`. Only the green operations (`sleep`,
 * `Timeout`, a thread's own waits) are the thread's. As Node's, `refresh()`
 * re-arms a fired timer, delays are truncated and bounded (with its
 * `TimeoutOverflowWarning`), a throwing callback is an uncaught exception,
 * and `_onTimeout`, `_idleTimeout`, `_repeat` and `unenroll` work as Node's
 * internals do. `setImmediate` stays Node's own (it is not a timer of the
 * hub's clock).
 */
import { AsyncResource } from 'node:async_hooks';
import type * as Real from 'node:timers';
import { promisify } from 'node:util';
import { nodeTimer, type Timer } from '@verdant/hub/internal';
import { TIMER_BRAND, TIMERS } from '../internal/symbols.js';
import { callUnattributed } from './internal/attribution.js';
import { faceObject } from './internal/face-object.js';
import { invalidArgType, outOfRange } from './internal/node-errors.js';
import { timerDelay } from './internal/timer-delay.js';
import { pristine } from './pristine.js';
import promises from './timers-promises.js';

export * from 'node:timers';

// Node's own functions, even if this face loads after the builtin was patched.
const real = pristine('timers') as typeof Real & {
  unenroll(item: unknown): void;
  active(item: unknown): void;
  _unrefActive(item: unknown): void;
};

export { promises };

/** What this face replaces in `node:timers` (eventlet's `__patched__`). */
export const patched = [
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'unenroll',
  'active',
  '_unrefActive',
] as const;
/** Static methods of globals the patcher replaces: `AbortSignal.timeout` follows the hub's clock. */
export const patchedGlobalStatics = { AbortSignal: { timeout: abortSignalTimeout } } as const;
/** Globals the patcher replaces with this face's functions of the same name. */
export const patchedGlobals = [
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
] as const;

const realClearTimeout = real.clearTimeout;
// The ESM and CJS builds are two copies of this file in one process: the id
// map (and its counter) lives on a global so either copy's clear* finds the
// other's timers, and timers carry a brand instead of relying on instanceof.
type Branded = { close(): unknown; refresh(): unknown; _idleTimeout: number };
const shared = ((globalThis as Record<symbol, unknown>)[TIMERS] ??= {
  byId: new Map<number, Branded>(),
  lastId: 0,
}) as { byId: Map<number, Branded>; lastId: number };
const byId = shared.byId;

function isGreenTimer(value: unknown): value is Branded {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[TIMER_BRAND] === true &&
    typeof (value as Branded).close === 'function'
  );
}

function fireTimer(t: GreenTimeout): void {
  t._fire();
}

/**
 * A timer on the hub's heap, shaped like Node's `Timeout`: `ref`, `unref`,
 * `hasRef`, `refresh`, `close`, and a numeric id via `Symbol.toPrimitive`.
 *
 * @example
 * import { setTimeout } from '@verdant/green/node/timers';
 * const t = setTimeout(() => console.log('late'), 1000); // a GreenTimeout
 * t.unref(); // lets the process exit, as a Node timer would
 * t.close();
 */
export class GreenTimeout {
  _onTimeout: ((...args: unknown[]) => void) | null;
  readonly _timerArgs: unknown[];
  /** The delay as given (Node keeps 1.5 as 1.5 and waits 1); -1 once cleared. */
  _idleTimeout: number;
  /** The interval's delay, null for a one-shot: read at each firing, as Node does. */
  _repeat: number | null;
  _handle: Timer | undefined = undefined;
  _ref = true;
  _destroyed = false;
  _id = 0;
  /** The async context it was set in, restored around each call, as Node's timers do. */
  readonly _scope = new AsyncResource('Timeout');

  constructor(
    callback: (...args: unknown[]) => void,
    ms: number,
    args: unknown[],
    repeat: boolean,
  ) {
    this._onTimeout = callback;
    this._timerArgs = args;
    this._idleTimeout = ms;
    this._repeat = repeat ? ms : null;
    this._schedule();
  }

  /** Queues the timer from now for `_idleTimeout`, reusing its hub timer when the duration is the same. */
  _schedule(): void {
    const ms = Math.trunc(this._idleTimeout);
    const h = this._handle;
    if (h !== undefined && h.ms === ms) {
      h.refresh();
      return;
    }
    h?.cancel();
    const timer = nodeTimer(ms, fireTimer, this);
    if (!this._ref) timer.unref();
    this._handle = timer;
  }

  _fire(): void {
    if (this._destroyed) return;
    const callback = this._onTimeout;
    if (callback === null) {
      this._end();
      return;
    }
    try {
      // Node calls it as the timer's method: `this` is the timer.
      this._scope.runInAsyncScope(callUnattributed, null, callback, this, this._timerArgs);
    } finally {
      // As Node: `_repeat` and `_idleTimeout` are read after the callback,
      // which may have cleared, refreshed or re-timed the timer.
      if (this._destroyed) {
        // cleared from its own callback
      } else if (this._repeat && this._idleTimeout !== -1) {
        this._idleTimeout = this._repeat;
        this._schedule();
      } else if (this._handle === undefined || this._handle.done) this._end();
    }
  }

  _end(): void {
    this._destroyed = true;
    if (this._id !== 0) byId.delete(this._id);
  }

  /** Stops the timer; same as `clearTimeout(this)`. */
  close(): this {
    if (!this._destroyed) {
      this._handle?.cancel();
      this._end();
    }
    // As Node's unenroll: a later refresh() must not bring it back.
    this._idleTimeout = -1;
    return this;
  }

  /** Keeps the process alive while pending (the default). */
  ref(): this {
    this._ref = true;
    this._handle?.ref();
    return this;
  }

  /** Lets the process exit while pending; it still fires (on the hub's clock) if the process stays up. */
  unref(): this {
    this._ref = false;
    this._handle?.unref();
    return this;
  }

  hasRef(): boolean {
    return this._ref;
  }

  /** Restarts the countdown from now with the same delay; re-arms a timer that already fired. */
  refresh(): this {
    if (this._idleTimeout < 0) return this;
    if (this._destroyed) {
      this._destroyed = false;
      if (this._id !== 0) byId.set(this._id, this);
    }
    this._schedule();
    return this;
  }

  [Symbol.toPrimitive](): number {
    if (this._id === 0) {
      this._id = ++shared.lastId;
      if (!this._destroyed) byId.set(this._id, this);
    }
    return this._id;
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

// On the prototype, so every copy of this face recognises every copy's timers.
Object.defineProperty(GreenTimeout.prototype, TIMER_BRAND, { value: true });

function checkCallback(callback: unknown): asserts callback is (...a: unknown[]) => void {
  if (typeof callback !== 'function')
    throw invalidArgType('callback', 'of type function', callback);
}

/**
 * `setTimeout` on the hub's heap; it belongs to no green thread (as Node's, only `clearTimeout` stops it).
 *
 * @example
 * import { setTimeout } from '@verdant/green/node/timers';
 * setTimeout((who: string) => console.log('hello', who), 100, 'world');
 */
export function setTimeout<A extends unknown[]>(
  callback: (...args: A) => void,
  ms?: number,
  ...args: A
): NodeJS.Timeout {
  checkCallback(callback);
  return new GreenTimeout(callback, timerDelay(ms), args, false) as unknown as NodeJS.Timeout;
}

/**
 * `setInterval` on the hub's heap; it belongs to no green thread (as Node's, only `clearInterval` stops it).
 *
 * @example
 * import { clearInterval, setInterval } from '@verdant/green/node/timers';
 * let ticks = 0;
 * const tick = setInterval(() => {
 *   if (++ticks === 3) clearInterval(tick);
 * }, 10);
 */
export function setInterval<A extends unknown[]>(
  callback: (...args: A) => void,
  ms?: number,
  ...args: A
): NodeJS.Timeout {
  checkCallback(callback);
  return new GreenTimeout(callback, timerDelay(ms), args, true) as unknown as NodeJS.Timeout;
}

/**
 * Clears a green timer, a green timer's numeric id, or a Node timer.
 *
 * @example
 * import { clearTimeout, setTimeout } from '@verdant/green/node/timers';
 * const t = setTimeout(() => console.log('never'), 10);
 * clearTimeout(t); // or clearTimeout(+t), by its numeric id
 */
export function clearTimeout(timer: unknown): void {
  if (isGreenTimer(timer)) {
    timer.close();
    return;
  }
  if (typeof timer === 'number' || typeof timer === 'string') {
    const t = byId.get(Number(timer));
    if (t !== undefined) {
      t.close();
      return;
    }
  }
  realClearTimeout(timer as NodeJS.Timeout);
}

/**
 * Same as `clearTimeout` (Node lets either clear either kind).
 *
 * @example
 * import { clearInterval, setInterval } from '@verdant/green/node/timers';
 * clearInterval(setInterval(() => console.log('never'), 10));
 */
export function clearInterval(timer: unknown): void {
  clearTimeout(timer);
}

function abortOnTimeout(controller: AbortController): void {
  controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
}

/**
 * `AbortSignal.timeout(ms)` on the hub's clock, so a virtual clock drives
 * it: a signal that aborts with a `TimeoutError` DOMException after `ms`.
 * As Node's, its timer is unref'd (it never keeps the process alive) and
 * belongs to no thread; unlike Node's, the timer holds the signal until it
 * fires rather than letting an unreferenced signal be collected earlier.
 *
 * @example
 * import { abortSignalTimeout } from '@verdant/green/node/timers';
 * const signal = abortSignalTimeout(5000); // what AbortSignal.timeout(5000) gives under the time flag
 */
export function abortSignalTimeout(ms: number): AbortSignal {
  if (typeof ms !== 'number') throw invalidArgType('delay', 'of type number', ms);
  if (!Number.isInteger(ms)) throw outOfRange('delay', 'an integer', ms);
  if (ms < 0 || ms > 2 ** 32 - 1) throw outOfRange('delay', '>= 0 && <= 4294967295', ms);
  const controller = new AbortController();
  nodeTimer(Math.trunc(timerDelay(ms)), abortOnTimeout, controller).unref();
  return controller.signal;
}

/**
 * Node's deprecated `timers.unenroll`: clears a green timer as `clearTimeout`
 * does; anything else goes to Node's own.
 *
 * @example
 * import { setInterval, unenroll } from '@verdant/green/node/timers';
 * unenroll(setInterval(() => {}, 10));
 */
export function unenroll(item: unknown): void {
  if (isGreenTimer(item)) item.close();
  else real.unenroll(item);
}

/**
 * Node's deprecated `timers.active`: restarts a green timer (`refresh()`);
 * anything else goes to Node's own.
 *
 * @example
 * import { active, setTimeout } from '@verdant/green/node/timers';
 * active(setTimeout(() => {}, 10));
 */
export function active(item: unknown): void {
  if (isGreenTimer(item)) item.refresh();
  else real.active(item);
}

/**
 * Node's `timers._unrefActive`: as `active`, for an unref'd item.
 *
 * @example
 * import { _unrefActive, setTimeout } from '@verdant/green/node/timers';
 * _unrefActive(setTimeout(() => {}, 10).unref());
 */
export function _unrefActive(item: unknown): void {
  if (isGreenTimer(item)) item.refresh();
  else real._unrefActive(item);
}

// `util.promisify(setTimeout)` must keep working: carry the custom form.
Object.defineProperty(setTimeout, promisify.custom, {
  value: promises.setTimeout,
  enumerable: false,
  configurable: true,
});

/** The face as CommonJS code sees `require('timers')`. */
const face: Omit<typeof Real, 'setTimeout' | 'setInterval'> & {
  setTimeout: typeof setTimeout;
  setInterval: typeof setInterval;
  unenroll: typeof unenroll;
  active: typeof active;
  _unrefActive: typeof _unrefActive;
  promises: typeof promises;
} = faceObject(real, {
  setTimeout,
  clearTimeout,
  setInterval,
  clearInterval,
  unenroll,
  active,
  _unrefActive,
  promises,
});
export default face;
