/**
 * Green face of `node:dns/promises`: `lookup` answers from the hosts file,
 * a cache, and c-ares (`dns.Resolver`, non-blocking) instead of
 * `getaddrinfo` on libuv's four-thread pool, like eventlet's greendns.
 */
import type * as Real from 'node:dns/promises';
import { type LookupAll, lookupAll } from './internal/resolve-host.js';
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
 * `dns.promises.lookup` without the thread pool.
 *
 * @example
 * import { lookup } from '@verdant/green/node/dns-promises';
 * const result = await lookup('localhost', { family: 4 }); // { address: '127.0.0.1', family: 4 }
 */
export async function lookup(
  hostname: string,
  options?: number | LookupOptions,
): Promise<LookupAll[number] | LookupAll> {
  const opts = typeof options === 'number' ? { family: options } : (options ?? {});
  const all = await lookupAll(hostname, opts);
  return opts.all === true ? all : all[0]!;
}

/** The face as CommonJS code sees `require('dns/promises')`. */
const face = { ...real, lookup };
export default face;
