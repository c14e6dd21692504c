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
  /** Export (a class) → methods put on its prototype. */
  readonly patchedPrototypes?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** The face as CommonJS code sees `require(builtin)`. */
  readonly default?: unknown;
  readonly [name: string]: unknown;
}

/** Builtin (no `node:` prefix) → its green face. */
export const FACES: Readonly<Record<string, Face>> = {
  child_process: childProcess,
  dgram,
  dns,
  'dns/promises': dnsPromises,
  events,
  fs,
  'fs/promises': fsPromises,
  net,
  timers,
  'timers/promises': timersPromises,
  tls,
  worker_threads: workerThreads,
};

/** The flags `monkeyPatch` takes. */
export type Flag = 'os' | 'select' | 'socket' | 'thread' | 'time';

/**
 * Flag → the builtins it patches. A builtin named here without a face would
 * be reported by `monkeyPatch` with a warning, never skipped silently.
 */
export const FLAGS: Readonly<Record<Flag, readonly string[]>> = {
  os: ['child_process', 'fs', 'fs/promises'],
  select: ['events'],
  socket: ['dns', 'dns/promises', 'net', 'tls', 'dgram'],
  thread: ['worker_threads'],
  time: ['timers', 'timers/promises'],
};

export const FLAG_NAMES = Object.keys(FLAGS) as Flag[];

/** `node:net` → `net`. */
export function builtinName(name: string): string {
  return name.startsWith('node:') ? name.slice(5) : name;
}

/** The face's module value for CommonJS (`require`) consumers. */
export function faceValue(face: Face): unknown {
  return face.default ?? face;
}
