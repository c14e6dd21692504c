import { GreenletExit, GreenPool, getHub, type Operation } from '@verdant/hub';
import { checkThreadFunction } from '@verdant/hub/internal';
import { checkInteger, checkOptions, describeValue } from '../internal/check.js';
import { AcceptErrors } from './accept-errors.js';
import { type AddressTuple, formatAddress } from './address.js';
import { BlockingIOError, ConnectionError, SocketClosedError, SocketTimeout } from './errors.js';
import type { GreenServer } from './green-server.js';
import type { GreenSocket } from './green-socket.js';

/**
 * Thrown from a `serve` handler to stop the server: it is closed and `serve`
 * returns (eventlet's `StopServe`).
 *
 * @example
 * const server = yield* socket.listen(['127.0.0.1', 0]);
 * const client = yield* socket.connect(server.getsockname());
 * yield* client.sendall(Buffer.from('quit'));
 * yield* socket.serve(server, function* (conn) {
 *   if ((yield* conn.recv(4)).toString() === 'quit') throw new socket.StopServe();
 * });
 * client.close(); // serve returned: the server is closed
 */
export class StopServe extends Error {
  constructor(message = 'server stopped by a handler') {
    super(message);
    this.name = 'StopServe';
  }
}

/** Options for `serve`. */
export interface ServeOptions {
  /** At most this many connections are handled at once (default 1000); more wait to be accepted. */
  concurrency?: number;
}

/** A connection handler: runs in its own green thread; the socket is closed when it returns. */
export type Handler<S extends GreenSocket = GreenSocket> = (
  sock: S,
  address: AddressTuple,
) => Operation<unknown>;

/**
 * Accepts connections forever, running `handler(sock, address)` in a new
 * green thread for each, at most `concurrency` at once (eventlet's
 * `serve`). A handler that throws is logged and its socket closed; the server
 * keeps serving. So does a failed accept: it is logged (once per burst) and,
 * out of file descriptors, serve backs off briefly before accepting again.
 * Returns when the server is closed or a handler throws `StopServe`. The
 * socket is closed when its handler ends.
 *
 * @example
 * const server = yield* socket.listen(['127.0.0.1', 0]);
 * spawn(function* () {
 *   const client = yield* socket.connect(server.getsockname());
 *   yield* client.sendall(Buffer.from('echo me'));
 *   console.log((yield* client.recv(1024)).toString()); // 'echo me'
 *   client.close();
 *   server.close(); // serve returns
 * });
 * yield* socket.serve(server, function* (conn) {
 *   for (let data; (data = yield* conn.recv(65536)).length > 0; ) yield* conn.sendall(data);
 * });
 */
export function serve<S extends GreenSocket>(
  server: GreenServer<S>,
  handler: Handler<S>,
  options: ServeOptions = {},
): Operation<void> {
  if (typeof server !== 'object' || server === null || typeof server.accept !== 'function') {
    throw new TypeError(
      `serve(server, handler): server must be a GreenServer from listen(), got ${describeValue(server)}`,
    );
  }
  checkThreadFunction('serve(server, handler)', 'handler', handler);
  checkOptions('serve(server, handler, options): options', options);
  const concurrency = checkInteger(
    'serve(server, handler, { concurrency }): concurrency',
    options.concurrency ?? 1000,
    1,
  );
  return serving(server, handler, concurrency);
}

function* serving<S extends GreenSocket>(
  server: GreenServer<S>,
  handler: Handler<S>,
  concurrency: number,
): Operation<void> {
  const pool = new GreenPool(concurrency);
  const logger = getHub().logger;

  function* handle(sock: S, address: AddressTuple): Operation<void> {
    try {
      yield* handler(sock, address);
    } catch (error) {
      if (error instanceof StopServe) server.close();
      else if (error instanceof ConnectionError) {
        // A peer that resets or vanishes is routine for a server, not a bug.
        logger.debug(
          { err: error, peer: formatAddress(address[0], address[1]) },
          'serve: connection lost',
        );
      } else if (!(error instanceof GreenletExit)) {
        logger.error(
          { err: error, peer: formatAddress(address[0], address[1]) },
          'serve: a connection handler failed; the server keeps serving',
        );
      }
    } finally {
      sock.close();
    }
  }

  const acceptErrors = new AcceptErrors(String(server));
  for (;;) {
    let conn: S;
    let address: AddressTuple;
    try {
      [conn, address] = yield* server.accept();
    } catch (error) {
      if (error instanceof SocketClosedError && server.closed) return;
      // The server's own timeout (setTimeout / setblocking) is the caller's to handle.
      if (error instanceof SocketTimeout || error instanceof BlockingIOError) throw error;
      yield* acceptErrors.failed(error);
      continue;
    }
    acceptErrors.accepted();
    try {
      // Blocks while `concurrency` handlers run, as eventlet's pool.spawn does.
      const thread = yield* pool.spawn(handle, conn, address);
      thread.name = `serve ${formatAddress(address[0], address[1])}`;
    } catch (error) {
      conn.close();
      throw error;
    }
  }
}
