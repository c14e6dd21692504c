import Denque from 'denque';
import type { Logger } from 'pino';
import { BinaryHeap, type Heap } from './binary-heap.js';
import type { Arm, GreenThread } from './green-thread.js';
import { GreenletExit } from './greenlet-exit.js';
import { createLogger } from './logger.js';
import { PARK, SLEEP, YIELD } from './operation.js';
import { listOrder, Timer, TimerList } from './timer.js';

// Node's own timer functions, taken when the hub loads: the patcher may later
// replace the globals with green ones that are built on this very hub.
const nodeSetTimeout = globalThis.setTimeout;
const nodeClearTimeout = globalThis.clearTimeout;
const nodeSetImmediate = globalThis.setImmediate;

/** 0 new, 1 runnable, 2 running, 3 parked, 5 dead. */
export type ThreadState = 0 | 1 | 2 | 3 | 5;
const NEW = 0;
const RUNNABLE = 1;
const RUNNING = 2;
const PARKED = 3;
const DEAD = 5;
const NEXT = 0;
const THROW = 1;

/** How long one drain may run green code before it lets Node's loop poll I/O (gevent's switch interval). */
const DRAIN_BUDGET_MS = 5;

type Thread = GreenThread<unknown>;

/**
 * The scheduler. One per process, kept on a `Symbol.for` global so that the
 * ESM and CJS builds of this package, loaded side by side, share it.
 *
 * Runnable threads wait in a denque; one drain per turn of Node's loop
 * (a single setImmediate) steps them in FIFO order. Timers live in one
 * tinyqueue heap behind one armed Node timer. Nothing polls: when nothing is
 * runnable and no timer is pending, the hub holds no handle and the process
 * may exit.
 */
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
  /** Lists of timers by duration, and a heap of those lists by their earliest deadline. */
  private readonly timerLists = new Map<number, TimerList>();
  private readonly timers: Heap<TimerList> = new BinaryHeap<TimerList>([], listOrder);
  private liveTimers = 0;
  private timerSeq = 0;
  private nodeTimer: NodeJS.Timeout | undefined = undefined;
  private armedAt = Number.POSITIVE_INFINITY;
  private readonly soon: (() => void)[] = [];
  private logInstance: Logger | undefined = undefined;
  /** Counters green modules register (open sockets, listeners...) that must read 0 when idle. */
  readonly probes = new Map<string, () => number>();
  now: () => number = () => performance.now();

  get logger(): Logger {
    this.logInstance ??= createLogger();
    return this.logInstance;
  }
  set logger(value: Logger) {
    this.logInstance = value;
  }

  get timerCount(): number {
    return this.liveTimers;
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
    if (this.soon.length) this.runSoon();
    const queue = this.runQueue;
    // Real time, even under a virtual clock: the budget protects real I/O.
    const until = performance.now() + DRAIN_BUDGET_MS;
    let steps = 0;
    while (queue.length !== 0) {
      if (this.soon.length !== 0) this.runSoon();
      const t = queue.shift()!;
      if (t._state !== DEAD) this.step(t);
      // Check the clock only now and then: a thread spinning on sleep(0)
      // must not starve sockets and timers.
      if ((++steps & 1023) === 0 && performance.now() > until) break;
    }
    this.switches += steps;
    if ((queue.length !== 0 || this.soon.length !== 0) && !this.drainScheduled) {
      this.drainScheduled = true;
      nodeSetImmediate(this.drain);
    }
  };

  private runSoon(): void {
    const fns = this.soon.splice(0);
    for (const fn of fns) this.guard(fn, 'callback');
  }

  /** Runs the thread until it blocks or ends. */
  private step(t: Thread): void {
    let mode = t._mode;
    let value = t._value;
    t._value = undefined;
    t._mode = NEXT;
    t._interrupted = false;
    const leftover = t._timer;
    if (leftover !== undefined) {
      t._timer = undefined;
      leftover.cancel();
    }
    const disposer = t._disposer;
    if (disposer !== undefined) {
      t._disposer = undefined;
      this.dispose(disposer, false);
    }
    let gen = t._gen;
    if (gen === undefined) {
      t._started = true;
      try {
        gen = t._fn!.apply(undefined, t._args!);
      } catch (error) {
        this.finish(t, false, error);
        return;
      }
      t._gen = gen;
      t._fn = undefined;
      t._args = undefined;
    }
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
        // Interrupted while it ran: throw in at this blocking point instead of parking.
        t._interrupted = false;
        mode = THROW;
        value = t._value;
        t._value = undefined;
        continue;
      }
      if (y === SLEEP) {
        t._state = PARKED;
        t._epoch++;
        t._blockedOn = 'sleep';
        t._timer = this.callLater(t._sleepMs, wakeSleeper, t);
        break;
      }
      if (y === PARK) {
        const arm = t._arm!;
        t._arm = undefined;
        t._state = PARKED;
        const epoch = ++t._epoch;
        let disposer: unknown;
        try {
          disposer = arm(
            (v) => this.wake(t, epoch, NEXT, v),
            (e) => this.wake(t, epoch, THROW, e),
          );
        } catch (error) {
          if (this.takeArmError(t, error)) break;
          mode = THROW;
          value = error;
          continue;
        }
        if (typeof disposer === 'function') t._disposer = disposer as (i: boolean) => void;
        break;
      }
      if (y === YIELD) {
        t._state = RUNNABLE;
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
          (y as PromiseLike<unknown>).then(
            (v) => this.wake(t, epoch, NEXT, v),
            (e) => this.wake(t, epoch, THROW, e),
          );
        } catch (error) {
          if (this.takeArmError(t, error)) break;
          mode = THROW;
          value = error;
          continue;
        }
        break;
      }
      mode = THROW;
      value = wrongYield(y);
    }
    this.current = previous;
  }

  /** A wake-up from an arm: accepted only if the thread still waits on that same park. */
  private wake(t: Thread, epoch: number, mode: number, value: unknown): boolean {
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

  /** Resumes a thread parked by `sleep`, from the timer heap. */
  wakeTimer(t: Thread): void {
    if (t._state !== PARKED) return;
    t._timer = undefined;
    t._state = RUNNABLE;
    t._blockedOn = undefined;
    this.enqueue(t);
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
      this.cancelStart(t);
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
    const timer = t._timer;
    if (timer !== undefined) {
      t._timer = undefined;
      timer.cancel();
    }
    const disposer = t._disposer;
    if (disposer !== undefined) {
      t._disposer = undefined;
      this.dispose(disposer, true);
    }
    t._mode = THROW;
    t._value = error;
    t._blockedOn = undefined;
    if (state === PARKED) {
      t._state = RUNNABLE;
      this.enqueue(t);
    }
    return true;
  }

  private cancelStart(t: Thread): void {
    const timer = t._timer;
    if (timer !== undefined) {
      t._timer = undefined;
      timer.cancel();
    }
  }

  private dispose(disposer: (interrupted: boolean) => void, interrupted: boolean): void {
    try {
      disposer(interrupted);
    } catch (error) {
      this.logger.error({ err: error }, 'a suspend disposer threw; its resource may leak');
    }
  }

  private finish(t: Thread, ok: boolean, value: unknown): void {
    t._state = DEAD;
    t._ok = ok;
    t._result = value;
    t._gen = undefined;
    t._fn = undefined;
    t._args = undefined;
    t._locals = undefined;
    t._blockedOn = undefined;
    this.unlinkLive(t);
    const timeouts = t._timeouts;
    if (timeouts !== undefined) {
      t._timeouts = undefined;
      for (const timeout of timeouts) timeout.cancel();
    }
    const controller = t._controller;
    if (controller !== undefined && !controller.signal.aborted)
      controller.abort(ok ? undefined : value);
    if (!ok && !t._observed && !(value instanceof GreenletExit)) {
      this.logger.error({ thread: t.name, err: value }, `green thread ${t.name} failed`);
    }
    const waiters = t._waiters;
    if (waiters !== undefined) {
      t._waiters = undefined;
      for (const w of waiters) {
        if (ok) w.resume(value);
        else w.fail(value);
      }
    }
    const links = t._links;
    if (links !== undefined) {
      t._links = undefined;
      for (const fn of links) this.guard(() => fn(t), `link of ${t.name}`);
    }
  }

  private guard(fn: () => void, what: string): void {
    try {
      fn();
    } catch (error) {
      this.logger.error({ err: error }, `${what} threw`);
    }
  }

  // ---- timers -----------------------------------------------------------

  /**
   * Calls `fire(arg)` after `ms`, from Node's timer phase (outside any thread).
   * Returns the timer, which `cancel()` stops.
   */
  callLater<A>(ms: number, fire: (arg: A) => void, arg: A): Timer {
    let list = this.timerLists.get(ms);
    if (list === undefined) {
      list = new TimerList(ms);
      this.timerLists.set(ms, list);
    }
    const timer = new Timer(
      this.now() + ms,
      ++this.timerSeq,
      fire as (a: unknown) => void,
      arg,
      list,
      this,
    );
    list.append(timer);
    this.liveTimers++;
    if (!list.inHeap) {
      list.key = timer.at;
      list.inHeap = true;
      this.timers.push(list);
    }
    if (timer.at < this.armedAt) this.arm(timer.at);
    return timer;
  }

  cancelTimer(timer: Timer): void {
    timer.done = true;
    timer.list.remove(timer);
    if (--this.liveTimers === 0) {
      // Nothing pending: drop the heap and the Node timer so the process may exit.
      this.timers.data.length = 0;
      this.timers.length = 0;
      for (const list of this.timerLists.values()) list.inHeap = false;
      this.timerLists.clear();
      this.disarm();
    }
    // Otherwise the list keeps its place in the heap; a stale, early key only
    // costs one look when it comes up.
  }

  private arm(at: number): void {
    if (this.nodeTimer !== undefined) nodeClearTimeout(this.nodeTimer);
    this.armedAt = at;
    if (this.virtual) {
      this.nodeTimer = undefined;
      if (this.autoAdvance && !this.advanceScheduled) {
        this.advanceScheduled = true;
        nodeSetImmediate(this.autoStep);
      }
      return;
    }
    this.nodeTimer = nodeSetTimeout(this.onTimer, Math.max(1, Math.ceil(at - this.now())));
  }

  private disarm(): void {
    if (this.nodeTimer !== undefined) nodeClearTimeout(this.nodeTimer);
    this.nodeTimer = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
  }

  /**
   * Fires every due timer in deadline order, across lists. Timers set by the
   * callbacks of this pass wait for the next one (as in Node), so a 0 ms
   * timer that sets itself again cannot keep the pass from ending.
   */
  private readonly onTimer = (): void => {
    this.nodeTimer = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
    const heap = this.timers;
    const now = this.now();
    const newest = this.timerSeq;
    let deferred: TimerList[] | undefined;
    for (let list = heap.peek(); list !== undefined && list.key <= now; list = heap.peek()) {
      heap.pop();
      list.inHeap = false;
      for (let timer = list.head; timer !== undefined; timer = list.head) {
        if (timer.at > now || timer.seq > newest) break;
        // Another list's timer falls due first: go back to the heap for it.
        const other = heap.peek();
        if (other !== undefined && other.key < timer.at) break;
        list.remove(timer);
        timer.done = true;
        this.liveTimers--;
        try {
          timer.fire(timer.arg);
        } catch (error) {
          this.logger.error({ err: error }, 'a timer callback threw');
        }
      }
      const head = list.head;
      if (head === undefined) {
        if (!list.inHeap && this.timerLists.get(list.ms) === list) this.timerLists.delete(list.ms);
      } else if (!list.inHeap) {
        // A callback may have set a timer of this duration and put the list back already.
        list.key = head.at;
        list.inHeap = true;
        if (head.seq > newest && head.at <= now) (deferred ??= []).push(list);
        else heap.push(list);
      }
    }
    if (deferred !== undefined) {
      for (const list of deferred) if (list.head !== undefined && list.inHeap) heap.push(list);
    }
    const first = heap.peek();
    if (first !== undefined && this.nodeTimer === undefined) this.arm(first.key);
  };

  // ---- virtual clock ----------------------------------------------------

  private virtual = false;
  private virtualNow = 0;
  private autoAdvance = false;
  private advanceScheduled = false;

  /** Stops the clock: time moves only by `advanceClock`, or by itself to the next timer whenever no thread can run. */
  useVirtualClock(autoAdvance: boolean): void {
    if (this.virtual) throw new Error('useVirtualClock(): the hub is already on a virtual clock');
    this.virtualNow = performance.now();
    this.virtual = true;
    this.autoAdvance = autoAdvance;
    this.now = () => this.virtualNow;
    const next = this.timers.peek();
    this.disarm();
    if (next !== undefined) this.arm(next.key);
  }

  /** Back to real time; pending timers keep the time they had left. */
  useRealClock(): void {
    if (!this.virtual) return;
    const shift = performance.now() - this.virtualNow;
    this.virtual = false;
    this.now = () => performance.now();
    for (const list of this.timers.data) {
      list.key += shift;
      for (let t = list.head; t !== undefined; t = t.next) t.at += shift;
    }
    const next = this.timers.peek();
    this.disarm();
    if (next !== undefined) this.arm(next.key);
  }

  /** Moves the virtual clock `ms` forward, firing every timer due on the way, in order. */
  advanceClock(ms: number): void {
    if (!this.virtual)
      throw new Error(
        'advanceClock(ms): the hub is on the real clock; call useVirtualClock() first',
      );
    const target = this.virtualNow + ms;
    let rounds = 0;
    for (
      let next = this.timers.peek();
      next !== undefined && next.key <= target;
      next = this.timers.peek()
    ) {
      if (next.key > this.virtualNow) {
        this.virtualNow = next.key;
        rounds = 0;
      } else if (++rounds > 10_000) {
        throw new Error(
          `advanceClock(ms): timers keep setting new timers due at the same virtual time (${this.virtualNow} ms); stopped after 10000 rounds`,
        );
      }
      this.onTimer();
    }
    this.virtualNow = target;
  }

  get clockIsVirtual(): boolean {
    return this.virtual;
  }

  private readonly autoStep = (): void => {
    this.advanceScheduled = false;
    if (!this.virtual || !this.autoAdvance) return;
    if (this.runQueue.length !== 0 || this.soon.length !== 0) {
      // Threads can still run at this time: jump only once they are all blocked.
      this.advanceScheduled = true;
      nodeSetImmediate(this.autoStep);
      return;
    }
    const next = this.timers.peek();
    if (next === undefined) return;
    if (next.key > this.virtualNow) this.virtualNow = next.key;
    this.onTimer();
  };

  // ---- parking ----------------------------------------------------------

  /** Called by `suspend` before it yields PARK: what the driver will arm. */
  prepare(t: Thread, arm: Arm<unknown>, label: string | undefined): void {
    t._arm = arm;
    t._blockedOn = label ?? (arm.name || 'suspend');
  }
}

function wakeSleeper(t: unknown): void {
  hub.wakeTimer(t as Thread);
}

function wrongYield(y: unknown): TypeError {
  if (y !== null && typeof y === 'object' && typeof (y as Iterator<unknown>).next === 'function') {
    return new TypeError(
      'a green thread yielded an operation instead of running it: write `yield* op` (with the star), not `yield op`',
    );
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

const KEY = Symbol.for('verdant.hub/1');
type WithHub = { [KEY]?: Hub };

/** The process's one hub. */
export const hub: Hub = ((globalThis as WithHub)[KEY] ??= new Hub());
