/**
 * Python's socket error family, carrying Node's error `code` (`ECONNRESET`...)
 * and the original Node error as `cause`. Every error below extends it.
 *
 * @example
 * const [a] = yield* socket.socketpair();
 * a.close();
 * try {
 *   a.getpeername();
 * } catch (e) {
 *   if (e instanceof socket.SocketError) console.log(e.code); // 'EBADF'
 * }
 */
export class SocketError extends Error {
  /** Node's error code (`ECONNRESET`, `EADDRINUSE`...), when there is one. */
  readonly code: string | undefined;
  /** The numeric errno, when Node gave one. */
  readonly errno: number | undefined;
  constructor(message: string, code?: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    this.code = code;
    const errno = (cause as { errno?: unknown } | undefined)?.errno;
    this.errno = typeof errno === 'number' ? errno : undefined;
  }
}

/**
 * A blocking socket call ran past the socket's timeout (`setTimeout(ms)`,
 * `connect(..., { timeoutMs })`): Python's `socket.timeout`.
 *
 * @example
 * const [a, b] = yield* socket.socketpair();
 * a.setTimeout(50);
 * try {
 *   yield* a.recv(1024); // nothing is sent
 * } catch (e) {
 *   console.log(e instanceof socket.SocketTimeout); // true
 * } finally {
 *   a.close();
 *   b.close();
 * }
 */
export class SocketTimeout extends SocketError {
  constructor(message = 'timed out') {
    super(message, 'ETIMEDOUT');
  }
}

/**
 * The socket is in non-blocking mode (`setTimeout(0)`) and the call would
 * have to wait: Python's `BlockingIOError`.
 *
 * @example
 * const [a, b] = yield* socket.socketpair();
 * a.setblocking(false);
 * try {
 *   yield* a.recv(10);
 * } catch (e) {
 *   console.log(e instanceof socket.BlockingIOError); // true: nothing to read yet
 * } finally {
 *   a.close();
 *   b.close();
 * }
 */
export class BlockingIOError extends SocketError {
  /**
   * How many bytes a non-blocking `sendall` handed over before the buffer
   * filled (Verdant's own: Python's `sendall` does not say); 0 for every
   * other call.
   */
  readonly charactersWritten: number;
  constructor(message = 'Resource temporarily unavailable', charactersWritten = 0) {
    super(message, 'EAGAIN');
    this.charactersWritten = charactersWritten;
  }
}

/**
 * The socket (or server) was closed and cannot be used: Python's `OSError(EBADF)`.
 *
 * @example
 * const [a, b] = yield* socket.socketpair();
 * a.close();
 * b.close();
 * try {
 *   yield* a.recv(10);
 * } catch (e) {
 *   console.log(e instanceof socket.SocketClosedError); // true
 * }
 */
export class SocketClosedError extends SocketError {
  constructor(message = 'Bad file descriptor: the socket is closed') {
    super(message, 'EBADF');
  }
}

/**
 * Base of the connection errors (Python's `ConnectionError`): refused,
 * reset, aborted, broken pipe.
 *
 * @example
 * const [a, b] = yield* socket.socketpair();
 * b.close();
 * a.shutdown(socket.SHUT_WR);
 * try {
 *   yield* a.sendall(Buffer.from('late'));
 * } catch (e) {
 *   console.log(e instanceof socket.ConnectionError); // true (a BrokenPipeError)
 * } finally {
 *   a.close();
 * }
 */
export class ConnectionError extends SocketError {}

/**
 * Nobody listens at the address (`ECONNREFUSED`).
 *
 * @example
 * const server = yield* socket.listen(['127.0.0.1', 0]);
 * const address = server.getsockname();
 * server.close();
 * try {
 *   yield* socket.connect(address);
 * } catch (e) {
 *   if (e instanceof socket.ConnectionRefusedError) console.log(e.code); // 'ECONNREFUSED'
 * }
 */
export class ConnectionRefusedError extends ConnectionError {}

/**
 * The peer reset the connection (`ECONNRESET`).
 *
 * @example
 * const [a, b] = yield* socket.socketpair();
 * b._sock.resetAndDestroy();
 * try {
 *   yield* a.recv(10);
 * } catch (e) {
 *   console.log(e instanceof socket.ConnectionResetError); // true
 * } finally {
 *   a.close();
 *   b.close();
 * }
 */
export class ConnectionResetError extends ConnectionError {}

/**
 * The connection was aborted on this side (`ECONNABORTED`).
 *
 * @example
 * const error = new socket.ConnectionAbortedError('aborted', 'ECONNABORTED');
 * console.log(error instanceof socket.ConnectionError); // true
 */
export class ConnectionAbortedError extends ConnectionError {}

/**
 * Writing to a connection whose other end (or our own write side) is closed (`EPIPE`).
 *
 * @example
 * const [a, b] = yield* socket.socketpair();
 * a.shutdown(socket.SHUT_WR);
 * try {
 *   yield* a.sendall(Buffer.from('x'));
 * } catch (e) {
 *   console.log(e instanceof socket.BrokenPipeError); // true
 * } finally {
 *   a.close();
 *   b.close();
 * }
 */
export class BrokenPipeError extends ConnectionError {}

/**
 * Name resolution failed (`ENOTFOUND`, `EAI_AGAIN`...): Python's `socket.gaierror`.
 *
 * @example
 * try {
 *   yield* socket.getaddrinfo('no-such-host.invalid', 80);
 * } catch (e) {
 *   if (e instanceof socket.GaiError) console.log(e.code); // 'ENOTFOUND'
 * }
 */
export class GaiError extends SocketError {}

/**
 * A TLS failure (handshake, protocol, certificate): Python's `ssl.SSLError`.
 *
 * @example
 * const server = yield* socket.listen(['127.0.0.1', 0]); // plain TCP, no TLS
 * spawn(function* () {
 *   const [conn] = yield* server.accept();
 *   yield* conn.sendall(Buffer.from('not a TLS handshake\r\n\r\n'));
 *   conn.close();
 * });
 * try {
 *   yield* ssl.connect(server.getsockname());
 * } catch (e) {
 *   console.log(e instanceof ssl.SSLError); // true
 * } finally {
 *   server.close();
 * }
 */
export class SSLError extends SocketError {}

/**
 * The peer's certificate failed verification: Python's
 * `ssl.SSLCertVerificationError`.
 *
 * @example
 * // key.pem / cert.pem: a self-signed certificate, not trusted by default
 * const server = yield* ssl.listen(['127.0.0.1', 0], {
 *   key: readFileSync('key.pem'),
 *   cert: readFileSync('cert.pem'),
 * });
 * try {
 *   yield* ssl.connect(server.getsockname());
 * } catch (e) {
 *   if (e instanceof ssl.SSLCertVerificationError) console.log(e.code); // 'DEPTH_ZERO_SELF_SIGNED_CERT'
 * } finally {
 *   server.close();
 * }
 */
export class SSLCertVerificationError extends SSLError {}

const CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
]);

/** Maps a Node error to the Python-shaped class a socket user expects. */
export function translateError(error: unknown): Error {
  if (error instanceof SocketError) return error;
  if (!(error instanceof Error)) return new SocketError(String(error));
  const code = (error as NodeJS.ErrnoException).code;
  const message = error.message;
  switch (code) {
    case 'ECONNREFUSED':
      return new ConnectionRefusedError(message, code, error);
    case 'ECONNRESET':
      return new ConnectionResetError(message, code, error);
    case 'ECONNABORTED':
      return new ConnectionAbortedError(message, code, error);
    case 'EPIPE':
    case 'ERR_STREAM_WRITE_AFTER_END':
      return new BrokenPipeError(message, code, error);
    case 'ETIMEDOUT':
      return new SocketTimeout(message);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
    case 'ENODATA':
      return new GaiError(message, code, error);
  }
  if (code !== undefined && CERT_CODES.has(code)) {
    return new SSLCertVerificationError(message, code, error);
  }
  if (
    (code !== undefined && (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS'))) ||
    (error as { library?: unknown }).library === 'SSL routines'
  ) {
    return new SSLError(message, code, error);
  }
  return new SocketError(message, code, error);
}
