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

/** `write` on a client socket: a request for the current thread, in flight until answered. */
export function clientWrite(this: Real.Socket, ...args: unknown[]): boolean {
  if (clients.has(this)) {
    requestSent(this);
    if (!spoken.has(this)) {
      // The first request names the protocol, and with it how to cancel one.
      spoken.add(this);
      sawPostgresStart(this, args[0]);
      sawRedisStart(this, args[0]);
    }
  }
  return (realWrite as (...a: unknown[]) => boolean).apply(this, args);
}

/** Data (or the end) arrived: the requests the socket carried are answered. */
export function clientPush(this: Real.Socket, ...args: unknown[]): boolean {
  answered(this);
  sawServerData(this, args[0]);
  return (realPush as (...a: unknown[]) => boolean).apply(this, args);
}

/** `_destroy` on a socket (every close goes through it): the requests a client carried are answered. */
export function clientDestroy(this: Real.Socket, ...args: unknown[]): void {
  answered(this);
  realDestroy.apply(this, args);
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
