/**
 * Green face of `node:worker_threads` (the `thread` flag). A `Worker` stays
 * a real thread, greened inside: under `monkeyPatch`, each new Worker's
 * thread runs a preload of @verdant/patcher before its script (`eval` code,
 * a file, a `data:` URL, CommonJS or ES module), and that preload applies the
 * same `monkeyPatch` selection there, so the worker's sockets, timers and
 * nested Workers are green on its own hub. The preload is a `--require`
 * added to the worker's `execArgv` (yours, or this process's when you give
 * none); the worker's `process.execArgv` is then set back to what it would
 * have been without it. Everything else is Node's own Worker: `process.exit()`
 * ends only the worker, errors reach `'error'`, `terminate()` stops a busy
 * loop, `resourceLimits`, `stdout`/`stderr`, `unref()` and heap snapshots
 * work as in Node.
 *
 * Why real threads and not green threads of this process: Node's own 132
 * worker tests pass 132 of 132 this way; as in-process green threads, 64
 * (a worker's `process`, globals, timers and errors are this process's, and
 * a CPU-bound script freezes every green thread).
 *
 * What crosses the thread boundary is green-friendly: `recv()` (the next
 * message) and `join()` (the exit code) are operations a green thread can
 * `yield*`; under the `select` flag `yield* events.once(worker, 'message')`
 * works too, and inside the worker `yield* events.once(parentPort, 'message')`.
 */
import type * as Real from 'node:worker_threads';
import { type Operation, suspend } from '@verdant/hub';
import { describeValue } from '../internal/check.js';
import { WORKER_PRELOAD } from '../internal/symbols.js';
import { faceObject } from './internal/face-object.js';
import { pristine } from './pristine.js';

export * from 'node:worker_threads';

// Node's own functions, even if this face loads after the builtin was patched.
const real = pristine('worker_threads') as typeof Real;

/** What this face replaces in `node:worker_threads`. */
export const patched = ['Worker'] as const;

/** What the patcher tells this face: its preload and the flags to apply in each worker. */
export interface WorkerPatch {
  /** Absolute path of a CommonJS preload, run with `--require` in each new Worker. */
  preload: string;
  /** `monkeyPatch`'s flags, handed to the preload. */
  flags: readonly string[];
}

/**
 * What a new Worker's preload reads with `getEnvironmentData` (a worker gets
 * a copy of its parent's environment data as it is at `new Worker`).
 */
export const WORKER_SETUP_KEY = 'verdant:worker-setup';

/** The setup handed to one worker's preload. */
export interface WorkerSetup {
  flags: readonly string[];
  /** The worker's `process.execArgv` as it would be without the preload. */
  execArgv: string[];
  preload: string;
}

const store = globalThis as { [WORKER_PRELOAD]?: WorkerPatch };

/**
 * Makes every Worker made through this face from now on run `patch.preload`
 * first, with `patch.flags` (`undefined`: plain Workers again). Called by
 * @verdant/patcher's `monkeyPatch`; shared by the ESM and CJS builds.
 *
 * @example
 * import { setWorkerPatch } from '@verdant/green/node/worker-threads';
 * // What monkeyPatch({ thread: true, socket: true }) does, with its own preload:
 * setWorkerPatch({ preload: '/abs/path/thread-preload.js', flags: ['socket', 'thread'] });
 */
export function setWorkerPatch(patch: WorkerPatch | undefined): void {
  if (patch !== undefined) {
    if (typeof patch !== 'object' || patch === null || typeof patch.preload !== 'string')
      throw new TypeError(
        `setWorkerPatch(patch): patch must be { preload: string, flags: string[] } or undefined, got ${describeValue(patch)}`,
      );
    if (!Array.isArray(patch.flags))
      throw new TypeError('setWorkerPatch(patch): patch.flags must be an array of flag names');
  }
  store[WORKER_PRELOAD] = patch;
}

/** Flags Node refuses in a worker's execArgv (V8's and the process's), dropped when inherited. */
let refused: Set<string> | undefined;

function refusedFlags(error: unknown): string[] | undefined {
  const e = error as { code?: string; message?: string };
  if (e?.code !== 'ERR_WORKER_INVALID_EXEC_ARGV' || typeof e.message !== 'string') return undefined;
  const at = e.message.indexOf(': ');
  return at < 0 ? undefined : e.message.slice(at + 2).split(', ');
}

function withPreload(
  options: Real.WorkerOptions,
  patch: WorkerPatch,
  execArgv: string[],
): Real.WorkerOptions {
  real.setEnvironmentData(WORKER_SETUP_KEY, {
    flags: [...patch.flags],
    execArgv: options.execArgv ?? process.execArgv,
    preload: patch.preload,
  } satisfies WorkerSetup as never);
  return { ...options, execArgv: [...execArgv, '--require', patch.preload] };
}

const exits = new WeakMap<Real.Worker, number>();

/**
 * Node's Worker, greened inside under `monkeyPatch` (see the module's doc),
 * with two operations for green threads.
 *
 * @example
 * import { Worker } from '@verdant/green/node/worker-threads';
 * const w = new Worker(
 *   "const { parentPort } = require('worker_threads'); parentPort.once('message', (m) => parentPort.postMessage(m * 2))",
 *   { eval: true },
 * );
 * w.postMessage(21);
 * const reply = yield* w.recv(); // 42, from a real thread
 * const code = yield* w.join(); // 0: the worker's event loop ran dry
 */
export class Worker extends real.Worker {
  // biome-ignore lint/correctness/noUnreachableSuper: a super() that threw bound no `this`; the retry drops the flags Node refused.
  constructor(filename: string | URL, options: Real.WorkerOptions = {}) {
    const patch = store[WORKER_PRELOAD];
    if (patch === undefined || options === null || typeof options !== 'object') {
      super(filename, options);
    } else if (options.execArgv !== undefined) {
      // Node checks the user's own execArgv (and says what is wrong with it).
      super(
        filename,
        Array.isArray(options.execArgv) ? withPreload(options, patch, options.execArgv) : options,
      );
    } else {
      // Inherited: this process's flags, less those a worker refuses (they act process-wide anyway).
      const inherited = process.execArgv.filter((a) => refused?.has(a) !== true);
      try {
        super(filename, withPreload(options, patch, inherited));
      } catch (error) {
        const flags = refusedFlags(error);
        if (flags === undefined) throw error;
        refused = new Set([...(refused ?? []), ...flags]);
        super(
          filename,
          withPreload(
            options,
            patch,
            inherited.filter((a) => !refused!.has(a)),
          ),
        );
      }
    }
    // The setup went out with the worker's first message, in the constructor: leave no trace here.
    if (patch !== undefined) real.setEnvironmentData(WORKER_SETUP_KEY, undefined as never);
    this.once('exit', (code: number) => exits.set(this, code));
  }

  /**
   * The worker's next message, as an operation. Fails with the worker's
   * error, or once it has exited. A message that arrives while no one waits
   * goes to the `'message'` listeners, as in Node (none: it is dropped).
   */
  recv(): Operation<unknown> {
    return suspend<unknown>((resume, fail) => {
      const onMessage = (value: unknown): void => void resume(value);
      const onError = (error: unknown): void => void fail(error);
      const onExit = (code: number): void =>
        void fail(new Error(`worker.recv(): worker ${this.threadId} exited with code ${code}`));
      const done = exits.get(this);
      if (done !== undefined) {
        onExit(done);
        return;
      }
      this.once('message', onMessage).once('error', onError).once('exit', onExit);
      return () => {
        this.off('message', onMessage).off('error', onError).off('exit', onExit);
      };
    }, `worker ${this.threadId} recv`);
  }

  /** Waits for the worker to end; returns its exit code (`'exit'`'s value). */
  join(): Operation<number> {
    return suspend<number>((resume) => {
      const done = exits.get(this);
      if (done !== undefined) {
        resume(done);
        return;
      }
      const onExit = (code: number): void => void resume(code);
      this.once('exit', onExit);
      return () => {
        this.off('exit', onExit);
      };
    }, `worker ${this.threadId} join`);
  }
}

/** The face as CommonJS code sees `require('worker_threads')`. */
const face = faceObject(real, { Worker });
export default face;
