/**
 * Green face of `node:timers`: the builtin's full interface, with
 * `setTimeout`/`setInterval` and their `clear*` on the hub's timer heap.
 * A timer set inside a green thread is cleared if that thread is killed; the
 * hub's clock (`getHub().now`) drives it, so a virtual clock drives it too.
 * `unref()`'d timers are handed back to Node (a hub timer would keep the
 * process alive) and lose their owner: they are background machinery.
 */
import type * as Real from 'node:timers';
import { promisify } from 'node:util';
import { type GreenThread, getHub, type TimerHandle } from '@verdant/hub';
import { TIMER_BRAND, TIMERS } from '../internal/symbols.js';
import { adopt, disown } from './internal/ownership.js';
import { pristine } from './pristine.js';
import promises from './timers-promises.js';

export * from 'node:timers';

// Node's own functions, even if this face loads after the builtin was patched.
const real = pristine('timers') as typeof Real;

export { promises };

/** What this face replaces in `node:timers` (eventlet's `__patched__`). */
export const patched = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] as const;
/** Globals the patcher replaces with this face's functions of the same name. */
export const patchedGlobals = patched;

const realSetTimeout = real.setTimeout;
const realClearTimeout = real.clearTimeout;
const TIMEOUT_MAX = 2 ** 31 - 1;
// The ESM and CJS builds are two copies of this file in one process: the id
// map (and its counter) lives on a global so either copy's clear* finds the
// other's timers, and timers carry a brand instead of relying on instanceof.
type Branded = { close(): unknown };
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
  readonly _args: unknown[];
  _idleTimeout: number;
  readonly _repeat: number | null;
  _handle: TimerHandle | NodeJS.Timeout | undefined = undefined;
  _ref = true;
  _owner: GreenThread<unknown> | null = null;
  _destroyed = false;
  _id = 0;

  constructor(
    callback: (...args: unknown[]) => void,
    ms: number,
    args: unknown[],
    repeat: boolean,
  ) {
    this._onTimeout = callback;
    this._args = args;
    this._idleTimeout = ms;
    this._repeat = repeat ? ms : null;
    this._owner = adopt(this);
    this._schedule();
  }

  _schedule(): void {
    if (!this._ref) {
      this._handle = realSetTimeout(fireTimer, this._idleTimeout, this).unref();
      return;
    }
    this._handle = getHub().callLater(this._idleTimeout, fireTimer, this);
  }

  _unschedule(): void {
    const h = this._handle;
    this._handle = undefined;
    if (h === undefined) return;
    if (this._ref) (h as TimerHandle).cancel();
    else realClearTimeout(h as NodeJS.Timeout);
  }

  _fire(): void {
    this._handle = undefined;
    if (this._destroyed) return;
    if (this._repeat !== null) this._schedule();
    else this._end();
    try {
      this._onTimeout?.(...this._args);
    } catch (error) {
      // Node reports a throwing timer callback as an uncaught exception;
      // the hub's heap would only log it, so rethrow it outside.
      process.nextTick(rethrow, error);
    }
  }

  _end(): void {
    this._destroyed = true;
    disown(this._owner, this);
    this._owner = null;
    if (this._id !== 0) byId.delete(this._id);
  }

  /** Called when the owning thread is killed. */
  dispose(): void {
    this._owner = null;
    this.close();
  }

  /** Stops the timer; same as `clearTimeout(this)`. */
  close(): this {
    if (!this._destroyed) {
      this._unschedule();
      this._end();
    }
    return this;
  }

  /** Keeps the process alive while pending (the default). */
  ref(): this {
    if (!this._ref && !this._destroyed) {
      this._unschedule();
      this._ref = true;
      this._schedule();
    }
    this._ref = true;
    return this;
  }

  /** Lets the process exit while pending: moves the timer to a Node timer. */
  unref(): this {
    if (this._ref && !this._destroyed) {
      this._unschedule();
      this._ref = false;
      disown(this._owner, this);
      this._owner = null;
      this._schedule();
    }
    this._ref = false;
    return this;
  }

  hasRef(): boolean {
    return this._ref;
  }

  /** Restarts the countdown from now with the same delay. */
  refresh(): this {
    if (!this._destroyed) {
      this._unschedule();
      this._schedule();
    }
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

function rethrow(error: unknown): never {
  throw error;
}

function checkCallback(callback: unknown): asserts callback is (...a: unknown[]) => void {
  if (typeof callback !== 'function') {
    const error = new TypeError(
      `The "callback" argument must be of type function. Received ${typeof callback}`,
    ) as TypeError & { code: string };
    error.code = 'ERR_INVALID_ARG_TYPE';
    throw error;
  }
}

function delay(ms: unknown): number {
  const n = Number(ms);
  return n >= 1 && n <= TIMEOUT_MAX ? n : 1;
}

/**
 * `setTimeout` on the hub's heap, owned by the calling green thread.
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
  return new GreenTimeout(callback, delay(ms), args, false) as unknown as NodeJS.Timeout;
}

/**
 * `setInterval` on the hub's heap, owned by the calling green thread.
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
  return new GreenTimeout(callback, delay(ms), args, true) as unknown as NodeJS.Timeout;
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
  promises: typeof promises;
} = {
  ...real,
  setTimeout,
  clearTimeout,
  setInterval,
  clearInterval,
  promises,
};
export default face;
