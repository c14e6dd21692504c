/*
 * The blocking monitor (gevent's max_blocking_time): reports a green thread
 * that keeps the hub longer than a threshold without yielding.
 *
 * HOW. The hub cannot time every step: one clock read costs more than a
 * switch on some machines. Instead it writes a step number into a shared
 * Int32Array as each step starts (one store) and 0 when a drain ends. A
 * watchdog worker thread looks at that number every threshold/2 ms: one
 * that has not changed for the threshold is a step still running, so the
 * worker flags it and asks the main thread's inspector for its stack while
 * it still blocks (Debugger.pause, answered at the loop's next interrupt
 * check). When the step ends, the hub sees the flag (one load) and logs the
 * incident once: the thread's name, how long at least, the stack captured
 * during the block, and where the thread yielded next.
 *
 * WHY a worker: only another thread can notice that this one is stuck, as
 * gevent's monitor thread does. It is unref'd, so it never keeps the
 * process alive, and it touches the main loop only when something blocked.
 */
import { Session } from 'node:inspector';
import * as workerThreads from 'node:worker_threads';
import type { Logger } from 'pino';
import { describeValue } from './check.js';

// Taken at load: the patcher may replace worker_threads' Worker with a green one.
const NodeWorker = workerThreads.Worker;
const receiveMessageOnPort = workerThreads.receiveMessageOnPort;

/** Slots of the shared Int32Array. */
export const STEP = 0; // the running step's number, 0 between drains
export const FLAGGED = 1; // a step the watchdog saw blocking
const THRESHOLD = 2; // the threshold in ms, read by the watchdog on every look

export const DEFAULT_MAX_BLOCKING_MS = 100;

/** Where a frame is: `functionName (file:line:column)`. */
type Frame = string;

interface Capture {
  step: number;
  frames: Frame[];
}

// Runs in the watchdog (CommonJS, eval'd). It keeps the worker's loop alive
// with its interval; the main side unrefs the worker itself.
const WATCHDOG = `
const { workerData } = require('node:worker_threads');
const inspector = require('node:inspector');
const { state, since, port } = workerData;
let lastStep = 0, firstSeen = 0, flagged = 0;
function frameOf(f) {
  const url = urls.get(f.location.scriptId) || f.url || '?';
  return (f.functionName || '(anonymous)') + ' (' + url + ':' + (f.location.lineNumber + 1) + ':' + (f.location.columnNumber + 1) + ')';
}
// Connected up front, so that a capture costs the blocked thread only the pause itself.
const session = new inspector.Session();
session.connectToMainThread();
const urls = new Map();
session.on('Debugger.scriptParsed', (m) => urls.set(m.params.scriptId, m.params.url));
session.on('Debugger.paused', (m) => {
  // Paused elsewhere if the step ended before the pause landed: drop those frames.
  if (Atomics.load(state, 0) === flagged) {
    port.postMessage({ step: flagged, frames: m.params.callFrames.slice(0, 20).map(frameOf) });
  }
  session.post('Debugger.resume');
  session.post('Debugger.disable');
});
function capture() {
  // Both in one go: the main thread handles them in order at its next interrupt check.
  session.post('Debugger.enable');
  session.post('Debugger.pause');
}
function look() {
  const step = Atomics.load(state, 0);
  const now = Date.now();
  if (step !== lastStep) { lastStep = step; firstSeen = now; return; }
  if (step === 0 || step === flagged) return;
  if (now - firstSeen < Atomics.load(state, 2)) return;
  flagged = step;
  since[0] = firstSeen;
  Atomics.store(state, 1, step);
  try { capture(); } catch {}
}
setInterval(look, workerData.intervalMs);
`;

/** The watchdog and its shared state; the hub holds one while monitoring is on. */
export class BlockingMonitor {
  /** Written by the hub on every step (see STEP, FLAGGED). */
  readonly state = new Int32Array(new SharedArrayBuffer(3 * 4));
  /** When the watchdog first saw the flagged step (Date.now() ms). */
  private readonly since = new Float64Array(new SharedArrayBuffer(8));
  private readonly worker: InstanceType<typeof NodeWorker>;
  private readonly port: workerThreads.MessagePort;

  constructor(
    readonly thresholdMs: number,
    private readonly log: () => Logger,
  ) {
    this.state[THRESHOLD] = thresholdMs;
    const { port1, port2 } = new workerThreads.MessageChannel();
    this.port = port1;
    this.worker = new NodeWorker(WATCHDOG, {
      eval: true,
      // Not the parent's --import/--require hooks (tsx and the like): the watchdog is plain CJS.
      execArgv: [],
      env: {},
      stdout: true,
      stderr: true,
      workerData: {
        state: this.state,
        since: this.since,
        port: port2,
        intervalMs: Math.max(1, Math.floor(thresholdMs / 2)),
      },
      transferList: [port2],
    });
    this.worker.on('error', (error) => {
      this.log().error(
        { err: error },
        'the blocking monitor failed; blocking is no longer reported',
      );
    });
    this.worker.unref();
  }

  /**
   * The step `step` of `thread` just ended and the watchdog had flagged it:
   * log the incident. `generator` is where the thread is parked now, if it lives.
   */
  report(step: number, threadName: string, generator: object | undefined): void {
    const state = this.state;
    // Between steps now: a pause that lands during this report is not the blocker's stack.
    state[STEP] = 0;
    if (state[FLAGGED] !== step) {
      // Flagged just as an earlier step ended: too late to tell whose it was.
      state[FLAGGED] = 0;
      return;
    }
    state[FLAGGED] = 0;
    const blockedMs = Date.now() - (this.since[0] ?? 0);
    let stack: Frame[] | undefined;
    for (;;) {
      const got = receiveMessageOnPort(this.port) as { message: Capture } | undefined;
      if (got === undefined) break;
      if (got.message.step === step) stack = got.message.frames;
    }
    const yieldedAt = generator === undefined ? undefined : generatorLocation(generator);
    this.log().warn(
      { thread: threadName, blockedMs, thresholdMs: this.thresholdMs, stack, yieldedAt },
      `green thread ${threadName} blocked the hub for at least ${blockedMs} ms without yielding (threshold ${this.thresholdMs} ms)`,
    );
  }

  stop(): void {
    void this.worker.terminate();
    this.port.close();
  }
}

const PROBE = Symbol.for('verdant.blockingMonitor.probe');

/** `file:line:column` where a suspended generator will resume, read through the inspector. */
function generatorLocation(generator: object): string | undefined {
  const session = new Session();
  const urls = new Map<string, string>();
  const holder = globalThis as { [PROBE]?: object };
  try {
    session.connect();
    session.on('Debugger.scriptParsed', (m) => urls.set(m.params.scriptId, m.params.url));
    // The in-thread session answers synchronously, within post().
    session.post('Debugger.enable');
    holder[PROBE] = generator;
    let location: { scriptId: string; lineNumber: number; columnNumber: number } | undefined;
    session.post(
      'Runtime.evaluate',
      { expression: 'globalThis[Symbol.for("verdant.blockingMonitor.probe")]' },
      (error, got) => {
        const objectId = error === null ? got.result.objectId : undefined;
        if (objectId === undefined) return;
        session.post('Runtime.getProperties', { objectId, ownProperties: true }, (e, props) => {
          const entry =
            e === null
              ? props.internalProperties?.find((p) => p.name === '[[GeneratorLocation]]')
              : undefined;
          location = entry?.value?.value as typeof location;
        });
      },
    );
    if (location === undefined) return undefined;
    return `${urls.get(location.scriptId) ?? '?'}:${location.lineNumber + 1}:${location.columnNumber + 1}`;
  } catch {
    return undefined;
  } finally {
    delete holder[PROBE];
    session.disconnect();
  }
}

/**
 * The threshold from VERDANT_MAX_BLOCKING_MS: a number of ms, or `off` / `0`
 * for none; unset means the default. A bad value is logged and ignored.
 */
export function thresholdFromEnv(log: () => Logger): number | null {
  const raw = process.env.VERDANT_MAX_BLOCKING_MS;
  if (raw === undefined || raw.trim() === '') return DEFAULT_MAX_BLOCKING_MS;
  if (raw.trim().toLowerCase() === 'off') return null;
  const ms = Number(raw);
  if (Number.isFinite(ms) && ms >= 0) return ms === 0 ? null : clampThreshold(ms);
  log().warn(
    `VERDANT_MAX_BLOCKING_MS: expected a number of milliseconds >= 0 or "off", got ${describeValue(raw)}; using ${DEFAULT_MAX_BLOCKING_MS} ms`,
  );
  return DEFAULT_MAX_BLOCKING_MS;
}

/** The shared slot is an Int32; at least 1 ms. */
export function clampThreshold(ms: number): number {
  return Math.min(Math.max(1, Math.round(ms)), 2 ** 31 - 1);
}
