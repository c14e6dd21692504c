/**
 * Green face of `node:dns`: `lookup` (what `net.connect` and `http` call to
 * resolve a name) answers from the hosts file, a TTL cache, and c-ares
 * instead of queuing `getaddrinfo` on libuv's four-thread pool, so ten
 * thousand connects by name do not wait on four threads.
 */
import type * as Real from 'node:dns';
import { promisify } from 'node:util';
import promises from './dns-promises.js';
import { type LookupAll, lookupAll } from './internal/resolve-host.js';
import { pristine } from './pristine.js';

export * from 'node:dns';

// Node's own functions, even if this face loads after the builtin was patched.
const real = pristine('dns') as typeof Real;

export { promises };

/** What this face replaces in `node:dns`. */
export const patched = ['lookup'] as const;

export type Callback = (error: Error | null, address?: string | LookupAll, family?: number) => void;

/**
 * `dns.lookup(hostname[, options], callback)` without the thread pool.
 *
 * @example
 * import { lookup } from '@verdant/green/node/dns';
 * lookup('localhost', { family: 4 }, (err, address) => console.log(address)); // '127.0.0.1'
 */
export function lookup(hostname: string, options: unknown, callback?: Callback): void {
  let cb = callback;
  let opts: { family?: number; all?: boolean; order?: 'ipv4first' | 'ipv6first' | 'verbatim' } = {};
  if (typeof options === 'function') cb = options as Callback;
  else if (typeof options === 'number') opts = { family: options };
  else if (options !== null && typeof options === 'object') opts = options;
  if (typeof cb !== 'function') {
    const error = new TypeError(
      `The "callback" argument must be of type function. Received ${typeof cb}`,
    ) as TypeError & { code: string };
    error.code = 'ERR_INVALID_ARG_TYPE';
    throw error;
  }
  if (typeof hostname !== 'string' && hostname != null) {
    const error = new TypeError(
      `The "hostname" argument must be of type string. Received ${typeof hostname}`,
    ) as TypeError & { code: string };
    error.code = 'ERR_INVALID_ARG_TYPE';
    throw error;
  }
  const done = cb;
  lookupAll(hostname ?? '', opts).then(
    // Outside the promise chain, so a throwing callback is an uncaught exception, as in Node.
    (all) => {
      if (opts.all === true) process.nextTick(done, null, all);
      else process.nextTick(done, null, all[0]!.address, all[0]!.family);
    },
    (error: Error) => process.nextTick(done, error),
  );
}

// util.promisify(dns.lookup) resolves { address, family }, as Node's does.
Object.defineProperty(lookup, promisify.custom, {
  value: promises.lookup,
  enumerable: false,
  configurable: true,
});

/** The face as CommonJS code sees `require('dns')`. */
const face = { ...real, lookup, promises };
export default face;
