import type { GreenThread } from './green-thread.js';
import { GreenletExit } from './greenlet-exit.js';
import { hub } from './hub.js';
import { spawn, type ThreadFunction } from './spawn.js';

/**
 * Enters the green world from async code: runs `fn(...args)` as a green
 * thread and resolves with its result (rejects with its error).
 *
 * @example
 * import { run, sleep } from '@verdant/hub';
 *
 * const n = await run(function* (base: number) {
 *   yield* sleep(10);
 *   return base + 1;
 * }, 41);
 * console.log(n); // 42
 */
export function run<A extends unknown[], T>(fn: ThreadFunction<A, T>, ...args: A): Promise<T> {
  const t = spawn(fn, ...args);
  t._observed = true;
  return new Promise<T>((resolve, reject) => {
    t.link((gt) => {
      if (gt._ok) resolve(gt._result as T);
      else reject(gt._result);
    });
  });
}

/**
 * Thrown into `main`'s thread when nothing is left that could ever wake it.
 *
 * @example
 * import { DeadlockError, Event, main } from '@verdant/hub';
 *
 * main(function* () {
 *   try {
 *     yield* new Event().wait(); // nobody will ever send it
 *   } catch (e) {
 *     console.log(e instanceof DeadlockError); // true
 *   }
 * });
 */
export class DeadlockError extends Error {
  constructor(blockedOn: string) {
    super(
      `main thread would block forever: it waits on ${blockedOn}, and nothing is left that could wake it`,
    );
    this.name = 'DeadlockError';
  }
}

const SIGNALS = { SIGINT: 2, SIGTERM: 15 } as const;
let mainInstalled = false;

/**
 * Program entry: runs `fn(...args)` as the thread named `main`. A failure is
 * logged and sets `process.exitCode = 1`; SIGINT/SIGTERM kill every green
 * thread (their `finally` blocks run) and then end the process with
 * 128 + the signal number. A main thread still parked when Node's loop runs
 * dry gets a `DeadlockError` instead of the process exiting silently.
 *
 * @example
 * import { main, sleep, spawn } from '@verdant/hub';
 *
 * main(function* () {
 *   const worker = spawn(function* () {
 *     yield* sleep(10);
 *     return 'work done';
 *   });
 *   console.log(yield* worker.wait()); // 'work done'
 * });
 */
export function main<A extends unknown[]>(fn: ThreadFunction<A, unknown>, ...args: A): void {
  const t = spawn(fn, ...args);
  t.name = 'main';
  t._observed = true;
  hub.mainThread = t;
  const onBeforeExit = (): void => {
    if (!t.dead) hub.interrupt(t, new DeadlockError(t._blockedOn ?? 'nothing'));
  };
  process.on('beforeExit', onBeforeExit);
  t.link((gt: GreenThread<unknown>) => {
    process.off('beforeExit', onBeforeExit);
    if (!gt._ok && !(gt._result instanceof GreenletExit)) {
      // An error main took from a thread it waited on was logged when that thread failed.
      const error = gt._result;
      const logged = typeof error === 'object' && error !== null && hub.loggedFailures.has(error);
      if (!logged) hub.logger.fatal({ thread: gt.name, err: error }, 'main thread failed');
      process.exitCode = 1;
    }
  });
  if (!mainInstalled) {
    mainInstalled = true;
    for (const [name, number] of Object.entries(SIGNALS)) {
      process.on(name, () => shutdown(name, number));
    }
  }
}

let shuttingDown = false;

function shutdown(signal: string, number: number): void {
  const code = 128 + number;
  if (shuttingDown) process.exit(code);
  shuttingDown = true;
  hub.logger.info({ signal, threads: hub.alive }, 'killing every green thread');
  const threads = [...hub.liveThreads()] as GreenThread[];
  if (threads.length === 0) process.exit(code);
  let left = threads.length;
  for (const t of threads) {
    t.link(() => {
      if (--left === 0) process.exit(code);
    });
    t.kill(new GreenletExit(`killed by ${signal}`));
  }
}
