/**
 * Green face of `node:timers/promises`: `setTimeout`, `setInterval` and
 * `scheduler.wait` on the hub's heap. Started inside a green thread, they are
 * cancelled (rejected with an AbortError) if that thread is killed; `ref:
 * false` uses a Node timer, as an unref'd timer must not keep the process up.
 */
import type * as Real from 'node:timers/promises';
import { getHub, type TimerHandle } from '@verdant/hub';
import { adopt, disown, type Owned } from './internal/ownership.js';
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

function checkOptions(options: unknown): TimerOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`The "options" argument must be of type object. Received ${options}`);
  }
  return options as TimerOptions;
}

/** A one-shot wait: on the hub's heap (ref) or a Node timer (unref). */
class Sleep implements Owned {
  handle: TimerHandle | NodeJS.Timeout | undefined;
  owner: ReturnType<typeof adopt> = null;
  constructor(
    ms: number,
    readonly ref: boolean,
    readonly done: () => void,
    readonly abort: () => void,
  ) {
    const fire = (): void => {
      disown(this.owner, this);
      this.done();
    };
    this.handle = ref ? getHub().callLater(ms, fire, undefined) : globalTimer(ms, fire);
    this.owner = adopt(this);
  }
  cancel(): void {
    disown(this.owner, this);
    const h = this.handle;
    if (this.ref) (h as TimerHandle).cancel();
    else realClearTimeout(h as NodeJS.Timeout);
  }
  dispose(): void {
    this.cancel();
    this.abort();
  }
}

const nodeTimers = pristine('timers') as typeof import('node:timers');
const realSetTimeout = nodeTimers.setTimeout;
const realClearTimeout = nodeTimers.clearTimeout;
function globalTimer(ms: number, fire: () => void): NodeJS.Timeout {
  return realSetTimeout(fire, ms).unref();
}

function delay(ms: unknown): number {
  const n = Number(ms);
  return n >= 1 && n <= 2 ** 31 - 1 ? n : 1;
}

/**
 * Resolves with `value` after `ms`, from the hub's heap.
 *
 * @example
 * import { setTimeout } from '@verdant/green/node/timers-promises';
 * const value = yield setTimeout(100, 'done'); // or `await setTimeout(100, 'done')` outside green threads
 */
export function setTimeout<T = void>(ms?: number, value?: T, options?: TimerOptions): Promise<T> {
  let opts: TimerOptions;
  try {
    opts = checkOptions(options);
  } catch (error) {
    return Promise.reject(error);
  }
  const signal = opts.signal;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  const promise = new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      sleep.cancel();
      reject(abortError(signal));
    };
    const sleep = new Sleep(
      delay(ms),
      opts.ref !== false,
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(value as T);
      },
      () => {
        // The owning thread was killed: nobody may be left to observe this.
        signal?.removeEventListener('abort', onAbort);
        promise.catch(ignore);
        reject(abortError(undefined));
      },
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  return promise;
}

function ignore(): void {}

/**
 * An async iterator that yields `value` every `ms`, from the hub's heap.
 *
 * @example
 * import { setInterval } from '@verdant/green/node/timers-promises';
 * let ticks = 0;
 * for await (const _ of setInterval(10)) if (++ticks === 3) break;
 */
export function setInterval<T = void>(
  ms?: number,
  value?: T,
  options?: TimerOptions,
): AsyncGenerator<T> {
  const opts = checkOptions(options);
  const every = delay(ms);
  async function* ticks(): AsyncGenerator<T> {
    for (;;) yield await setTimeout(every, value as T, opts);
  }
  return ticks();
}

/**
 * `scheduler.wait` on the hub's heap; `scheduler.yield` as Node's.
 *
 * @example
 * import { scheduler } from '@verdant/green/node/timers-promises';
 * await scheduler.wait(50);
 */
export const scheduler = {
  wait: (ms: number, options?: TimerOptions): Promise<void> => setTimeout(ms, undefined, options),
  yield: real.scheduler.yield.bind(real.scheduler),
};

/** The face as CommonJS code sees `require('timers/promises')`. */
const face = { ...real, setTimeout, setInterval, scheduler };
export default face;
