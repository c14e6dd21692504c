/**
 * The one table of the patcher: flag → Node builtins → green face. Each
 * face declares what it replaces (`patched`, eventlet's `__patched__`, and
 * `patchedGlobals`); the patcher reads those declarations and knows nothing
 * else about any module.
 */
import * as childProcess from '@verdant/green/node/child-process';
import * as dgram from '@verdant/green/node/dgram';
import * as dns from '@verdant/green/node/dns';
import * as dnsPromises from '@verdant/green/node/dns-promises';
import * as events from '@verdant/green/node/events';
import * as fs from '@verdant/green/node/fs';
import * as fsPromises from '@verdant/green/node/fs-promises';
import * as net from '@verdant/green/node/net';
import * as perfHooks from '@verdant/green/node/perf-hooks';
import * as timers from '@verdant/green/node/timers';
import * as timersPromises from '@verdant/green/node/timers-promises';
import * as tls from '@verdant/green/node/tls';
import * as workerThreads from '@verdant/green/node/worker-threads';

/** What a green face of a Node builtin exports, as the patcher reads it. */
export interface Face {
  /** Names of the builtin's exports this face replaces. */
  readonly patched: readonly string[];
  /** Globals (on `globalThis`) replaced by the face's export of the same name. */
  readonly patchedGlobals?: readonly string[];
  /** Global (a class) → static methods replaced on it, e.g. `AbortSignal.timeout`. */
  readonly patchedGlobalStatics?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Export (a class) → methods put on its prototype. */
  readonly patchedPrototypes?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** The face as CommonJS code sees `require(builtin)`. */
  readonly default?: unknown;
  /** Turns on what the face needs while in use (attribution across ticks). */
  readonly activate?: () => void;
  readonly [name: string]: unknown;
}

/**
 * Each builtin the patcher has a face for, with its module's type: what
 * `original(name)` returns for that name.
 */
export interface BuiltinModules {
  child_process: typeof import('node:child_process');
  dgram: typeof import('node:dgram');
  dns: typeof import('node:dns');
  'dns/promises': typeof import('node:dns/promises');
  events: typeof import('node:events');
  fs: typeof import('node:fs');
  'fs/promises': typeof import('node:fs/promises');
  net: typeof import('node:net');
  perf_hooks: typeof import('node:perf_hooks');
  timers: typeof import('node:timers');
  'timers/promises': typeof import('node:timers/promises');
  tls: typeof import('node:tls');
  worker_threads: typeof import('node:worker_threads');
}

/** Builtin (no `node:` prefix) → its green face; typed so it and `BuiltinModules` name the same builtins. */
const FACES: Readonly<Record<keyof BuiltinModules, Face>> = {
  child_process: childProcess,
  dgram,
  dns,
  'dns/promises': dnsPromises,
  events,
  fs,
  'fs/promises': fsPromises,
  net,
  perf_hooks: perfHooks,
  timers,
  'timers/promises': timersPromises,
  tls,
  worker_threads: workerThreads,
};

/** The green face of `builtin` (no `node:` prefix), if the patcher has one. */
export function faceOf(builtin: string): Face | undefined {
  return Object.hasOwn(FACES, builtin) ? FACES[builtin as keyof BuiltinModules] : undefined;
}

/** Every face, by builtin: what `importPatched(name)` swaps in when given no overrides. */
export function allFaces(): [string, Face][] {
  return Object.entries(FACES);
}

/** The flags `monkeyPatch` takes: `os`, `select`, `socket`, `thread`, `time`. */
export type Flag = 'os' | 'select' | 'socket' | 'thread' | 'time';

/**
 * Flag → the builtins it patches. A builtin named here without a face would
 * be reported by `monkeyPatch` with a warning, never skipped silently.
 */
export const FLAGS: Readonly<Record<Flag, readonly string[]>> = {
  os: ['child_process', 'fs', 'fs/promises'],
  select: ['events'],
  socket: ['dns', 'dns/promises', 'net', 'tls', 'dgram', 'perf_hooks'],
  thread: ['worker_threads'],
  time: ['timers', 'timers/promises'],
};

export const FLAG_NAMES = Object.keys(FLAGS) as Flag[];
