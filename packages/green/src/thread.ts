/**
 * Green `thread`: Python's low-level `_thread` module on green threads.
 * Threads are green threads of the hub; idents are their ids, and code
 * outside any green thread (the Node program itself) has ident 0.
 */
import { GreenletExit, getCurrent, type Operation, spawn } from '@verdant/hub';
import { Lock, RuntimeError } from './lock.js';

export { Lock as LockType, RuntimeError as error };

/**
 * The longest timeout a lock accepts, in ms (Python's `TIMEOUT_MAX`, in ms here).
 *
 * @example
 * yield* lock.acquire(true, Math.min(ms, thread.TIMEOUT_MAX));
 */
export const TIMEOUT_MAX = 2 ** 31 - 1;

/**
 * Starts `fn(...args)` as a new green thread and returns its ident
 * (Python's `_thread.start_new_thread(function, args)`). `fn` is a generator
 * function. A failure is logged through the hub, as Python prints it.
 *
 * @example
 * const ident = thread.startNewThread(function* (n: number) { yield* time.sleep(n) }, [10]);
 */
export function startNewThread<A extends unknown[]>(
  fn: (...args: A) => Operation<unknown>,
  args?: A,
): number {
  if (args !== undefined && !Array.isArray(args)) {
    throw new TypeError(`startNewThread(fn, args): args must be an array, got ${typeof args}`);
  }
  return spawn(fn, ...((args ?? []) as A)).id;
}

/**
 * A new unlocked primitive lock (Python's `_thread.allocate_lock()`).
 *
 * @example
 * const lock = thread.allocateLock();
 * yield* lock.acquire();
 * lock.release();
 */
export function allocateLock(): Lock {
  return new Lock();
}

/**
 * The current green thread's ident (its hub id); 0 outside any green thread.
 *
 * @example
 * const me = thread.getIdent();
 */
export function getIdent(): number {
  return getCurrent()?.id ?? 0;
}

/**
 * Ends the calling green thread quietly (Python's `_thread.exit()`): throws
 * `GreenletExit`, so `finally` blocks run and nothing is logged.
 *
 * @example
 * if (done) thread.exit();
 */
export function exit(): never {
  if (getCurrent() === null) {
    throw new Error('thread.exit() must be called inside a green thread');
  }
  throw new GreenletExit('thread.exit()');
}

/**
 * Simulates `signal` arriving in the main thread (Python's
 * `_thread.interrupt_main(signum=SIGINT)`): the process signals itself, so
 * under the hub's `main()` SIGINT kills every green thread, their `finally`
 * blocks run, and the process exits 130.
 *
 * @example
 * thread.interruptMain(); // like pressing Ctrl-C
 */
export function interruptMain(signal: NodeJS.Signals = 'SIGINT'): void {
  if (typeof signal !== 'string') {
    throw new TypeError(`interruptMain(signal): signal must be a signal name such as 'SIGINT'`);
  }
  process.kill(process.pid, signal);
}

/**
 * Python's `_thread.stack_size()`: green threads are generators with no
 * stack of their own, so the size is always 0 and setting it does nothing.
 *
 * @example
 * thread.stackSize(); // 0
 */
export function stackSize(size?: number): number {
  if (size !== undefined && (typeof size !== 'number' || size < 0)) {
    throw new RangeError(`stackSize(size): size must be a number >= 0, got ${String(size)}`);
  }
  return 0;
}
