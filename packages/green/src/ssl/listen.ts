import * as tls from 'node:tls';
import type { Operation } from '@verdant/hub';
import { checkOptions } from '../internal/check.js';
import type { Address } from '../socket/address.js';
import { GreenServer } from '../socket/green-server.js';
import { type ListenOptions, listenOptions, startListening } from '../socket/listen.js';
import { SSLSocket } from './ssl-socket.js';

/** Options for TLS `listen`. */
export interface TlsListenOptions extends tls.TlsOptions, ListenOptions {}

/**
 * Opens a TLS server, bound and listening; `accept()` returns handshaken
 * `SSLSocket`s (clients that fail the handshake never show up).
 *
 * @example
 * const [key, cert] = [readFileSync('key.pem'), readFileSync('cert.pem')];
 * const server = yield* ssl.listen(['127.0.0.1', 0], { key, cert });
 * spawn(function* () {
 *   const sock = yield* ssl.connect(server.getsockname(), { ca: cert, servername: 'localhost' });
 *   sock.close();
 * });
 * const [conn] = yield* server.accept(); // an SSLSocket, handshake done
 * conn.close();
 * server.close();
 */
export function listen(
  address: Address,
  options: TlsListenOptions,
): Operation<GreenServer<SSLSocket>> {
  checkOptions('ssl.listen(address, options): options', options);
  const listen = listenOptions('ssl.listen', address, options);
  const { backlog: _b, reuseAddress: _a, reusePort: _p, ...tlsOptions } = options;
  const server = tls.createServer({ ...tlsOptions, allowHalfOpen: true });
  // A client that fails its handshake is its own problem, not the server's.
  server.on('tlsClientError', () => {});
  return startListening(
    new GreenServer(server, (s) => new SSLSocket(s as tls.TLSSocket), 'secureConnection'),
    listen,
  );
}
