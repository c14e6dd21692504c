import { GreenThread } from './green-thread.js';
import { hub } from './hub.js';
import type { Operation } from './operation.js';

/** A generator function: what a green thread runs. */
export type ThreadFunction<A extends unknown[], T> = (...args: A) => Operation<T>;

/**
 * Starts `fn(...args)` as a green thread soon (on the hub's next drain) and
 * returns at once. `fn` must be a generator function: `function* () {}`.
 *
 * @example
 * const gt = spawn(function* (url: string) { return yield* fetchPage(url) }, 'http://127.0.0.1:8080/');
 * const page = yield* gt.wait();
 */
export function spawn<A extends unknown[], T>(
  fn: ThreadFunction<A, T>,
  ...args: A
): GreenThread<T> {
  checkThreadFunction('spawn', fn);
  const t = new GreenThread<T>(fn as unknown as (...a: unknown[]) => Operation<T>, args);
  hub.start(t as GreenThread<unknown>);
  return t;
}

/**
 * Like `spawn`, for fire-and-forget work: returns nothing, keeps no result.
 * A failure is still logged.
 */
export function spawnN<A extends unknown[]>(fn: ThreadFunction<A, unknown>, ...args: A): void {
  checkThreadFunction('spawnN', fn);
  hub.start(new GreenThread(fn as unknown as (...a: unknown[]) => Operation<unknown>, args));
}

/**
 * Starts `fn(...args)` after `ms` milliseconds. Until then `cancel()` or
 * `kill()` stops it from ever running.
 *
 * @example
 * const reminder = spawnAfter(5000, function* () { log.info('still working') });
 * reminder.cancel();
 */
export function spawnAfter<A extends unknown[], T>(
  ms: number,
  fn: ThreadFunction<A, T>,
  ...args: A
): GreenThread<T> {
  if (typeof ms !== 'number' || !(ms >= 0) || ms === Number.POSITIVE_INFINITY) {
    throw new TypeError(
      `spawnAfter(ms, fn): ms must be a finite number >= 0 (milliseconds), got ${String(ms)}`,
    );
  }
  checkThreadFunction('spawnAfter', fn);
  const t = new GreenThread<T>(
    fn as unknown as (...a: unknown[]) => Operation<T>,
    args,
  ) as GreenThread<unknown>;
  hub.link(t);
  t._timer = hub.callLater(ms, startLater, t);
  return t as GreenThread<T>;
}

function startLater(t: GreenThread<unknown>): void {
  t._timer = undefined;
  hub.enqueue(t);
}

/** The running green thread, or null outside the green world. */
export function getCurrent(): GreenThread | null {
  return hub.current;
}

/** Same as `gt.kill(error)`. */
export function kill(gt: GreenThread<unknown>, error?: unknown): boolean {
  if (!(gt instanceof GreenThread))
    throw new TypeError('kill(gt): gt must be a GreenThread (from spawn)');
  return gt.kill(error);
}

export function checkThreadFunction(what: string, fn: unknown): void {
  if (typeof fn !== 'function') {
    throw new TypeError(
      `${what}(fn): fn must be a generator function (function* () { ... }), got ${typeof fn}`,
    );
  }
  const tag = (fn as { [Symbol.toStringTag]?: string })[Symbol.toStringTag];
  if (tag === 'GeneratorFunction') return;
  if (tag === 'AsyncGeneratorFunction' || tag === 'AsyncFunction') {
    throw new TypeError(
      `${what}(fn): fn is an async function; green threads run generator functions: write function* and use \`yield* wait(promise)\` for promises`,
    );
  }
  throw new TypeError(
    `${what}(fn): fn must be a generator function (function* () { ... }), got a plain function${fn.name ? ` (${fn.name})` : ''}`,
  );
}
