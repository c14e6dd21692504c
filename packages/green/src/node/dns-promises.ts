/**
 * Green face of `node:dns/promises`: `lookup` answers from the hosts file,
 * a cache, and c-ares (`dns.Resolver`, non-blocking) instead of
 * `getaddrinfo` on libuv's four-thread pool, like eventlet's greendns.
 */
import type * as Real from 'node:dns/promises';
import { faceObject } from './internal/face-object.js';
import { invalidHostname } from './internal/invalid-hostname.js';
import { lookupRequest } from './internal/lookup-options.js';
import { type LookupAll, lookupAll, lookupNow } from './internal/resolve-host.js';
import { observingDns } from './perf-hooks.js';
import { pristine } from './pristine.js';

export * from 'node:dns/promises';
export type { LookupAll };

// Node's own functions, even if this face loads after the builtin was patched.
const real = pristine('dns/promises') as typeof Real;

/** What this face replaces in `node:dns/promises`. */
export const patched = ['lookup'] as const;

export interface LookupOptions {
  family?: number | 'IPv4' | 'IPv6';
  all?: boolean;
  hints?: number;
  verbatim?: boolean;
  order?: 'ipv4first' | 'ipv6first' | 'verbatim';
}

/**
 * `dns.promises.lookup` without the thread pool. Bad arguments throw at the
 * call (not a rejected promise), with Node's error codes, as Node's does.
 *
 * @example
 * import { lookup } from '@verdant/green/node/dns-promises';
 * const result = await lookup('localhost', { family: 4 }); // { address: '127.0.0.1', family: 4 }
 */
export function lookup(
  hostname: string,
  options?: number | LookupOptions,
): Promise<LookupAll[number] | LookupAll | { address: null; family: 4 | 6 }> {
  // Observed: Node's own lookup, which records the 'dns' performance entries.
  if (observingDns()) return real.lookup(hostname, options as never) as never;
  const req = lookupRequest(hostname, options);
  if (!hostname) {
    invalidHostname(hostname);
    return Promise.resolve(req.all ? [] : { address: null, family: req.family === 6 ? 6 : 4 });
  }
  const now = lookupNow(hostname, req);
  const all = now !== undefined ? Promise.resolve(now) : lookupAll(hostname, req);
  return req.all ? all : all.then((list) => list[0]!);
}

/** The face as CommonJS code sees `require('dns/promises')`. */
const face = faceObject(real, { lookup });
export default face;
