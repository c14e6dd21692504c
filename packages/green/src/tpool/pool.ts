/**
 * The pool behind `tpool`.
 *
 * Hand-written on `node:worker_threads` rather than piscina: the pool needs
 * per-job cancellation by terminating one worker, unref'd idle workers, an
 * idle probe, and a park that allocates no promise per job; piscina's
 * promise/AbortSignal API would add a layer and a dependency for those.
 */
import { availableParallelism } from 'node:os';
import type * as WorkerThreads from 'node:worker_threads';
import { getHub, type Operation, suspend } from '@verdant/hub';
import { checkDuration, checkInteger, checkOptions } from '../internal/check.js';
import { pristine } from '../node/pristine.js';
import { checkArgs, moduleUrl, rebuild, sourceOf, type WorkerError } from './job.js';
import { WORKER_SOURCE } from './worker-source.js';

type Worker = WorkerThreads.Worker;
// Node's own Worker whatever is patched: a job is plain blocking code on a
// thread of its own, never a green thread that would freeze the hub.
const { Worker } = pristine('worker_threads') as typeof WorkerThreads;

interface Job {
  id: number;
  message: { id: number; url?: string; name?: string; source?: string; args: unknown[] };
  resume: (value: unknown) => boolean;
  fail: (error: unknown) => boolean;
  worker: Slot | undefined;
  /** Where execute was called; its stack is formatted only if the job fails. */
  caller: Error;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
  /** One unref'd timer per worker, re-armed lazily, instead of a new timer per job. */
  idleTimer: NodeJS.Timeout | undefined;
  idleSince: number;
}

/** Pool settings; see `configure`. */
export interface TpoolOptions {
  /** Worker threads at most (default: the machine's available parallelism). */
  size?: number;
  /** How long an idle worker lives before it exits, in ms (default 1000). */
  idleTimeoutMs?: number;
}

let size = Math.max(1, availableParallelism());
let idleTimeoutMs = 1000;
const slots: Slot[] = [];
const queue: Job[] = [];
let queueHead = 0;
let running = 0;
let lastId = 0;

/** `--import` preloads of this process (tsx...), which Node 20 does not run in workers itself. */
const PRELOAD: string[] = Number(process.versions.node.split('.')[0]) >= 22 ? [] : preloads();

function preloads(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--import' && i + 1 < argv.length) out.push(argv[++i]!);
    else if (a.startsWith('--import=')) out.push(a.slice('--import='.length));
  }
  return out;
}

getHub().registerProbe('tpool: jobs queued or running', () => queue.length - queueHead + running);

/**
 * Runs `module[exportName](...args)` in a worker thread and returns its
 * (awaited) result; the calling green thread waits, the others run.
 *
 * @example
 * const digest = yield* tpool.execute<string>('node:crypto', 'randomUUID'); // runs crypto.randomUUID() in a worker
 * // or a module of your own: tpool.execute(new URL('./hash.js', import.meta.url), 'sha256', 'abc')
 */
export function execute<R = unknown>(
  module: string | URL,
  exportName: string,
  ...args: unknown[]
): Operation<Awaited<R>>;
/**
 * Runs a self-contained function, sent by its source text, in a worker
 * thread: `fn` must not use variables from its enclosing scope.
 *
 * @example
 * const n = yield* tpool.execute((a: number, b: number) => a * b, 6, 7); // 42
 */
export function execute<A extends unknown[], R>(
  fn: (...args: A) => R,
  ...args: A
): Operation<Awaited<R>>;
export function execute(first: unknown, ...rest: unknown[]): Operation<unknown> {
  let message: Job['message'];
  if (typeof first === 'function') {
    message = {
      id: 0,
      source: sourceOf(first as (...args: never) => unknown),
      args: checkArgs(rest, 1),
    };
  } else if (typeof first === 'string' || first instanceof URL) {
    const name = rest[0];
    if (typeof name !== 'string' || name.length === 0) {
      throw new TypeError(
        `tpool.execute(module, exportName, ...args): exportName must be a non-empty string, got ${typeof name}`,
      );
    }
    message = { id: 0, url: moduleUrl(first), name, args: checkArgs(rest.slice(1), 2) };
  } else {
    throw new TypeError(
      `tpool.execute: the first argument must be a module path/URL (then an export name) or a function, got ${first === null ? 'null' : typeof first}`,
    );
  }
  return executeJob(message);
}

function executeJob(message: Job['message']): Operation<unknown> {
  return suspend<unknown>(
    (resume, fail) => {
      const id = ++lastId;
      message.id = id;
      const job: Job = {
        id,
        message,
        resume,
        fail,
        worker: undefined,
        caller: new Error('tpool caller'),
      };
      submit(job);
      return (interrupted) => {
        if (interrupted) cancel(job);
      };
    },
    message.url ? `tpool ${message.name}` : 'tpool fn',
  );
}

function submit(job: Job): void {
  if (running < size) {
    const idle = slots.find((s) => s.job === undefined);
    if (idle !== undefined) {
      if (!dispatch(idle, job)) idleOrNext(idle);
      return;
    }
    if (slots.length < size) {
      const slot = startWorker();
      if (!dispatch(slot, job)) idleOrNext(slot);
      return;
    }
  }
  queue.push(job);
}

/**
 * Hands `job` to `slot`. postMessage (which clones the arguments) runs first,
 * so a failure leaves no bookkeeping behind: the job fails and the slot stays free.
 */
function dispatch(slot: Slot, job: Job): boolean {
  try {
    slot.worker.postMessage(job.message);
  } catch (error) {
    job.fail(
      new TypeError(
        `tpool.execute: the job's arguments cannot be sent to a worker: ${(error as Error)?.message ?? String(error)}`,
      ),
    );
    return false;
  }
  slot.job = job;
  job.worker = slot;
  running++;
  slot.worker.ref();
  return true;
}

function nextJob(): Job | undefined {
  if (queueHead === queue.length) return undefined;
  const job = queue[queueHead++];
  if (queueHead > 64 && queueHead * 2 > queue.length) {
    queue.splice(0, queueHead);
    queueHead = 0;
  }
  if (queueHead === queue.length) {
    queue.length = 0;
    queueHead = 0;
  }
  return job;
}

function startWorker(): Slot {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    name: 'verdant-tpool',
    workerData: { preload: PRELOAD },
  });
  const slot: Slot = { worker, job: undefined, idleTimer: undefined, idleSince: 0 };
  slots.push(slot);
  worker.on(
    'message',
    (reply: { id: number; ok: boolean; value?: unknown; error?: WorkerError }) => {
      const job = slot.job;
      if (job === undefined || job.id !== reply.id) return;
      finishJob(slot);
      if (reply.ok) job.resume(reply.value);
      else job.fail(rebuild(reply.error!, job.message.source, job.caller));
      idleOrNext(slot);
    },
  );
  worker.on('error', (error) => {
    const job = slot.job;
    removeSlot(slot);
    if (job !== undefined) {
      finishJob(slot);
      job.fail(error);
    }
  });
  worker.on('exit', (code) => {
    const job = slot.job;
    removeSlot(slot);
    if (job !== undefined) {
      finishJob(slot);
      job.fail(new Error(`tpool: the worker running this job exited with code ${code}`));
    }
    pump();
  });
  return slot;
}

function finishJob(slot: Slot): void {
  if (slot.job === undefined) return;
  slot.job.worker = undefined;
  slot.job = undefined;
  running--;
}

function idleOrNext(slot: Slot): void {
  if (slots.length > size) {
    // The pool was shrunk: retire this worker instead of keeping it around.
    retire(slot);
    pump();
    return;
  }
  for (let next = nextJob(); next !== undefined; next = nextJob()) {
    if (dispatch(slot, next)) return;
  }
  slot.worker.unref();
  slot.idleSince = performance.now();
  if (slot.idleTimer === undefined) armIdle(slot, idleTimeoutMs);
}

function retire(slot: Slot): void {
  removeSlot(slot);
  void slot.worker.terminate();
}

function armIdle(slot: Slot, ms: number): void {
  slot.idleTimer = setTimeout(() => {
    slot.idleTimer = undefined;
    if (slot.job !== undefined) return; // busy: idleOrNext re-arms when it is idle again
    const left = slot.idleSince + idleTimeoutMs - performance.now();
    if (left > 0) armIdle(slot, left);
    else retire(slot);
  }, ms);
  slot.idleTimer.unref();
}

/** Starts queued jobs on free capacity (after a worker went away or the pool grew). */
function pump(): void {
  while (queueHead < queue.length && running < size) {
    let slot = slots.find((s) => s.job === undefined);
    if (slot === undefined) {
      if (slots.length >= size) return;
      slot = startWorker();
    }
    const job = nextJob()!;
    if (!dispatch(slot, job)) idleOrNext(slot);
  }
}

function removeSlot(slot: Slot): void {
  const at = slots.indexOf(slot);
  if (at >= 0) slots.splice(at, 1);
  if (slot.idleTimer !== undefined) clearTimeout(slot.idleTimer);
  slot.idleTimer = undefined;
}

function cancel(job: Job): void {
  const slot = job.worker;
  if (slot === undefined) {
    const at = queue.indexOf(job, queueHead);
    if (at >= 0) queue.splice(at, 1);
    return;
  }
  // Work already running cannot be interrupted inside the worker: stop the worker.
  finishJob(slot);
  removeSlot(slot);
  void slot.worker.terminate();
  pump();
}

/**
 * Sets the pool size and idle timeout. Shrinking retires idle workers
 * beyond the new size at once and busy ones as their jobs finish; it never
 * interrupts running jobs, and no new job starts while `size` are running.
 *
 * @example
 * tpool.configure({ size: 2, idleTimeoutMs: 5000 });
 * tpool.stats().size; // 2
 */
export function configure(options: TpoolOptions): void {
  checkOptions('tpool.configure(options): options', options);
  // Every option is checked before any applies: a bad one changes nothing.
  if (options.size !== undefined) checkInteger('tpool.configure({ size }): size', options.size, 1);
  if (options.idleTimeoutMs !== undefined) {
    checkDuration('tpool.configure({ idleTimeoutMs }): idleTimeoutMs', options.idleTimeoutMs);
  }
  if (options.size !== undefined) setNumThreads(options.size);
  if (options.idleTimeoutMs !== undefined) idleTimeoutMs = options.idleTimeoutMs;
}

/**
 * Sets how many worker threads may run at once (eventlet's `set_num_threads`).
 *
 * @example
 * tpool.setNumThreads(2);
 * const squares = [1, 2, 3].map((n) => spawn(function* () {
 *   return yield* tpool.execute((x: number) => x * x, n); // at most two at once
 * }));
 * for (const s of squares) yield* s.wait();
 */
export function setNumThreads(n: number): void {
  checkInteger('tpool.setNumThreads(n): n', n, 1);
  size = n;
  // Retire idle workers beyond the new size now; busy ones retire as they finish.
  for (const slot of slots.filter((s) => s.job === undefined)) {
    if (slots.length <= size) break;
    retire(slot);
  }
  pump();
}

/**
 * The current settings and load.
 *
 * @example
 * yield* tpool.execute(() => 1);
 * const { workers, busy, queued } = tpool.stats(); // busy: 0, queued: 0
 */
export function stats(): { size: number; workers: number; busy: number; queued: number } {
  return { size, workers: slots.length, busy: running, queued: queue.length - queueHead };
}

/**
 * Stops every idle worker now (eventlet's `killall`); busy ones keep their
 * job and exit once idle for `idleTimeoutMs`. The pool starts new workers on
 * the next execute.
 *
 * @example
 * yield* tpool.execute(() => 1);
 * yield* tpool.killall();
 * tpool.stats().workers; // 0
 */
export function* killall(): Operation<void> {
  const idle = slots.filter((s) => s.job === undefined);
  for (const slot of idle) removeSlot(slot);
  for (const slot of idle)
    yield* suspend<void>((resume) => {
      slot.worker.once('exit', () => resume());
      void slot.worker.terminate();
    }, 'tpool killall');
}
