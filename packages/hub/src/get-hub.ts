import type { Logger } from 'pino';
import { checkDuration, checkFunction, checkString, checkTimeout } from './check.js';
import type { GreenThread } from './green-thread.js';
import { hub } from './hub.js';
import { NEW, RUNNABLE } from './thread-record.js';

export interface HubStats {
  /** Threads spawned and not yet dead. */
  alive: number;
  /** Waiting in the run queue for their turn. */
  runnable: number;
  /** Parked: sleeping, waiting on I/O, a lock, a promise... */
  blocked: number;
  /** Pending timers on the hub's timer queue (sleeps, Timeouts, spawnAfter, the timer faces), unref'd ones included. */
  timers: number;
  /** Thread steps run since the process started. */
  switches: number;
  /** Threads ever spawned. */
  spawned: number;
}

export interface ThreadInfo {
  id: number;
  name: string;
  state: 'new' | 'runnable' | 'running' | 'blocked';
  /** What a blocked thread waits on (`sleep`, `promise`, `recv 127.0.0.1:8080`...). */
  blockedOn: string | undefined;
}

/** A handle on a timer scheduled with `callLater`. */
export interface TimerHandle {
  cancel(): void;
  readonly done: boolean;
}

/**
 * The hub as users and green modules see it: counts, live threads and what
 * each waits on, the clock, timers, the logger, and idle probes.
 */
export interface HubView {
  stats(): HubStats;
  threads(): ThreadInfo[];
  /** The thread `main()` started (it stays set after that thread ends), or null without `main`. */
  mainThread(): GreenThread | null;
  /** Milliseconds on the hub's monotonic clock. */
  now(): number;
  /** Calls `fn(arg)` after `ms` from Node's timer phase, on the hub's timer queue. */
  callLater<A>(ms: number, fn: (arg: A) => void, arg: A): TimerHandle;
  /** The pino logger the hub reports through; assign one to redirect it. */
  logger: Logger;
  /**
   * The blocking monitor's threshold (gevent's `max_blocking_time`): a green
   * thread that runs longer than this many ms without yielding is reported
   * once through the logger, with its name, how long, the stack while it
   * blocked and where it yielded next. Default 100, or VERDANT_MAX_BLOCKING_MS
   * (`off` or `0`: none); assign `null` (or 0) to turn it off.
   */
  maxBlockingMs: number | null;
  /**
   * Registers a counter (open sockets, listeners...) that must read 0 when
   * the program is idle; `idleProblems()` names any that do not.
   * Returns a function that removes it.
   */
  registerProbe(name: string, count: () => number): () => void;
  /** Why the hub is not idle: live threads, timers, non-zero probes. Empty when idle. */
  idleProblems(): string[];
}

const STATE_NAMES = ['new', 'runnable', 'running', 'blocked', 'blocked', 'blocked'] as const;

const view: HubView = {
  stats() {
    let runnable = 0;
    for (const t of hub.liveThreads())
      if (t._state === RUNNABLE || (t._state === NEW && t._tnext === undefined)) runnable++;
    const running = hub.current ? 1 : 0;
    return {
      alive: hub.alive,
      runnable,
      blocked: hub.alive - runnable - running,
      timers: hub.timers.size,
      switches: hub.switches,
      spawned: hub.lastId,
    };
  },
  threads() {
    const out: ThreadInfo[] = [];
    for (const t of hub.liveThreads()) {
      out.push({ id: t.id, name: t.name, state: STATE_NAMES[t._state], blockedOn: t._blockedOn });
    }
    return out.reverse();
  },
  mainThread: () => hub.mainThread as GreenThread | null,
  now: () => hub.clock.now(),
  callLater<A>(ms: number, fn: (arg: A) => void, arg: A): TimerHandle {
    checkDuration('callLater(ms, fn)', 'ms', ms);
    checkFunction('callLater(ms, fn)', 'fn', fn);
    return hub.timers.add(ms, fn, arg);
  },
  get logger() {
    return hub.logger;
  },
  set logger(value: Logger) {
    hub.logger = value;
  },
  get maxBlockingMs() {
    return hub.maxBlocking;
  },
  set maxBlockingMs(value: number | null) {
    const ms = checkTimeout('getHub().maxBlockingMs', 'maxBlockingMs', value);
    hub.setMaxBlocking(ms === 0 ? null : ms);
  },
  registerProbe(name, count) {
    checkString('registerProbe(name, count)', 'name', name);
    checkFunction('registerProbe(name, count)', 'count', count);
    hub.probes.set(name, count);
    return () => {
      if (hub.probes.get(name) === count) hub.probes.delete(name);
    };
  },
  idleProblems() {
    const problems: string[] = [];
    for (const t of hub.liveThreads()) {
      problems.push(
        `thread ${t.name} is ${STATE_NAMES[t._state]}${t._blockedOn ? ` on ${t._blockedOn}` : ''}`,
      );
    }
    // An unref'd timer does not keep the process alive: background machinery, not pending work.
    const refed = hub.timers.refedSize;
    if (refed !== 0) problems.push(`${refed} timer(s) pending`);
    if (hub.clock.isVirtual) problems.push('the hub is still on a virtual clock (call restore())');
    for (const [name, count] of hub.probes) {
      const n = count();
      if (n !== 0) problems.push(`${name}: ${n}`);
    }
    return problems;
  },
};

/**
 * The process's hub: stats, live threads, clock, timers, logger.
 *
 * @example
 * import { getHub, run, sleep, spawn } from '@verdant/hub';
 *
 * await run(function* () {
 *   const napper = spawn(function* () {
 *     yield* sleep(50);
 *   });
 *   napper.name = 'napper';
 *   yield* sleep(); // let it start and park
 *   console.log(getHub().stats().blocked); // 1
 *   for (const t of getHub().threads()) console.log(t.name, t.state, t.blockedOn);
 *   yield* napper.wait();
 * });
 */
export function getHub(): HubView {
  return view;
}
