/**
 * Python's socket error family, carrying Node's error `code` (`ECONNRESET`...)
 * and the original Node error as `cause`.
 *
 * @example
 * try {
 *   yield* socket.connect(['127.0.0.1', 1]);
 * } catch (e) {
 *   if (e instanceof socket.ConnectionRefusedError) console.log(e.code); // 'ECONNREFUSED'
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
 * sock.setTimeout(500);
 * try { yield* sock.recv(1024) } catch (e) { if (e instanceof socket.SocketTimeout) retry() }
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
 * sock.setTimeout(0);
 * try { yield* sock.recv(10) } catch (e) { if (e instanceof socket.BlockingIOError) later() }
 */
export class BlockingIOError extends SocketError {
  constructor(message = 'Resource temporarily unavailable') {
    super(message, 'EAGAIN');
  }
}

/**
 * The socket (or server) was closed and cannot be used: Python's `OSError(EBADF)`.
 *
 * @example
 * sock.close();
 * yield* sock.recv(10); // throws SocketClosedError
 */
export class SocketClosedError extends SocketError {
  constructor(message = 'Bad file descriptor: the socket is closed') {
    super(message, 'EBADF');
  }
}

/**
 * Base of the connection errors (Python's `ConnectionError`).
 *
 * @example
 * catch (e) { if (e instanceof socket.ConnectionError) reconnect() }
 */
export class ConnectionError extends SocketError {}

/**
 * Nobody listens at the address (`ECONNREFUSED`).
 *
 * @example
 * catch (e) { if (e instanceof socket.ConnectionRefusedError) console.log('server down') }
 */
export class ConnectionRefusedError extends ConnectionError {}

/**
 * The peer reset the connection (`ECONNRESET`).
 *
 * @example
 * catch (e) { if (e instanceof socket.ConnectionResetError) console.log('peer went away') }
 */
export class ConnectionResetError extends ConnectionError {}

/**
 * The connection was aborted locally (`ECONNABORTED`).
 *
 * @example
 * catch (e) { if (e instanceof socket.ConnectionAbortedError) console.log(e.code) }
 */
export class ConnectionAbortedError extends ConnectionError {}

/**
 * Writing to a connection whose other end (or our own write side) is closed (`EPIPE`).
 *
 * @example
 * sock.shutdown(socket.SHUT_WR);
 * yield* sock.sendall(data); // throws BrokenPipeError
 */
export class BrokenPipeError extends ConnectionError {}

/**
 * Name resolution failed (`ENOTFOUND`, `EAI_AGAIN`...): Python's `socket.gaierror`.
 *
 * @example
 * catch (e) { if (e instanceof socket.GaiError) console.log('no such host', e.code) }
 */
export class GaiError extends SocketError {}

/**
 * A TLS failure (handshake, protocol, certificate): Python's `ssl.SSLError`.
 *
 * @example
 * catch (e) { if (e instanceof ssl.SSLError) console.log(e.code) }
 */
export class SSLError extends SocketError {}

/**
 * The peer's certificate failed verification: Python's `ssl.SSLCertVerificationError`.
 *
 * @example
 * catch (e) { if (e instanceof ssl.SSLCertVerificationError) console.log(e.code) } // 'DEPTH_ZERO_SELF_SIGNED_CERT'
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
