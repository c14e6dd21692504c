/**
 * Green face of `node:worker_threads` (the `thread` flag, as eventlet's
 * thread flag turns OS threads into green threads). A `Worker` runs its
 * CommonJS script in this process as a green thread: the script sees
 * `isMainThread === false`, its own `workerData` (a structured clone),
 * `threadId`, and a `parentPort` that is a real in-process `MessagePort`.
 *
 * What differs from a real thread: globals, `process` and the module cache
 * are shared (the script itself is loaded fresh for each worker, its
 * dependencies are not); CPU-bound code blocks the hub and every green
 * thread; `process.exit()` in the script ends the whole process; only the
 * script's own `require('worker_threads')` is redirected. A worker ends when
 * its script throws, `parentPort.close()` is called, `terminate()` is called,
 * or, once the script has run, nothing listens on `parentPort`. ES-module
 * scripts run in-process when @verdant/patcher is loaded (it has the module
 * hooks: the script's own package's modules load fresh per worker, the
 * script's `import('worker_threads')` gets its worker's view); without it
 * they get a real Worker, with a warning. `resourceLimits`, `stdout`/`stderr`
 * capture and heap snapshots need a real thread.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Real from 'node:worker_threads';
import { GreenletExit, type GreenThread, getHub, spawn, suspend } from '@verdant/hub';
import { checkFunction } from '../internal/check.js';
import { ESM_WORKER_LOADER } from '../internal/symbols.js';
import { pristine } from './pristine.js';

export * from 'node:worker_threads';

// Node's own functions, even if this face loads after the builtin was patched.
const real = pristine('worker_threads') as typeof Real;

/** What this face replaces in `node:worker_threads`. */
export const patched = ['Worker'] as const;

type ModuleInternals = {
  new (id: string, parent: unknown): ModuleInstance;
  _nodeModulePaths(dir: string): string[];
  prototype: ModuleInstance;
};
type ModuleInstance = {
  filename: string;
  paths: string[];
  exports: unknown;
  loaded: boolean;
  require(id: string): unknown;
  load(filename: string): void;
  _compile(code: string, filename: string): void;
};
const M = Module as unknown as ModuleInternals;

let lastThreadId = 1000;

/** Loads a fresh copy of an ES module whose `worker_threads` is `workerThreads`. */
export type EsmLoader = (filename: string, workerThreads: object) => Promise<unknown>;
// On a global, so the ESM and CJS builds of this face see the loader either one was given.
const loaderStore = globalThis as { [ESM_WORKER_LOADER]?: EsmLoader };
let warnedEsm = false;

/**
 * Installs the loader that runs ES-module worker scripts in-process (the
 * face has no module hooks of its own). @verdant/patcher installs one when it
 * loads; the last one set is used.
 *
 * @example
 * import { setEsmWorkerLoader } from '@verdant/green/node/worker-threads';
 * // What @verdant/patcher does when it loads, with its own fresh-copy loader:
 * setEsmWorkerLoader((filename, workerThreads) => import(pathToFileURL(filename).href));
 */
export function setEsmWorkerLoader(loader: EsmLoader): void {
  checkFunction('setEsmWorkerLoader(loader): loader', loader);
  loaderStore[ESM_WORKER_LOADER] = loader;
}

function isEsm(filename: string): boolean {
  if (filename.endsWith('.mjs') || filename.endsWith('.mts')) return true;
  if (filename.endsWith('.cjs') || filename.endsWith('.cts')) return false;
  for (let dir = dirname(filename); ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(resolve(dir, 'package.json'), 'utf8')) as {
        type?: string;
      };
      return pkg.type === 'module';
    } catch {
      if (dirname(dir) === dir) return false;
    }
  }
}

/** Loads `filename` fresh, its `require('worker_threads')` answered by `face`. */
function runScript(filename: string, code: string | undefined, face: object): void {
  const m = new M(filename, null);
  m.filename = filename;
  m.paths = M._nodeModulePaths(dirname(filename));
  m.require = function require(this: ModuleInstance, id: string): unknown {
    if (id === 'worker_threads' || id === 'node:worker_threads') return face;
    return M.prototype.require.call(this, id);
  };
  if (code !== undefined) m._compile(code, filename);
  else m.load(filename);
  m.loaded = true;
}

export interface WorkerOptions extends Real.WorkerOptions {}

/**
 * A worker that is a green thread of this process. Same events (`online`,
 * `message`, `messageerror`, `error`, `exit`) and methods as Node's Worker.
 *
 * @example
 * import { Worker } from '@verdant/green/node/worker-threads';
 * const w = new Worker(
 *   "require('worker_threads').parentPort.once('message', (m) => require('worker_threads').parentPort.postMessage(m * 2))",
 *   { eval: true },
 * );
 * w.postMessage(21);
 * const [reply] = yield* events.once(w, 'message'); // 42, from a green thread of this process
 */
export class Worker extends EventEmitter {
  readonly threadId!: number;
  readonly stdin = null;
  readonly stdout = null;
  readonly stderr = null;
  readonly resourceLimits = {};
  readonly thread!: GreenThread<void>;
  private readonly port!: Real.MessagePort;
  private readonly childPort!: Real.MessagePort;
  private exitCode: number | undefined = undefined;
  private endPark: ((code: number) => boolean) | undefined = undefined;

  constructor(filename: string | URL, options: WorkerOptions = {}) {
    super();
    const path = options.eval === true ? undefined : toPath(filename);
    const esm = path !== undefined && isEsm(path);
    const esmLoader = loaderStore[ESM_WORKER_LOADER];
    if (esm && esmLoader === undefined) {
      if (!warnedEsm) {
        warnedEsm = true;
        getHub().logger.warn(
          { filename: path },
          'green Worker: running an ES-module worker script in-process needs module hooks; load @verdant/patcher for that. Starting a real Worker instead',
        );
      }
      // biome-ignore lint/correctness/noConstructorReturn: a real Worker stands in, by design.
      return new real.Worker(filename, options) as unknown as Worker;
    }
    this.threadId = ++lastThreadId;
    const { port1, port2 } = new real.MessageChannel();
    this.port = port1;
    this.childPort = port2;
    port1.on('message', (value) => this.emit('message', value));
    port1.on('messageerror', (error) => this.emit('messageerror', error));
    const face = {
      ...real,
      Worker,
      isMainThread: false,
      parentPort: port2,
      workerData: structuredClone(options.workerData),
      threadId: this.threadId,
      resourceLimits: {},
    };
    const scriptName = path ?? '[worker eval]';
    const source = options.eval === true ? String(filename) : undefined;
    const self = this;
    this.thread = spawn(function* worker() {
      let code = 0;
      try {
        process.nextTick(() => self.emit('online'));
        if (esm) yield esmLoader!(scriptName, face);
        else runScript(scriptName, source, face);
        code = yield* suspend<number>((resume) => {
          self.endPark = resume;
          port2.once('close', () => resume(0));
          self.idleCheck();
          return () => {
            self.endPark = undefined;
          };
        }, `worker ${self.threadId}`);
      } catch (error) {
        code = 1;
        if (!(error instanceof GreenletExit)) {
          process.nextTick(() => self.emit('error', error));
        }
      } finally {
        self.finish(code);
      }
    });
    this.thread.name = `Worker-${this.threadId}`;
    port2.on('removeListener', () => this.idleCheck());
  }

  /** A worker whose script no longer listens on parentPort has nothing left to do. */
  private idleCheck(): void {
    setImmediate(() => {
      if (this.endPark !== undefined && this.childPort.listenerCount('message') === 0) {
        this.endPark(0);
      }
    });
  }

  private finish(code: number): void {
    if (this.exitCode !== undefined) return;
    this.exitCode = code;
    this.port.close();
    this.childPort.close();
    setImmediate(() => this.emit('exit', code));
  }

  /** Sends a message to the script's `parentPort`. */
  postMessage(value: unknown, transferList?: readonly Real.TransferListItem[]): void {
    this.port.postMessage(value, transferList as Real.TransferListItem[]);
  }

  /** Kills the worker's green thread; resolves with exit code 1, as Node's. */
  terminate(): Promise<number> {
    return new Promise((resolve) => {
      if (this.exitCode !== undefined) {
        resolve(this.exitCode);
        return;
      }
      this.once('exit', resolve);
      this.thread.kill();
    });
  }

  ref(): void {
    this.port.ref();
  }

  unref(): void {
    this.port.unref();
  }

  getHeapSnapshot(): Promise<never> {
    return Promise.reject(new Error('green Worker: heap snapshots need a real thread'));
  }
}

function toPath(filename: string | URL): string {
  if (filename instanceof URL) return fileURLToPath(filename);
  if (filename.startsWith('file:')) return fileURLToPath(filename);
  return resolve(filename);
}

/** The face as CommonJS code sees `require('worker_threads')`. */
const face = { ...real, Worker };
export default face;
