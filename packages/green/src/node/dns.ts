/**
 * Green face of `node:dns`: `lookup` (what `net.connect` and `http` call to
 * resolve a name) answers from the hosts file, a TTL cache, and c-ares
 * instead of queuing `getaddrinfo` on libuv's four-thread pool, so ten
 * thousand connects by name do not wait on four threads.
 */
import type * as Real from 'node:dns';
import { promisify } from 'node:util';
import promises from './dns-promises.js';
import { faceObject } from './internal/face-object.js';
import { invalidHostname } from './internal/invalid-hostname.js';
import { lookupRequest } from './internal/lookup-options.js';
import { type LookupAll, lookupAll, lookupNow } from './internal/resolve-host.js';
import { observingDns } from './perf-hooks.js';
import { pristine } from './pristine.js';

export * from 'node:dns';

// Node's own functions, even if this face loads after the builtin was patched.
const real = pristine('dns') as typeof Real;

export { promises };

/** What this face replaces in `node:dns`. */
export const patched = ['lookup'] as const;

export type Callback = (
  error: Error | null,
  address?: string | LookupAll | null,
  family?: number,
) => void;

/**
 * `dns.lookup(hostname[, options], callback)` without the thread pool, with
 * Node's argument checks and `hints`. An IP literal, localhost or a hosts-file
 * name is answered on the next tick, as Node answers a literal, so
 * `sock.send(msg, port, ip); process.nextTick(() => sock.close())` still sends.
 *
 * @example
 * import { lookup } from '@verdant/green/node/dns';
 * lookup('localhost', { family: 4 }, (err, address) => console.log(address)); // '127.0.0.1'
 */
export function lookup(hostname: string, callback: Callback): object;
export function lookup(hostname: string, options: unknown, callback: Callback): object;
export function lookup(hostname: string, options: unknown, callback?: Callback): object {
  // Observed: Node's own lookup, which records the 'dns' performance entries.
  if (observingDns())
    return (real.lookup as unknown as (...a: unknown[]) => object)(hostname, options, callback);
  const cb = (typeof options === 'function' ? options : callback) as Callback;
  const req = lookupRequest(hostname, typeof options === 'function' ? undefined : options, {
    value: cb,
  });
  const answer = (all: LookupAll): void => {
    if (req.all) cb(null, all);
    else cb(null, all[0]!.address, all[0]!.family);
  };
  if (!hostname) {
    invalidHostname(hostname);
    if (req.all) process.nextTick(cb, null, []);
    else process.nextTick(cb, null, null, req.family === 6 ? 6 : 4);
    return {};
  }
  const now = lookupNow(hostname, req);
  if (now !== undefined) {
    process.nextTick(answer, now);
    return {};
  }
  lookupAll(hostname, req).then(
    // Outside the promise chain, so a throwing callback is an uncaught exception, as in Node.
    (all) => process.nextTick(answer, all),
    (error: Error) => process.nextTick(cb, error),
  );
  return {};
}

// util.promisify(dns.lookup) resolves { address, family }, as Node's does.
Object.defineProperty(lookup, promisify.custom, {
  value: promises.lookup,
  enumerable: false,
  configurable: true,
});

/** The face as CommonJS code sees `require('dns')`. */
const face = faceObject(real, { lookup, promises });
export default face;
