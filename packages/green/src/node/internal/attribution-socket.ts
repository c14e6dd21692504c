/**
 * The socket side of attribution (attribution.ts): which sockets are
 * clients, their writes as requests, their incoming data as answers.
 */
import type * as Real from 'node:net';
import { getCurrent } from '@verdant/hub';
import { pristine } from '../pristine.js';
import { answered, attributionEnabled, enableAttribution, requestSent } from './attribution.js';
import { sawClientWrite, sawServerData, setCancelConnect } from './attribution-pg.js';

const real = pristine('net') as typeof Real;
const realWrite = real.Socket.prototype.write;
const realPush = real.Socket.prototype.push;

/** Sockets this process connected: their writes are requests. */
const clients = new WeakSet<Real.Socket>();
/** True while a cancel connection is opened: it is no thread's request. */
let quiet = false;

setCancelConnect((port, host) => {
  quiet = true;
  try {
    return real.connect(port, host);
  } finally {
    quiet = false;
  }
});

/**
 * Marks a socket as a client; its connecting is the first request of the
 * thread it is for. Inside a green thread a face turns attribution on by
 * itself (monkeyPatch and importPatched do it up front).
 */
export function trackClient(sock: Real.Socket): void {
  if (quiet) return;
  if (!attributionEnabled()) {
    if (getCurrent() === null) return;
    enableAttribution();
  }
  if (!clients.has(sock)) {
    clients.add(sock);
    sock.once('close', () => answered(sock));
  }
  requestSent(sock);
}

/** `write` on a client socket: a request for the current thread, in flight until answered. */
export function clientWrite(this: Real.Socket, ...args: unknown[]): boolean {
  if (clients.has(this)) {
    requestSent(this);
    sawClientWrite(this, args[0]);
  }
  return (realWrite as (...a: unknown[]) => boolean).apply(this, args);
}

/** Data (or the end) arrived: the requests the socket carried are answered. */
export function clientPush(this: Real.Socket, ...args: unknown[]): boolean {
  answered(this);
  sawServerData(this, args[0]);
  return (realPush as (...a: unknown[]) => boolean).apply(this, args);
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
  }
  trackClient(sock);
}
