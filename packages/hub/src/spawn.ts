import { checkDuration, checkThreadFunction, describeValue } from './check.js';
import { GreenThread } from './green-thread.js';
import { hub } from './hub.js';
import type { Operation } from './operation.js';

/** A generator function: what a green thread runs. */
export type ThreadFunction<A extends unknown[], T> = (...args: A) => Operation<T>;

type AnyFunction = (...a: unknown[]) => Operation<unknown>;

/**
 * The thread's arguments after the first `skip` of a call, or undefined if
 * there are none. spawn reads `arguments` rather than a rest parameter, which
 * would make a new empty array on every call of a program's hottest function.
 */
function argsFrom(skip: number, all: IArguments): unknown[] | undefined {
  const n = all.length - skip;
  if (n <= 0) return undefined;
  const args = new Array<unknown>(n);
  for (let i = 0; i < n; i++) args[i] = all[i + skip];
  return args;
}

/**
 * Starts `fn(...args)` as a green thread soon (on the hub's next drain) and
 * returns at once. `fn` must be a generator function: `function* () {}`.
 *
 * @example
 * import { run, sleep, spawn } from '@verdant/hub';
 *
 * const sum = await run(function* () {
 *   const threads = [30, 10, 20].map((ms) =>
 *     spawn(function* (n: number) {
 *       yield* sleep(n);
 *       return n;
 *     }, ms),
 *   );
 *   let total = 0;
 *   for (const t of threads) total += yield* t.wait();
 *   return total;
 * });
 * console.log(sum); // 60
 */
export function spawn<A extends unknown[], T>(fn: ThreadFunction<A, T>, ...args: A): GreenThread<T>;
export function spawn(fn: AnyFunction): GreenThread<unknown> {
  checkThreadFunction('spawn(fn)', 'fn', fn);
  // biome-ignore lint/complexity/noArguments: a rest parameter is an array per call (see argsFrom)
  const t = new GreenThread(fn, argsFrom(1, arguments));
  hub.start(t);
  return t;
}

/**
 * Like `spawn`, for fire-and-forget work: returns nothing, keeps no result.
 * A failure is still logged.
 *
 * @example
 * import { Event, run, spawnN } from '@verdant/hub';
 *
 * const done = new Event<string>();
 * await run(function* () {
 *   spawnN(function* () {
 *     done.send('finished');
 *   });
 *   console.log(yield* done.wait()); // 'finished'
 * });
 */
export function spawnN<A extends unknown[]>(fn: ThreadFunction<A, unknown>, ...args: A): void;
export function spawnN(fn: AnyFunction): void {
  checkThreadFunction('spawnN(fn)', 'fn', fn);
  // biome-ignore lint/complexity/noArguments: a rest parameter is an array per call (see argsFrom)
  hub.start(new GreenThread(fn, argsFrom(1, arguments)));
}

/**
 * Starts `fn(...args)` after `ms` milliseconds. Until then `cancel()` or
 * `kill()` stops it from ever running.
 *
 * @example
 * import { run, spawnAfter } from '@verdant/hub';
 *
 * await run(function* () {
 *   const reminder = spawnAfter(5000, function* () {
 *     console.log('still working');
 *   });
 *   reminder.cancel(); // it never runs
 * });
 */
export function spawnAfter<A extends unknown[], T>(
  ms: number,
  fn: ThreadFunction<A, T>,
  ...args: A
): GreenThread<T> {
  checkDuration('spawnAfter(ms, fn)', 'ms', ms);
  checkThreadFunction('spawnAfter(ms, fn)', 'fn', fn);
  const t = new GreenThread<T>(fn as unknown as (...a: unknown[]) => Operation<T>, args);
  hub.link(t);
  // The thread waits on the timer queue itself; when due the hub starts it.
  hub.timers.addEntry(t, ms);
  return t;
}

/**
 * The running green thread, or null outside the green world.
 *
 * @example
 * import { getCurrent, run } from '@verdant/hub';
 *
 * console.log(getCurrent()); // null
 * await run(function* () {
 *   console.log(getCurrent()?.name); // 'GreenThread-<id>'
 * });
 */
export function getCurrent(): GreenThread | null {
  // Every thread the hub runs is a GreenThread; the hub itself knows only their records.
  return hub.current as GreenThread | null;
}

/**
 * Same as `gt.kill(error)`.
 *
 * @example
 * import { kill, run, sleep, spawn } from '@verdant/hub';
 *
 * await run(function* () {
 *   const gt = spawn(function* () {
 *     yield* sleep(60_000);
 *   });
 *   kill(gt); // before it started: it never runs
 *   yield* sleep();
 *   console.log(gt.dead, gt.started); // true false
 * });
 */
export function kill(gt: GreenThread<unknown>, error?: unknown): boolean {
  if (!(gt instanceof GreenThread)) {
    throw new TypeError(
      `kill(gt): gt must be a GreenThread (from spawn), got ${describeValue(gt)}`,
    );
  }
  return gt.kill(error);
}
