import { GreenletExit, getCurrent, type Operation, spawn } from '@verdant/hub';
import { checkNonNegative } from '../internal/check.js';

/**
 * Starts `fn(...args)` as a new green thread and returns its ident
 * (Python's `_thread.start_new_thread(function, args)`). `fn` is a generator
 * function. A failure is logged through the hub, as Python prints it.
 *
 * @example
 * const done = new threading.Event();
 * const ident = thread.startNewThread(function* (ms: number) {
 *   yield* time.sleep(ms);
 *   done.set();
 * }, [10]);
 * yield* done.wait(); // true
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
 * Ends the calling green thread quietly (Python's `_thread.exit()`): throws
 * `GreenletExit`, so `finally` blocks run and nothing is logged.
 *
 * @example
 * const gt = spawn(function* () {
 *   try {
 *     thread.exit();
 *   } finally {
 *     console.log('finally blocks run');
 *   }
 * });
 * yield* time.sleep(1);
 * gt.dead; // true: it ended quietly, nothing was logged
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
 * main(function* () {
 *   thread.interruptMain(); // like pressing Ctrl-C: every green thread is killed, exit code 130
 *   yield* time.sleep(1000);
 * });
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
 * thread.stackSize(); // 0: green threads have no stack of their own
 */
export function stackSize(size?: number): number {
  if (size !== undefined) checkNonNegative('stackSize(size): size', size);
  return 0;
}
