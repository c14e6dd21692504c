/**
 * Every process-global key of @verdant/green. The ESM and CJS builds are two
 * copies of each module in one process; state that both must see lives on
 * `globalThis` under one of these `Symbol.for` keys (as the hub keeps itself).
 * The strings are a contract between those copies: change one and two
 * versions of the package in one process stop sharing it.
 */

/** Open green socket, server and UDP counts (`socket/open-counts.ts`). */
export const OPEN_SOCKETS: unique symbol = Symbol.for('verdant.green/open-sockets') as never;

/** The store of unpatched builtin copies (`node/pristine.ts`). */
export const PRISTINE: unique symbol = Symbol.for('verdant.green/pristine') as never;

/** The timers face's id map and counter (`node/timers.ts`). */
export const TIMERS: unique symbol = Symbol.for('verdant.green/timers') as never;

/** The brand on green timers, so either build's `clearTimeout` knows the other's. */
export const TIMER_BRAND: unique symbol = Symbol.for('verdant.green/timer') as never;

/** The preload and flags `setWorkerPatch` installs (`node/worker-threads.ts`). */
export const WORKER_PRELOAD: unique symbol = Symbol.for('verdant.green/worker-preload') as never;

/** PerformanceObservers watching 'dns' entries (`node/perf-hooks.ts`). */
export const DNS_OBSERVERS: unique symbol = Symbol.for('verdant.green/dns-observers') as never;
