/**
 * Green face of `node:perf_hooks` (the `socket` flag). It changes nothing a
 * program sees: it only notes which `PerformanceObserver`s watch `'dns'`
 * entries, so that while one does, the dns face hands lookups to Node's own
 * `getaddrinfo`, which records the entries the observer expects (the face's
 * own resolver cannot make Node's `'dns'` entries).
 */
import type * as Real from 'node:perf_hooks';
import { DNS_OBSERVERS } from '../internal/symbols.js';
import { faceObject } from './internal/face-object.js';
import { pristine } from './pristine.js';

export * from 'node:perf_hooks';

// Node's own functions, even if this face loads after the builtin was patched.
const real = pristine('perf_hooks') as typeof Real;
const proto = real.PerformanceObserver.prototype;
const realObserve = proto.observe;
const realDisconnect = proto.disconnect;

/** What this face replaces in `node:perf_hooks`: nothing but two prototype methods. */
export const patched = [] as const;

// Shared by the ESM and CJS builds, so either build's dns face sees either's observers.
const store = globalThis as { [DNS_OBSERVERS]?: Set<Real.PerformanceObserver> };
const observers = (store[DNS_OBSERVERS] ??= new Set());

function observe(
  this: Real.PerformanceObserver,
  options: Parameters<Real.PerformanceObserver['observe']>[0],
): void {
  realObserve.call(this, options);
  const o = options as { type?: string; entryTypes?: readonly string[] } | undefined;
  // `type` adds to what the observer watches; `entryTypes` replaces it.
  if (o?.type === 'dns' || o?.entryTypes?.includes('dns') === true) observers.add(this);
  else if (o?.entryTypes !== undefined) observers.delete(this);
}

function disconnect(this: Real.PerformanceObserver): void {
  observers.delete(this);
  realDisconnect.call(this);
}

/** Methods the patcher puts on `PerformanceObserver.prototype`. */
export const patchedPrototypes = { PerformanceObserver: { observe, disconnect } } as const;

/**
 * Whether a `PerformanceObserver` (observing through the patched prototype)
 * watches `'dns'` entries now.
 *
 * @example
 * import { observingDns } from '@verdant/green/node/perf-hooks';
 * observingDns(); // false until something observes { type: 'dns' } under monkeyPatch
 */
export function observingDns(): boolean {
  return observers.size !== 0;
}

/** The face as CommonJS code sees `require('perf_hooks')`. */
const face = faceObject(real, {});
export default face;
