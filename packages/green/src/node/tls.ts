/**
 * Green face of `node:tls` (patched with the `socket` flag, as eventlet's
 * socket flag also patches `ssl`). `tls.connect` made inside a green thread
 * is that thread's request until the server answers. TLS
 * sockets are `net.Socket`s, so `green(tlsSocket)` from the net face (and,
 * under `monkeyPatch`, `recv`/`sendall` on the socket itself) reads the
 * decrypted stream from green threads; a `tls.Server` belongs to no thread,
 * as a `net.Server`. A TLS socket is a client like a net one: a
 * thread killed (or hit by a Timeout) while its request on it is
 * unanswered has it destroyed; otherwise it lives on.
 */
import type * as Real from 'node:tls';
import { enableAttribution } from './internal/attribution.js';
import { trackMadeClient } from './internal/attribution-socket.js';
import { faceObject } from './internal/face-object.js';
import { pristine } from './pristine.js';

export * from 'node:tls';

// Node's own tls, even if this face loads after the builtin was patched.
const real = pristine('tls') as typeof Real;

/** What this face replaces in `node:tls`. */
export const patched = ['connect'] as const;

/** Turns on attribution across ticks: the patcher calls it when this face is patched in or handed to a copy. */
export const activate = enableAttribution;

/**
 * `tls.connect`, its requests attributed to the thread they are made for.
 *
 * @example
 * import { connect } from '@verdant/green/node/tls';
 * import { createServer } from 'node:tls';
 * const [key, cert] = [readFileSync('key.pem'), readFileSync('cert.pem')];
 * const server = createServer({ key, cert }, (s) => s.end('hi')).listen(0, '127.0.0.1');
 * yield* events.once(server, 'listening'); // events: '@verdant/green/node/events'
 * const port = (server.address() as { port: number }).port;
 * const sock = connect({ host: '127.0.0.1', port, ca: cert, servername: 'localhost' });
 * yield* events.once(sock, 'secureConnect'); // destroyed for us if this green thread is killed now
 * sock.destroy();
 * server.close();
 */
export const connect = ((...args: unknown[]) => {
  const sock = (real.connect as (...a: unknown[]) => Real.TLSSocket)(...args);
  trackMadeClient(sock);
  return sock;
}) as typeof real.connect;

/** The face as CommonJS code sees `require('tls')`. */
const face = faceObject(real, { connect });
export default face;
