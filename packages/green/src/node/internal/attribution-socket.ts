/**
 * The socket side of attribution (attribution.ts): which sockets are
 * clients, their writes as requests, their incoming data as answers.
 */
import type * as Real from 'node:net';
import { getCurrent } from '@verdant/hub';
import { pristine } from '../pristine.js';
import { answered, attributionEnabled, enableAttribution, requestSent } from './attribution.js';
import { sawPostgresStart, sawServerData } from './attribution-pg.js';
import { openingQuietly } from './attribution-quiet.js';
import { sawRedisStart } from './attribution-redis.js';

const real = pristine('net') as typeof Real;
const realWrite = real.Socket.prototype.write;
const realPush = real.Socket.prototype.push;
const realDestroy = (real.Socket.prototype as unknown as { _destroy: (...a: unknown[]) => void })
  ._destroy;

/** Sockets this process connected: their writes are requests. */
const clients = new WeakSet<Real.Socket>();
/** Clients that wrote their first request. */
const spoken = new WeakSet<Real.Socket>();
/**
 * Marks a socket as a client; its connecting is the first request of the
 * thread it is for. Inside a green thread a face turns attribution on by
 * itself (monkeyPatch and importPatched do it up front).
 */
export function trackClient(sock: Real.Socket): void {
  if (openingQuietly()) return;
  if (!attributionEnabled()) {
    if (getCurrent() === null) return;
    enableAttribution();
  }
  // Its end answers what it carried: clientDestroy, not a 'close' listener (programs count those).
  clients.add(sock);
  requestSent(sock);
}

// Named parameters rather than a rest array: these run for every write and
// every chunk read on a patched client socket (and keep Node's arities).
type Write = (this: Real.Socket, chunk: unknown, encoding: unknown, cb: unknown) => boolean;
type Push = (this: Real.Socket, chunk: unknown, encoding: unknown) => boolean;
type Destroy = (this: Real.Socket, error: unknown, cb: unknown) => void;

/** `write` on a client socket: a request for the current thread, in flight until answered. */
export function clientWrite(
  this: Real.Socket,
  chunk: unknown,
  encoding?: unknown,
  cb?: unknown,
): boolean {
  if (clients.has(this)) {
    requestSent(this);
    if (!spoken.has(this)) {
      // The first request names the protocol, and with it how to cancel one.
      spoken.add(this);
      sawPostgresStart(this, chunk);
      sawRedisStart(this, chunk, encoding);
    }
  }
  return (realWrite as unknown as Write).call(this, chunk, encoding, cb);
}

/** Data (or the end) arrived: the requests the socket carried are answered. */
export function clientPush(this: Real.Socket, chunk: unknown, encoding?: unknown): boolean {
  answered(this);
  sawServerData(this, chunk);
  return (realPush as unknown as Push).call(this, chunk, encoding);
}

/** `_destroy` on a socket (every close goes through it): the requests a client carried are answered. */
export function clientDestroy(this: Real.Socket, error: unknown, cb: unknown): void {
  answered(this);
  (realDestroy as Destroy).call(this, error, cb);
}

/**
 * Node's `connect` puts Node's own `write` on the instance when the
 * socket's `write` differs from it (undoing a write-after-end guard): on a
 * green subclass that would bypass `clientWrite`, so take it off again.
 */
export function restoreClientWrite(sock: Real.Socket): void {
  if (Object.hasOwn(sock, 'write') && sock.write === realWrite) {
    delete (sock as { write?: unknown }).write;
  }
}

/**
 * A client socket made by Node's own code (tls.connect on an unpatched
 * prototype): gets the request-tracking `write`/`push` on itself.
 */
export function trackMadeClient(sock: Real.Socket): void {
  if (sock.write !== clientWrite) {
    Object.defineProperty(sock, 'write', {
      value: clientWrite,
      writable: true,
      configurable: true,
    });
    Object.defineProperty(sock, 'push', { value: clientPush, writable: true, configurable: true });
    Object.defineProperty(sock, '_destroy', {
      value: clientDestroy,
      writable: true,
      configurable: true,
    });
  }
  trackClient(sock);
}
