/*
 * The hub: the scheduler every green thread runs on, one per process.
 *
 * HOW. Runnable threads (generators) wait in one FIFO run queue; a single
 * setImmediate drains it once per turn of Node's loop, stepping each thread
 * until it yields. What it yields says why: PARK (call the arm `suspend`
 * prepared, keep the disposer it returns), SLEEP (a timer), YIELD (back of
 * the queue), or a promise. A wake-up queues the thread again. Timers live in
 * the TimerQueue: lists of one duration each, in a heap by earliest deadline,
 * behind one armed Node timer (as Node's lib/internal/timers.js); the Clock
 * is real time, or virtual time a test moves.
 *
 * WHY. However many threads and timers, Node's loop holds one immediate and
 * one timer for the hub, and nothing polls: with nothing runnable or pending
 * the process may exit. A drain stops after 5 ms of green code so sockets
 * still get polled (gevent's switch interval). A kill or Timeout runs the
 * park's disposer before it throws in, so nothing outlives a killed thread.
 */
import Denque from 'denque';
import type { Logger } from 'pino';
import {
  BlockingMonitor,
  clampThreshold,
  FLAGGED,
  STEP,
  thresholdFromEnv,
} from './blocking-monitor.js';
import { Clock } from './clock.js';
import { GreenletExit } from './greenlet-exit.js';
import { createLogger } from './logger.js';
import { nodeSetImmediate } from './node-timers.js';
import type { Operation } from './operation.js';
import { HUB, PARK, SLEEP, YIELD } from './symbols.js';
import {
  type Arm,
  DEAD,
  type Disposer,
  NEW,
  NEXT,
  PARKED,
  type ParkEnd,
  type ResumeMode,
  RUNNABLE,
  RUNNING,
  THROW,
  type ThreadRecord,
} from './thread-record.js';
import { TimerQueue } from './timer-queue.js';
import { pointAtYield } from './yield-site.js';

/**
 * What a patcher plugs into the hub while Node's builtins are patched: how a
 * thread's step runs (inside an AsyncLocalStorage context, so the work a
 * library does for the thread stays attributed to it across ticks), and
 * what to cancel when a parked thread is killed or its Timeout fires. The
 * hub holds null when nothing is patched: its hot path pays one check.
 */
export interface HubHooks {
  /**
   * A thread was made (spawn, spawnAfter, run, main), in its spawner's
   * context: what this returns is kept for the thread's life and handed to
   * each of its `aroundStep` calls (the async context its steps run in).
   */
  spawned?(thread: ThreadRecord<unknown>): unknown;
  /**
   * Runs `run(thread)`, the thread's step, e.g. as `als.run(thread, run, thread)`;
   * `data` is what `spawned` returned for it (undefined if it was made before the hooks).
   */
  aroundStep(
    thread: ThreadRecord<unknown>,
    run: (thread: ThreadRecord<unknown>) => void,
    data: unknown,
  ): void;
  /**
   * A kill or Timeout is being thrown into `thread` where it was parked on
   * `blockedOn` (the park's label). Called after the park's disposer ran,
   * before the thread runs again. Returning a function holds the thread
   * back: the hub calls it with `resume`, and the thread runs again only
   * once `resume()` is called (after the sockets it cancelled have closed).
   */
  interrupted(
    thread: ThreadRecord<unknown>,
    error: unknown,
    blockedOn: string | undefined,
  ): void | ((resume: () => void) => void);
}

/** How long one drain may run green code before it lets Node's loop poll I/O. */
const DRAIN_BUDGET_MS = 5;

type Thread = ThreadRecord<unknown>;

/** The scheduler; see the top of this file. */
export class Hub {
  readonly runQueue = new Denque<Thread>();
  current: Thread | null = null;
  /** The thread `main()` started, while the program runs. */
  mainThread: Thread | null = null;
  lastId = 0;
  /** Live threads, an intrusive list (no allocation per spawn). */
  private liveHead: Thread | undefined = undefined;
  alive = 0;
  switches = 0;
  private drainScheduled = false;
  private readonly soon: (() => void)[] = [];
  private logInstance: Logger | undefined = undefined;
  /** Counters green modules register (open sockets, listeners...) that must read 0 when idle. */
  readonly probes = new Map<string, () => number>();
  /** Installed by the patcher while something is patched; see HubHooks. */
  hooks: HubHooks | null = null;
  /** Errors already logged as a thread's failure: `main` rethrowing one does not log it again. */
  readonly loggedFailures = new WeakSet<object>();
  /** The blocking monitor's threshold; undefined until the first drain reads VERDANT_MAX_BLOCKING_MS. */
  private maxBlockingMs: number | null | undefined = undefined;
  private monitor: BlockingMonitor | null = null;
  /** Numbers the steps for the monitor's watchdog; never 0 (0 means "between drains"). */
  private stepNo = 0;
  /** Real I/O started and not yet answered; a virtual clock's auto-advance waits for it. */
  private ioPending = 0;
  readonly clock: Clock = new Clock(
    () => this.runQueue.length !== 0 || this.soon.length !== 0,
    () => this.ioPending !== 0,
  );
  readonly timers: TimerQueue = new TimerQueue(
    this.clock,
    (error) => {
      this.logger.error({ err: error }, 'a timer callback threw');
    },
    (entry) => {
      this.timerDue(entry as Thread);
    },
  );

  constructor() {
    this.clock.drive(this.timers);
  }

  get logger(): Logger {
    this.logInstance ??= createLogger();
    return this.logInstance;
  }
  set logger(value: Logger) {
    this.logInstance = value;
  }

  // ---- threads ----------------------------------------------------------

  /** Makes a new thread live and queues its first step. */
  start(t: Thread): void {
    this.link(t);
    this.enqueue(t);
  }

  /** Adds to the live list without queueing (spawnAfter starts it later). */
  link(t: Thread): void {
    const head = this.liveHead;
    t._next = head;
    if (head) head._prev = t;
    this.liveHead = t;
    this.alive++;
    // Once linked: a hook that kills or spawns finds the live list whole.
    const hooks = this.hooks;
    if (hooks !== null && hooks.spawned !== undefined) this.runSpawnedHook(hooks, t);
  }

  /**
   * A hook that throws fails the spawn: the thread dies of that error before
   * it runs (so a hook that kept it finds it dead: `wait()` rethrows, `kill()`
   * is false), and the error goes to the spawner.
   */
  private runSpawnedHook(hooks: HubHooks, t: Thread): void {
    let data: unknown;
    try {
      data = hooks.spawned!(t);
    } catch (error) {
      if (t._state !== DEAD) {
        t._observed = true; // the spawner gets the error: not logged as the thread's failure
        this.finish(t, false, error);
      }
      throw error;
    }
    if (data !== undefined && t._state !== DEAD) t._hookData = data;
  }

  private unlinkLive(t: Thread): void {
    if (t._prev) t._prev._next = t._next;
    else this.liveHead = t._next;
    if (t._next) t._next._prev = t._prev;
    t._prev = t._next = undefined;
    this.alive--;
  }

  *liveThreads(): Generator<Thread> {
    for (let t = this.liveHead; t; t = t._next) yield t;
  }

  enqueue(t: Thread): void {
    this.runQueue.push(t);
    if (!this.drainScheduled) {
      this.drainScheduled = true;
      nodeSetImmediate(this.drain);
    }
  }

  /** Runs `fn` on the next drain, outside any thread (links of dead threads). */
  callSoon(fn: () => void): void {
    this.soon.push(fn);
    if (!this.drainScheduled) {
      this.drainScheduled = true;
      nodeSetImmediate(this.drain);
    }
  }

  private readonly drain = (): void => {
    this.drainScheduled = false;
    if (this.maxBlockingMs === undefined) this.setMaxBlocking(thresholdFromEnv(() => this.logger));
    const timers = this.timers;
    timers.batch(true);
    try {
      this.drainQueue();
    } finally {
      // Sleeps begun in this drain get their deadlines (one clock read) and the Node timer is armed.
      timers.batch(false);
    }
    if ((this.runQueue.length !== 0 || this.soon.length !== 0) && !this.drainScheduled) {
      this.drainScheduled = true;
      nodeSetImmediate(this.drain);
    }
  };

  private drainQueue(): void {
    if (this.soon.length) this.runSoon();
    const queue = this.runQueue;
    // Real time, even under a virtual clock: the budget protects real I/O.
    const until = performance.now() + DRAIN_BUDGET_MS;
    const monitor = this.monitor;
    const watch = monitor === null ? null : monitor.state;
    let steps = 0;
    while (queue.length !== 0) {
      if (this.soon.length !== 0) this.runSoon();
      const t = queue.shift()!;
      if (t._state !== DEAD) {
        // The monitor's whole cost when nothing blocks: one store, one load.
        if (watch !== null) watch[STEP] = this.stepNo = (this.stepNo & 0x3fffffff) + 1;
        const hooks = this.hooks;
        if (hooks === null) this.step(t);
        else hooks.aroundStep(t, this.stepThread, t._x?.hookData);
        if (watch !== null && watch[FLAGGED] !== 0) {
          monitor!.report(this.stepNo, t.name, t._gen); // _gen is cleared when it ends
        }
      }
      // The sleeps begun in the last 128 steps get their deadlines (one clock
      // read), so none is stamped later than that.
      if ((++steps & 127) === 0) {
        this.timers.stamp();
        // Check the clock only now and then: a thread spinning on sleep(0)
        // must not starve sockets and timers.
        if ((steps & 1023) === 0 && performance.now() > until) break;
      }
    }
    this.switches += steps;
    if (watch !== null) watch[STEP] = 0;
  }

  /** The blocking monitor's threshold in ms, or null when it is off. */
  get maxBlocking(): number | null {
    if (this.maxBlockingMs === undefined) this.setMaxBlocking(thresholdFromEnv(() => this.logger));
    return this.maxBlockingMs ?? null;
  }

  /** Turns the blocking monitor on with threshold `ms`, or off (null). */
  setMaxBlocking(ms: number | null): void {
    const threshold = ms === null ? null : clampThreshold(ms);
    if (threshold === this.maxBlockingMs) return;
    this.maxBlockingMs = threshold;
    this.monitor?.stop();
    this.monitor = null;
    if (threshold === null) return;
    try {
      this.monitor = new BlockingMonitor(threshold, () => this.logger);
    } catch (error) {
      this.logger.error(
        { err: error },
        'the blocking monitor could not start; blocking is not reported',
      );
    }
  }

  private runSoon(): void {
    const fns = this.soon.splice(0);
    for (const fn of fns) this.guard(fn, 'callback');
  }

  private readonly stepThread = (t: Thread): void => {
    this.step(t);
  };

  /**
   * Counts real I/O in flight (a request written, its answer not yet read),
   * so that a virtual clock's auto-advance does not jump past a timeout
   * while the answer is on its way. Every `ioStarted()` is paired with one
   * `ioSettled()`.
   */
  ioStarted(): void {
    this.ioPending++;
  }

  ioSettled(): void {
    if (this.ioPending === 0) throw new Error('ioSettled() without a matching ioStarted()');
    if (--this.ioPending === 0) this.clock.ioSettled();
  }

  /** Runs the thread until it blocks or ends. */
  private step(t: Thread): void {
    let mode = t._mode;
    let value = t._value;
    t._value = undefined;
    t._mode = NEXT;
    t._interrupted = false;
    this.endPark(t, false);
    let gen: Operation<unknown>;
    if (!t._started) {
      t._started = true;
      // Until it starts, the thread's body is its function and `_value` its arguments.
      const fn = t._body as (...args: unknown[]) => Operation<unknown>;
      const args = value as unknown[] | undefined;
      value = undefined;
      try {
        gen = args === undefined ? fn() : fn.apply(undefined, args);
      } catch (error) {
        this.finish(t, false, error);
        return;
      }
      t._body = gen;
    } else gen = t._body as Operation<unknown>;
    const previous = this.current;
    this.current = t;
    t._state = RUNNING;
    for (;;) {
      let r: IteratorResult<unknown, unknown>;
      try {
        r = mode === THROW ? gen.throw(value) : gen.next(value);
      } catch (error) {
        this.current = previous;
        this.finish(t, false, error);
        return;
      }
      if (r.done === true) {
        this.current = previous;
        this.finish(t, true, r.value);
        return;
      }
      const y = r.value;
      if (t._interrupted) {
        // Interrupted while it ran: throw in at this blocking point instead of parking
        // (a slot park registered itself before yielding: undo that first).
        t._interrupted = false;
        this.endPark(t, true);
        mode = THROW;
        value = t._value;
        t._value = undefined;
        continue;
      }
      if (y === SLEEP) {
        // The sleep put the thread itself on the timer queue already; a park
        // registered by an operation started and dropped in this step is undone.
        if (t._park !== undefined) this.dropPark(t);
        t._state = PARKED;
        t._epoch++;
        t._blockedOn = 'sleep';
        break;
      }
      if (y === PARK) {
        // A sleep started and dropped in this step left the thread on the timer queue.
        if (t._tnext !== undefined) this.timers.removeEntry(t);
        t._state = PARKED;
        // A slot park (parkInSlot) registered its wake-up itself: nothing to arm.
        if (!t._arming) break;
        const arm = t._park as Arm<unknown>;
        t._park = undefined;
        t._arming = false;
        const epoch = ++t._epoch;
        let disposer: unknown;
        try {
          disposer = this.callArm(t, arm, epoch);
        } catch (error) {
          if (this.takeArmError(t, error)) break;
          mode = THROW;
          value = error;
          continue;
        }
        if (typeof disposer === 'function') t._park = disposer as Disposer;
        break;
      }
      // Nothing below parks on what an operation started and dropped registered.
      this.endPark(t, true);
      if (y === YIELD) {
        t._state = RUNNABLE;
        // Resumed with its own request, which tells the sleep it is over.
        t._value = YIELD;
        this.runQueue.push(t);
        break;
      }
      if (
        y !== null &&
        (typeof y === 'object' || typeof y === 'function') &&
        typeof (y as PromiseLike<unknown>).then === 'function'
      ) {
        // A bare `yield promise`: wait for it like `yield* wait(promise)`.
        t._blockedOn = 'promise';
        t._state = PARKED;
        const epoch = ++t._epoch;
        try {
          this.wakeOnSettle(t, y as PromiseLike<unknown>, epoch);
        } catch (error) {
          if (this.takeArmError(t, error)) break;
          mode = THROW;
          value = error;
          continue;
        }
        break;
      }
      mode = THROW;
      value = wrongYield(y, gen, t);
    }
    this.current = previous;
  }

  // The wake-up closures are made in methods of their own: a closure in
  // `step` capturing its `t` would make every step allocate a context for
  // it, whether or not the step parks (48 bytes per sleep(0)).

  /** Calls a park's arm with the thread's wake-ups for this park (`epoch`). */
  private callArm(t: Thread, arm: Arm<unknown>, epoch: number): unknown {
    return arm(
      (v) => this.wake(t, epoch, NEXT, v),
      (e) => this.wake(t, epoch, THROW, e),
    );
  }

  /** Wakes the thread when the promise it yielded settles, if it still waits on it then. */
  private wakeOnSettle(t: Thread, promise: PromiseLike<unknown>, epoch: number): void {
    promise.then(
      (v) => this.wake(t, epoch, NEXT, v),
      (e) => this.wake(t, epoch, THROW, e),
    );
  }

  /** A wake-up from an arm or a slot: accepted only if the thread still waits on that same park. */
  wake(t: Thread, epoch: number, mode: ResumeMode, value: unknown): boolean {
    if (t._state !== PARKED || t._epoch !== epoch) return false;
    t._state = RUNNABLE;
    t._mode = mode;
    t._value = value;
    t._blockedOn = undefined;
    this.enqueue(t);
    return true;
  }

  /**
   * An arm (or a thenable's `then`) threw. If it had already woken the thread,
   * the thread sits in the run queue: its wake-up becomes the error, so no
   * stale entry resumes a later park (returns true). Otherwise the error goes
   * straight back into the running thread.
   */
  private takeArmError(t: Thread, error: unknown): boolean {
    t._epoch++;
    if (t._state === RUNNABLE) {
      t._mode = THROW;
      t._value = error;
      return true;
    }
    t._state = RUNNING;
    return false;
  }

  /** A thread on the timer queue fell due: a sleeper wakes, a `spawnAfter` thread starts. */
  private timerDue(t: Thread): void {
    if (t._state === NEW) this.enqueue(t);
    else if (t._state === PARKED) {
      t._state = RUNNABLE;
      t._blockedOn = undefined;
      // Resumed with its own request, which tells the sleep it is over.
      t._value = SLEEP;
      this.enqueue(t);
    }
  }

  /**
   * Throws `error` into a thread at its blocking point (kill, Timeout). The
   * park's disposer runs now, so no listener, timer or waiter outlives it.
   * The first interrupt before the thread runs again wins.
   */
  interrupt(t: Thread, error: unknown): boolean {
    const state = t._state;
    if (state === DEAD) return false;
    if (state === NEW && !t._started) {
      this.endPark(t, true);
      this.finish(t, false, error);
      return true;
    }
    if (t._interrupted) return false;
    if (state === RUNNING) {
      // Fired from inside the running thread (a Timeout while it advances a
      // virtual clock): delivered at its next blocking point, in step().
      t._interrupted = true;
      t._value = error;
      return true;
    }
    t._epoch++;
    t._interrupted = true;
    this.endPark(t, true);
    t._mode = THROW;
    t._value = error;
    const blockedOn = t._blockedOn;
    t._blockedOn = undefined;
    if (state === PARKED && this.hooks !== null) {
      let hold: ReturnType<HubHooks['interrupted']> | undefined;
      try {
        hold = this.hooks.interrupted(t, error, blockedOn);
      } catch (hookError) {
        this.logger.error({ err: hookError }, 'the interrupt hook threw');
      }
      if (typeof hold === 'function') {
        // Runnable but not queued: no wake-up or second interrupt can take it meanwhile.
        t._state = RUNNABLE;
        hold(() => {
          if (t._state === RUNNABLE) this.enqueue(t);
        });
        return true;
      }
    }
    if (state === PARKED) {
      t._state = RUNNABLE;
      this.enqueue(t);
    }
    return true;
  }

  /**
   * Ends the thread's park, or its wait to start: takes it off the timer
   * queue (a sleep, spawnAfter), then runs the park's disposer.
   */
  private endPark(t: Thread, interrupted: boolean): void {
    if (t._tnext !== undefined) this.timers.removeEntry(t);
    const park = t._park;
    if (park === undefined) return;
    t._park = undefined;
    // An arm prepared and never armed (the thread was interrupted first) has nothing to undo.
    if (t._arming) t._arming = false;
    else this.dispose(park as Disposer | ParkEnd, interrupted);
  }

  /**
   * Undoes a park registered in the running step by an operation that was
   * started and then dropped (a combinator that races operations may do
   * so), so no ghost waiter takes an item, permit or wake-up meant for a
   * live one.
   */
  private dropPark(t: Thread): void {
    const park = t._park;
    t._park = undefined;
    if (t._arming) t._arming = false;
    else this.dispose(park as Disposer | ParkEnd, true);
  }

  private dispose(disposer: Disposer | ParkEnd, interrupted: boolean): void {
    try {
      if (typeof disposer === 'function') disposer(interrupted);
      else disposer._endPark(interrupted);
    } catch (error) {
      this.logger.error({ err: error }, 'a suspend disposer threw; its resource may leak');
    }
  }

  private finish(t: Thread, ok: boolean, value: unknown): void {
    this.endPark(t, true); // an operation started and dropped in its last step
    t._state = DEAD;
    t._ok = ok;
    t._value = value; // the result, from now on
    t._body = undefined;
    t._blockedOn = undefined;
    this.unlinkLive(t);
    // Most threads never made their extras: one check instead of five.
    const x = t._x;
    if (x !== undefined) {
      x.locals = undefined;
      x.hookData = undefined;
      const timeouts = x.timeouts;
      if (timeouts !== undefined) {
        x.timeouts = undefined;
        for (const timeout of timeouts) timeout.cancel();
      }
      const controller = x.controller;
      if (controller !== undefined && !controller.signal.aborted)
        controller.abort(ok ? undefined : value);
    }
    if (!ok && !t._observed && !(value instanceof GreenletExit)) {
      this.logger.error({ thread: t.name, err: value }, `green thread ${t.name} failed`);
      if (typeof value === 'object' && value !== null) this.loggedFailures.add(value);
    }
    if (x === undefined) return;
    const waiters = x.waiters;
    if (waiters !== undefined) {
      x.waiters = undefined;
      for (const w of waiters) {
        if (ok) w.resume(value);
        else w.fail(value);
      }
    }
    const links = x.links;
    if (links !== undefined) {
      x.links = undefined;
      this.runLinks(t, links);
    }
  }

  /** Calls a dead thread's links (apart from `finish`, which would otherwise allocate a context per thread). */
  private runLinks(t: Thread, links: ((thread: Thread) => void)[]): void {
    for (const fn of links) this.guard(() => fn(t), `link of ${t.name}`);
  }

  private guard(fn: () => void, what: string): void {
    try {
      fn();
    } catch (error) {
      this.logger.error({ err: error }, `${what} threw`);
    }
  }

  // ---- parking ----------------------------------------------------------

  /**
   * A park without an arm, for wait slots (a socket's reader, a primitive's
   * waiter): `disposer` runs when the park ends, as an arm's would (an
   * object's `_endPark`, so no closure is needed); the caller yields PARK
   * next and wakes the thread with `wake(t, epoch, ...)`. Returns that epoch.
   */
  parkInSlot(t: Thread, label: string, disposer: Disposer | ParkEnd): number {
    if (t._park !== undefined) this.dropPark(t);
    t._arming = false;
    t._blockedOn = label;
    t._park = disposer;
    return ++t._epoch;
  }

  /**
   * Ends a slot park its own thread served while it stood: an operation
   * driven by hand (a combinator) whose thread granted it a permit, turn or
   * value between two of its steps, so the wake-up found the thread running
   * and was lost. The disposer runs as for a wake-up (not interrupted), and
   * no later park or sleep drops it as abandoned.
   */
  endOwnPark(t: Thread, disposer: Disposer | ParkEnd): void {
    if (t._park !== disposer || t._arming) return;
    t._park = undefined;
    t._epoch++;
    t._blockedOn = undefined;
    this.dispose(disposer, false);
  }

  /** Called by `suspend` before it yields PARK: what the driver will arm. */
  prepare(t: Thread, arm: Arm<unknown>, label: string | undefined): void {
    if (t._park !== undefined) this.dropPark(t);
    t._park = arm;
    t._arming = true;
    t._blockedOn = label ?? (arm.name || 'suspend');
  }
}

function wrongYield(y: unknown, gen: object, t: Thread): TypeError {
  if (y !== null && typeof y === 'object' && typeof (y as Iterator<unknown>).next === 'function') {
    const error = new TypeError(
      'a green thread yielded an operation instead of running it: write `yield* op` (with the star), not `yield op`',
    );
    // Thrown into the generator, but built out here: the stack needs the user's line added.
    pointAtYield(error, gen, t.name);
    return error;
  }
  const what =
    y === undefined
      ? 'undefined (a bare `yield`)'
      : typeof y === 'object'
        ? 'a plain object'
        : `${typeof y} ${String(y)}`;
  return new TypeError(
    `a green thread yielded ${what}; yield only with \`yield* op\` (e.g. \`yield* sleep(0)\` to let other threads run) or \`yield promise\``,
  );
}

type WithHub = { [HUB]?: Hub };

/** The process's one hub, shared by every copy of this package in the process. */
export const hub: Hub = ((globalThis as WithHub)[HUB] ??= new Hub());
