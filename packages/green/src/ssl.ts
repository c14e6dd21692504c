/**
 * Python's `ssl` module, greened on `node:tls`: `wrapSocket` (client and
 * server side), TLS `connect` and `listen`, with the GreenSocket interface.
 *
 * @example
 * import * as ssl from '@verdant/green/ssl';
 * const sock = yield* ssl.connect(['127.0.0.1', 8443], { ca: cert, servername: 'localhost' });
 * yield* sock.sendall(Buffer.from('hello'));
 */
import * as tls from 'node:tls';
import type { Operation } from '@verdant/hub';
import { type Address, formatAddress, toHostPort } from './address.js';
import { checkTimeout } from './check-timeout.js';
import { awaitConnect } from './connect.js';
import { describeValue } from './describe.js';
import { GreenServer } from './green-server.js';
import { GreenSocket } from './green-socket.js';
import { type ListenOptions, listenOptions, startListening } from './listen.js';
import { SSLSocket } from './ssl-socket.js';

export { SSLCertVerificationError, SSLError } from './errors.js';
export { SSLSocket } from './ssl-socket.js';

/** Options for `wrapSocket`: Node's TLS options plus Python's names. */
export interface WrapOptions extends tls.SecureContextOptions {
  /** Act as the TLS server (needs `key` and `cert`). Default false. */
  serverSide?: boolean;
  /** The name to verify and send as SNI (client side). */
  serverHostname?: string;
  /** Client: verify the server (default true). Server: reject clients without a valid cert when `requestCert`. */
  rejectUnauthorized?: boolean;
  /** Server side: ask the client for a certificate. */
  requestCert?: boolean;
  /** ALPN protocols to offer. */
  ALPNProtocols?: string[];
  /** Give up on the handshake with `SocketTimeout` after this long. */
  timeoutMs?: number | null;
}

/** Options for TLS `connect`. */
export interface TlsConnectOptions extends tls.ConnectionOptions {
  timeoutMs?: number | null;
}

/** Options for TLS `listen`. */
export interface TlsListenOptions extends tls.TlsOptions, ListenOptions {}

function checkOptions(where: string, options: unknown): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${where}: options must be an object, got ${describeValue(options)}`);
  }
}

/**
 * Upgrades a connected green socket to TLS and runs the handshake (Python's
 * `ssl.wrap_socket` / `SSLContext.wrap_socket`). `sock` is detached: use the
 * returned socket from now on.
 *
 * @example
 * const plain = yield* socket.connect(['127.0.0.1', port]);
 * const secure = yield* ssl.wrapSocket(plain, { ca: cert, serverHostname: 'localhost' });
 */
export function wrapSocket(sock: GreenSocket, options: WrapOptions = {}): Operation<SSLSocket> {
  if (!(sock instanceof GreenSocket)) {
    throw new TypeError(`wrapSocket(sock): sock must be a GreenSocket, got ${describeValue(sock)}`);
  }
  checkOptions('wrapSocket(sock, options)', options);
  const timeoutMs = checkTimeout('wrapSocket(sock, { timeoutMs })', options.timeoutMs, {
    errorType: TypeError,
  });
  if (
    options.serverSide &&
    (options.key === undefined || options.cert === undefined) &&
    options.pfx === undefined
  ) {
    throw new TypeError(
      'wrapSocket(sock, { serverSide: true }): a server needs key and cert (or pfx)',
    );
  }
  return wrapping(sock, options, timeoutMs);
}

function* wrapping(
  sock: GreenSocket,
  options: WrapOptions,
  timeoutMs: number | null,
): Operation<SSLSocket> {
  const {
    serverSide,
    serverHostname,
    requestCert,
    rejectUnauthorized,
    ALPNProtocols,
    timeoutMs: _t,
    ...context
  } = options;
  const label = `TLS handshake ${sock.getpeername().join(':')}`;
  const raw = sock._detach();
  let secure: tls.TLSSocket;
  if (serverSide) {
    secure = new tls.TLSSocket(raw, {
      isServer: true,
      secureContext: tls.createSecureContext(context),
      requestCert: requestCert ?? false,
      rejectUnauthorized: rejectUnauthorized ?? requestCert ?? false,
      ALPNProtocols,
    });
    yield* awaitConnect(secure, 'secure', timeoutMs, label);
  } else {
    secure = tls.connect({
      ...context,
      socket: raw,
      servername: serverHostname,
      rejectUnauthorized: rejectUnauthorized ?? true,
      ALPNProtocols,
    });
    yield* awaitConnect(secure, 'secureConnect', timeoutMs, label);
  }
  return new SSLSocket(secure);
}

/**
 * Opens a TLS connection and completes the handshake.
 *
 * @example
 * const sock = yield* ssl.connect(['127.0.0.1', 8443], { ca: cert, servername: 'localhost' });
 */
export function connect(address: Address, options: TlsConnectOptions = {}): Operation<SSLSocket> {
  const { host, port } = toHostPort(address, 'connect', 'ssl.connect(address)');
  checkOptions('ssl.connect(address, options)', options);
  const timeoutMs = checkTimeout('ssl.connect(address, { timeoutMs })', options.timeoutMs, {
    errorType: TypeError,
  });
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

/**
 * Opens a TLS server, bound and listening; `accept()` returns handshaken
 * `SSLSocket`s (clients that fail the handshake never show up).
 *
 * @example
 * const server = yield* ssl.listen(['127.0.0.1', 0], { key, cert });
 * const [conn] = yield* server.accept();
 */
export function listen(
  address: Address,
  options: TlsListenOptions,
): Operation<GreenServer<SSLSocket>> {
  checkOptions('ssl.listen(address, options)', options);
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
