/**
 * Green face of `node:events` (the `select` flag: Node's readiness waiting is
 * `events.once`/`events.on`). `once` and `on` called inside a green thread
 * are tied to it: their listeners are removed when it ends, and both work as
 * operations: `const [v] = yield* once(emitter, 'data')`,
 * `const [line] = yield* on(rl, 'line').take()`.
 */
import type { EventEmitter as RealEmitter } from 'node:events';
import { getCurrent, type Operation, wait } from '@verdant/hub';
import { killSignal } from './internal/ownership.js';
import { pristine } from './pristine.js';

// Node's own EventEmitter (the module is the class), even if this face loads after patching.
const real = pristine('events') as unknown as typeof RealEmitter;
const realOnce = real.once;
const realOn = real.on;

// The builtin's whole interface: `node:events` is `export =`, so name each.
export const {
  EventEmitter,
  EventEmitterAsyncResource,
  captureRejectionSymbol,
  errorMonitor,
  getEventListeners,
  getMaxListeners,
  setMaxListeners,
  addAbortListener,
  listenerCount,
} = real;

/** What this face replaces in `node:events`. */
export const patched = ['once', 'on'] as const;

export type Emitter = RealEmitter | EventTarget;
export type OnceOptions = { signal?: AbortSignal };

/** A promise that a green thread can also run with `yield*`. */
export type PromiseOperation<T> = Promise<T> & { [Symbol.iterator](): Operation<T> };

/**
 * `events.once`: a promise, and an operation in a green thread. Called
 * from a green thread, its listener goes away when the thread ends.
 *
 * @example
 * import { once } from '@verdant/green/node/events';
 * const emitter = new EventEmitter();
 * setImmediate(() => emitter.emit('ready', 42));
 * const [value] = yield* once(emitter, 'ready'); // 42
 */
export function once(
  emitter: Emitter,
  name: string | symbol,
  options?: OnceOptions,
): PromiseOperation<unknown[]> {
  const signal = killSignal(options?.signal);
  const promise = realOnce(
    emitter as RealEmitter,
    name,
    signal === undefined ? options : { ...options, signal },
  ) as PromiseOperation<unknown[]>;
  promise[Symbol.iterator] = function* (): Operation<unknown[]> {
    return yield* wait(promise);
  };
  return promise;
}

/** `events.on`'s async iterator, plus `take()`: the next event as an operation. */
export type GreenEventIterator = AsyncIterableIterator<unknown[]> & {
  take(): Operation<unknown[]>;
};

/**
 * `events.on`: an async iterator of events; called from a green thread, it
 * ends with the thread. `take()` gets the next event as an operation.
 *
 * @example
 * import { on } from '@verdant/green/node/events';
 * const emitter = new EventEmitter();
 * const events = on(emitter, 'tick');
 * setImmediate(() => emitter.emit('tick', 1));
 * const [first] = yield* events.take(); // 1: the iterator ends with this green thread
 */
export function on(
  emitter: Emitter,
  name: string | symbol,
  options?: Record<string, unknown> & { signal?: AbortSignal },
): GreenEventIterator {
  const signal = threadEndSignal(options?.signal);
  const it = realOn(
    emitter as RealEmitter,
    name,
    signal === undefined ? options : ({ ...options, signal } as never),
  ) as unknown as GreenEventIterator;
  it.take = function* take(): Operation<unknown[]> {
    const r = yield* wait(it.next());
    if (r.done === true) throw new Error(`events.on(${String(name)}): the iterator has ended`);
    return r.value as unknown[];
  };
  return it;
}

// Aborts when the current green thread ends, however it ends (kill or return).
function threadEndSignal(signal: AbortSignal | undefined): AbortSignal | undefined {
  const gt = getCurrent();
  if (gt === null || gt.dead) return signal;
  return signal == null ? gt.signal : AbortSignal.any([gt.signal, signal]);
}

/**
 * `EventEmitter` whose static `once`/`on` are the green ones: what CommonJS
 * code gets for `require('events')` from a patched module.
 *
 * @example
 * import EventEmitter from '@verdant/green/node/events';
 * const emitter = new EventEmitter();
 * setImmediate(() => emitter.emit('done'));
 * yield EventEmitter.once(emitter, 'done'); // the green once: a promise, and an operation
 */
// A function, not a class: libraries call it as Node's (`EventEmitter.call(this)`
// after util.inherits, or on a mixin's instance). It shares Node's prototype, so
// `instanceof` holds both ways.
const GreenEventEmitter = function EventEmitter(this: RealEmitter, options?: unknown): void {
  (real as unknown as (this: RealEmitter, o?: unknown) => void).call(this, options);
} as unknown as typeof RealEmitter;
Object.setPrototypeOf(GreenEventEmitter, real);
Object.defineProperties(GreenEventEmitter, {
  prototype: { value: real.prototype },
  once: { value: once, writable: true, configurable: true, enumerable: true },
  on: { value: on, writable: true, configurable: true, enumerable: true },
  EventEmitter: { value: GreenEventEmitter, writable: true, configurable: true, enumerable: true },
});
export default GreenEventEmitter;
