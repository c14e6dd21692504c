import * as net from 'node:net';
import { getHub, type Operation, suspend, type TimerHandle } from '@verdant/hub';
import { checkInteger, checkOptions, checkTimeout, describeValue } from '../internal/check.js';
import { type Address, formatAddress, toHostPort } from './address.js';
import { SocketTimeout, translateError } from './errors.js';
import { GreenSocket } from './green-socket.js';

/** Options for `connect`. */
export interface ConnectOptions {
  /** Give up with `SocketTimeout` after this long (default: wait as long as the OS does). */
  timeoutMs?: number | null;
  /** The local address to connect from. */
  localAddress?: string;
  /** The local port to connect from. */
  localPort?: number;
}

/**
 * Connects to a TCP server (eventlet's `connect`). The address is
 * `[host, port]`, `{ host, port }` or a port on 127.0.0.1.
 *
 * @example
 * const server = yield* socket.listen(['127.0.0.1', 0]);
 * const sock = yield* socket.connect(server.getsockname(), { timeoutMs: 2000 });
 * sock.close();
 * server.close();
 */
export function connect(address: Address, options: ConnectOptions = {}): Operation<GreenSocket> {
  const { host, port } = toHostPort(address, 'connect', 'connect(address)');
  checkOptions('connect(address, options): options', options);
  const timeoutMs = checkTimeout('connect(address, { timeoutMs }): timeoutMs', options.timeoutMs);
  if (options.localAddress !== undefined && typeof options.localAddress !== 'string') {
    throw new TypeError(
      `connect(address, { localAddress }): must be a string, got ${describeValue(options.localAddress)}`,
    );
  }
  if (options.localPort !== undefined) {
    checkInteger(
      'connect(address, { localPort }): localPort',
      options.localPort,
      0,
      65535,
      'an integer from 0 to 65535 (0: any)',
    );
  }
  return connecting(host!, port, timeoutMs, options.localAddress, options.localPort);
}

/**
 * Python's `socket.create_connection(address, timeout, source_address)`:
 * connects within `timeoutMs`, and keeps that timeout on the socket.
 *
 * @example
 * const server = yield* socket.listen(['127.0.0.1', 0]);
 * const sock = yield* socket.createConnection(server.getsockname(), 5000);
 * sock.getTimeout(); // 5000
 * sock.close();
 * server.close();
 */
export function createConnection(
  address: Address,
  timeoutMs: number | null = null,
  sourceAddress?: readonly [string, number],
): Operation<GreenSocket> {
  const ms = checkTimeout('createConnection(address, timeoutMs): timeoutMs', timeoutMs);
  const { host, port } = toHostPort(address, 'connect', 'createConnection(address)');
  const source =
    sourceAddress === undefined
      ? undefined
      : toHostPort(sourceAddress, 'bind', 'createConnection(sourceAddress)');
  return creating(host!, port, ms, source?.host, source?.port);
}

function* creating(
  host: string,
  port: number,
  timeoutMs: number | null,
  localAddress: string | undefined,
  localPort: number | undefined,
): Operation<GreenSocket> {
  const sock = yield* connecting(host, port, timeoutMs, localAddress, localPort || undefined);
  sock.setTimeout(timeoutMs);
  return sock;
}

function* connecting(
  host: string,
  port: number,
  timeoutMs: number | null,
  localAddress: string | undefined,
  localPort: number | undefined,
): Operation<GreenSocket> {
  const sock = net.connect({ host, port, localAddress, localPort, allowHalfOpen: true });
  yield* awaitConnect(sock, 'connect', timeoutMs, `connect ${formatAddress(host, port)}`);
  return new GreenSocket(sock);
}

/**
 * Parks until `sock` emits `event` (`connect`, `secureConnect`, `secure`);
 * on error, timeout or kill the socket is destroyed and no listener stays.
 */
export function awaitConnect(
  sock: net.Socket,
  event: string,
  timeoutMs: number | null,
  label: string,
): Operation<void> {
  return suspend<void>((resume, fail) => {
    let timer: TimerHandle | undefined;
    let connected = false;
    const onConnect = (): void => {
      connected = resume(undefined);
    };
    const onError = (error: Error): void => {
      fail(translateError(error));
    };
    sock.on(event, onConnect);
    sock.on('error', onError);
    if (timeoutMs !== null) {
      timer = getHub().callLater(
        timeoutMs,
        fail,
        new SocketTimeout(`${label}: timed out after ${timeoutMs} ms`),
      );
    }
    return (interrupted) => {
      sock.off(event, onConnect);
      sock.off('error', onError);
      timer?.cancel();
      // Failed, timed out or killed: nothing may keep the half-made connection alive.
      if (interrupted || !connected) sock.destroy();
    };
  }, label);
}
