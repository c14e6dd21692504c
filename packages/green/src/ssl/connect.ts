import * as tls from 'node:tls';
import type { Operation } from '@verdant/hub';
import { checkOptions, checkTimeout } from '../internal/check.js';
import { type Address, formatAddress, toHostPort } from '../socket/address.js';
import { awaitConnect } from '../socket/connect.js';
import { SSLSocket } from './ssl-socket.js';

/** Options for TLS `connect`. */
export interface TlsConnectOptions extends tls.ConnectionOptions {
  timeoutMs?: number | null;
}

/**
 * Opens a TLS connection and completes the handshake.
 *
 * @example
 * // cert.pem: the server's (self-signed) certificate for 'localhost'
 * const [key, cert] = [readFileSync('key.pem'), readFileSync('cert.pem')];
 * const server = yield* ssl.listen(['127.0.0.1', 0], { key, cert });
 * spawn(function* () {
 *   const [conn] = yield* server.accept();
 *   yield* conn.sendall(Buffer.from('hello'));
 *   conn.close();
 * });
 * const sock = yield* ssl.connect(server.getsockname(), { ca: cert, servername: 'localhost' });
 * (yield* sock.recv(5)).toString(); // 'hello'
 * sock.close();
 * server.close();
 */
export function connect(address: Address, options: TlsConnectOptions = {}): Operation<SSLSocket> {
  const { host, port } = toHostPort(address, 'connect', 'ssl.connect(address)');
  checkOptions('ssl.connect(address, options): options', options);
  const timeoutMs = checkTimeout(
    'ssl.connect(address, { timeoutMs }): timeoutMs',
    options.timeoutMs,
  );
  return connecting(host!, port, options, timeoutMs);
}

function* connecting(
  host: string,
  port: number,
  options: TlsConnectOptions,
  timeoutMs: number | null,
): Operation<SSLSocket> {
  const { timeoutMs: _t, ...rest } = options;
  const sock = tls.connect({ ...rest, host, port, allowHalfOpen: true } as tls.ConnectionOptions);
  yield* awaitConnect(sock, 'secureConnect', timeoutMs, `TLS connect ${formatAddress(host, port)}`);
  return new SSLSocket(sock);
}
