/**
 * Green face of `node:timers/promises`: `setTimeout`, `setInterval` and
 * `scheduler.wait` on the hub's heap, with Node's argument checks (bad
 * arguments reject, with `code: 'ERR_INVALID_ARG_TYPE'`; an interval's
 * iterator rejects on its first `next()`). They keep Node's contract: only
 * their `signal` cancels them. Killing the green thread that started one
 * (or that called into the library that did) interrupts that thread's wait,
 * not the timer: a library's back-off must not reject with an error Node
 * never raises there. A green thread that wants its wait to end with it uses
 * `sleep`, or passes `signal: thread.signal`. `ref: false` lets the process
 * exit while they wait, and they still follow the hub's clock, virtual or
 * real.
 */
import type * as Real from 'node:timers/promises';
import { nodeTimer, type Timer } from '@verdant/hub/internal';
import { faceObject } from './internal/face-object.js';
import { illegalConstructor, invalidArgType, invalidThis } from './internal/node-errors.js';
import { timerDelay } from './internal/timer-delay.js';
import { pristine } from './pristine.js';

export * from 'node:timers/promises';

// Node's own functions, even if this face loads after the builtin was patched.
const real = pristine('timers/promises') as typeof Real;

/** What this face replaces in `node:timers/promises`. */
export const patched = ['setTimeout', 'setInterval', 'scheduler'] as const;

export interface TimerOptions {
  signal?: AbortSignal;
  ref?: boolean;
}

function abortError(signal: AbortSignal | undefined): Error {
  const error = new Error('The operation was aborted', { cause: signal?.reason }) as Error & {
    code: string;
  };
  error.name = 'AbortError';
  error.code = 'ABORT_ERR';
  return error;
}

/** The checks Node makes, in its order; throws its TypeError. Returns the checked options. */
function checkArgs(
  ms: unknown,
  options: unknown,
): { signal: AbortSignal | undefined; ref: boolean; ms: number } {
  if (ms !== undefined && typeof ms !== 'number')
    throw invalidArgType('delay', 'of type number', ms);
  if (options === null || typeof options !== 'object') {
    throw invalidArgType('options', 'of type object', options);
  }
  const { signal, ref = true } = options as TimerOptions;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    // Node accepts any object shaped like a signal (its own tests pass a NodeEventTarget).
    if (signal === null || typeof signal !== 'object' || !('aborted' in signal)) {
      throw invalidArgType('options.signal', 'an instance of AbortSignal', signal);
    }
  }
  if (typeof ref !== 'boolean') throw invalidArgType('options.ref', 'of type boolean', ref);
  return { signal, ref, ms: Math.trunc(timerDelay(ms)) };
}

/** A hub timer with its callback: it belongs to no thread (as Node's, only a signal cancels it). */
class PromiseTimer {
  readonly timer: Timer;
  constructor(
    ms: number,
    ref: boolean,
    private readonly onFire: () => void,
    repeat: boolean,
  ) {
    this.timer = nodeTimer(ms, repeat ? fireRepeating : fireOnce, this);
    if (!ref) this.timer.unref();
  }
  fired(repeat: boolean): void {
    if (repeat) this.timer.refresh();
    this.onFire();
  }
  cancel(): void {
    this.timer.cancel();
  }
}

function fireOnce(t: PromiseTimer): void {
  t.fired(false);
}
function fireRepeating(t: PromiseTimer): void {
  t.fired(true);
}

/**
 * Resolves with `value` after `ms`, from the hub's heap.
 *
 * @example
 * import { setTimeout } from '@verdant/green/node/timers-promises';
 * const value = yield setTimeout(100, 'done'); // or `await setTimeout(100, 'done')` outside green threads
 */
export function setTimeout<T = void>(
  ms?: number,
  value?: T,
  options: TimerOptions = {},
): Promise<T> {
  let args: ReturnType<typeof checkArgs>;
  try {
    args = checkArgs(ms, options);
  } catch (error) {
    return Promise.reject(error);
  }
  const { signal } = args;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  let onAbort: (() => void) | undefined;
  const promise = new Promise<T>((resolve, reject) => {
    const timer = new PromiseTimer(args.ms, args.ref, () => resolve(value as T), false);
    if (signal !== undefined) {
      onAbort = () => {
        timer.cancel();
        reject(abortError(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  if (onAbort === undefined) return promise;
  const listener = onAbort;
  return promise.finally(() => signal?.removeEventListener('abort', listener));
}

/**
 * An async iterator that yields `value` every `ms`, from the hub's heap. As
 * Node's, ticks that fall due while the consumer is busy are yielded one
 * after another when it asks again; bad arguments reject the first `next()`.
 *
 * @example
 * import { setInterval } from '@verdant/green/node/timers-promises';
 * let ticks = 0;
 * for await (const _ of setInterval(10)) if (++ticks === 3) break;
 */
export async function* setInterval<T = void>(
  ms?: number,
  value?: T,
  options: TimerOptions = {},
): AsyncGenerator<T> {
  const { signal, ref, ms: every } = checkArgs(ms, options);
  if (signal?.aborted) throw abortError(signal);
  let due = 0;
  let wake: ((stop?: Error) => void) | undefined;
  let stopped: Error | undefined;
  const stop = (error: Error): void => {
    stopped = error;
    timer.cancel();
    wake?.(error);
    wake = undefined;
  };
  const timer = new PromiseTimer(
    every,
    ref,
    () => {
      due++;
      wake?.();
      wake = undefined;
    },
    true,
  );
  const onAbort = (): void => stop(abortError(signal));
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      if (stopped !== undefined) throw stopped;
      if (due === 0) {
        const error = await new Promise<Error | undefined>((resolve) => {
          wake = resolve;
        });
        if (error !== undefined) throw error;
      }
      for (; due > 0; due--) yield value as T;
    }
  } finally {
    timer.cancel();
    signal?.removeEventListener('abort', onAbort);
  }
}

const TOKEN = Symbol('verdant.scheduler');

/** Node's `Scheduler`: not constructible from outside, `wait` on the hub's heap, `yield` as Node's. */
class Scheduler {
  // Node's methods refuse a `this` that is not its scheduler; a private field is that brand.
  readonly #brand = true;

  constructor(token?: symbol) {
    if (token !== TOKEN) throw illegalConstructor();
  }

  /** Yields to Node's loop once (an immediate), as Node's. */
  yield(): Promise<void> {
    if (!Scheduler.#is(this)) throw invalidThis('Scheduler');
    return real.scheduler.yield();
  }

  /** `setTimeout(ms, undefined, options)`. */
  wait(ms: number, options?: TimerOptions): Promise<void> {
    if (!Scheduler.#is(this)) throw invalidThis('Scheduler');
    return setTimeout(ms, undefined, options);
  }

  static #is(value: unknown): boolean {
    return typeof value === 'object' && value !== null && #brand in value;
  }
}

/**
 * `scheduler.wait` on the hub's heap; `scheduler.yield` as Node's.
 *
 * @example
 * import { scheduler } from '@verdant/green/node/timers-promises';
 * await scheduler.wait(50);
 */
// The type only: Node's module exports no Scheduler class.
export type { Scheduler };
export const scheduler: Scheduler = new Scheduler(TOKEN);

/** The face as CommonJS code sees `require('timers/promises')`. */
const face = faceObject(real, { setTimeout, setInterval, scheduler });
export default face;
