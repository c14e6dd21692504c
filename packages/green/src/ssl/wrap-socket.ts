import * as tls from 'node:tls';
import type { Operation } from '@verdant/hub';
import { checkBoolean, checkOptions, checkTimeout, describeValue } from '../internal/check.js';
import { awaitConnect } from '../socket/connect.js';
import { GreenSocket } from '../socket/green-socket.js';
import { SSLSocket } from './ssl-socket.js';

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

/**
 * Upgrades a connected green socket to TLS and runs the handshake (Python's
 * `ssl.wrap_socket` / `SSLContext.wrap_socket`). `sock` is detached: use the
 * returned socket from now on.
 *
 * @example
 * const [key, cert] = [readFileSync('key.pem'), readFileSync('cert.pem')];
 * const [a, b] = yield* socket.socketpair();
 * const server = spawn(function* () {
 *   return yield* ssl.wrapSocket(b, { serverSide: true, key, cert });
 * });
 * const client = yield* ssl.wrapSocket(a, { ca: cert, serverHostname: 'localhost' });
 * const secure = yield* server.wait();
 * client.close();
 * secure.close();
 */
export function wrapSocket(sock: GreenSocket, options: WrapOptions = {}): Operation<SSLSocket> {
  if (!(sock instanceof GreenSocket)) {
    throw new TypeError(`wrapSocket(sock): sock must be a GreenSocket, got ${describeValue(sock)}`);
  }
  checkOptions('wrapSocket(sock, options): options', options);
  const timeoutMs = checkTimeout('wrapSocket(sock, { timeoutMs }): timeoutMs', options.timeoutMs);
  for (const name of ['serverSide', 'rejectUnauthorized', 'requestCert'] as const) {
    checkBoolean(`wrapSocket(sock, { ${name} }): ${name}`, options[name]);
  }
  const { serverHostname, ALPNProtocols } = options;
  if (serverHostname !== undefined && typeof serverHostname !== 'string') {
    throw new TypeError(
      `wrapSocket(sock, { serverHostname }): serverHostname must be a string, got ${describeValue(serverHostname)}`,
    );
  }
  if (
    ALPNProtocols !== undefined &&
    (!Array.isArray(ALPNProtocols) || !ALPNProtocols.every((p) => typeof p === 'string'))
  ) {
    throw new TypeError(
      `wrapSocket(sock, { ALPNProtocols }): ALPNProtocols must be an array of strings, got ${describeValue(ALPNProtocols)}`,
    );
  }
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
