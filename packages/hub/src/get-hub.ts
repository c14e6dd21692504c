import type { Logger } from 'pino';
import type { GreenThread } from './green-thread.js';
import { hub } from './hub.js';
import type { Timer } from './timer.js';

export interface HubStats {
  /** Threads spawned and not yet dead. */
  alive: number;
  /** Waiting in the run queue for their turn. */
  runnable: number;
  /** Parked: sleeping, waiting on I/O, a lock, a promise... */
  blocked: number;
  /** Pending timers on the hub's heap (sleeps, Timeouts, spawnAfter). */
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
  /** Calls `fn(arg)` after `ms` from Node's timer phase, on the hub's heap. */
  callLater<A>(ms: number, fn: (arg: A) => void, arg: A): TimerHandle;
  /** The pino logger the hub reports through; assign one to redirect it. */
  logger: Logger;
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
      if (t._state === 1 || (t._state === 0 && t._timer === undefined)) runnable++;
    const running = hub.current ? 1 : 0;
    return {
      alive: hub.alive,
      runnable,
      blocked: hub.alive - runnable - running,
      timers: hub.timerCount,
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
  mainThread: () => hub.mainThread,
  now: () => hub.now(),
  callLater<A>(ms: number, fn: (arg: A) => void, arg: A): TimerHandle {
    if (typeof ms !== 'number' || !(ms >= 0) || ms === Number.POSITIVE_INFINITY) {
      throw new TypeError(`callLater(ms, fn): ms must be a finite number >= 0, got ${String(ms)}`);
    }
    if (typeof fn !== 'function') throw new TypeError('callLater(ms, fn): fn must be a function');
    const timer: Timer = hub.callLater(ms, fn, arg);
    return timer;
  },
  get logger() {
    return hub.logger;
  },
  set logger(value: Logger) {
    hub.logger = value;
  },
  registerProbe(name, count) {
    if (typeof name !== 'string' || typeof count !== 'function') {
      throw new TypeError('registerProbe(name, count): name must be a string and count a function');
    }
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
    if (hub.timerCount !== 0) problems.push(`${hub.timerCount} timer(s) pending`);
    if (hub.clockIsVirtual) problems.push('the hub is still on a virtual clock (call restore())');
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
 * const { alive, blocked } = getHub().stats();
 * for (const t of getHub().threads()) console.log(t.name, t.blockedOn);
 */
export function getHub(): HubView {
  return view;
}
