import * as net from 'node:net';
import type { Operation } from '@verdant/hub';
import { checkInteger, checkOptions } from '../internal/check.js';
import { type Address, formatAddress, toHostPort } from './address.js';
import { awaitListening } from './await-listening.js';
import { GreenServer } from './green-server.js';
import { GreenSocket } from './green-socket.js';

/** Options for `listen`. */
export interface ListenOptions {
  /** Pending-connection queue length (default 511, Node's). */
  backlog?: number;
  /** SO_REUSEADDR: Node always sets it on Unix, so only `true` (the default) is possible. */
  reuseAddress?: boolean;
  /** SO_REUSEPORT, so several processes share the port (Node >= 22.12 / 23.1 on Linux). */
  reusePort?: boolean;
}

/** Validates listen options and returns Node's listen options. */
export function listenOptions(
  where: string,
  address: Address,
  options: ListenOptions,
): net.ListenOptions {
  const { host, port } = toHostPort(address, 'listen', `${where}(address)`);
  checkOptions(`${where}(address, options): options`, options);
  const { backlog, reuseAddress, reusePort } = options;
  if (backlog !== undefined) checkInteger(`${where}(address, { backlog }): backlog`, backlog, 0);
  if (reuseAddress === false) {
    throw new TypeError(
      `${where}(address, { reuseAddress: false }): Node always sets SO_REUSEADDR; it cannot be turned off`,
    );
  }
  const listen: net.ListenOptions & { reusePort?: boolean } = {
    host,
    port,
    backlog: backlog ?? 511,
  };
  if (reusePort) {
    const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
    if (major < 22 || (major === 22 && minor < 12)) {
      throw new TypeError(
        `${where}(address, { reusePort }): needs Node >= 22.12, this is ${process.versions.node}`,
      );
    }
    listen.reusePort = true;
  }
  return listen;
}

/**
 * Opens a TCP server (eventlet's `listen`), already bound and listening, so
 * `getsockname()` gives the port. A bare port listens on every interface.
 *
 * @example
 * const server = yield* socket.listen(['127.0.0.1', 0]);
 * const [, port] = server.getsockname(); // the port the OS picked
 * server.close();
 */
export function listen(address: Address, options: ListenOptions = {}): Operation<GreenServer> {
  const listen = listenOptions('listen', address, options);
  const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true });
  return startListening(new GreenServer(server, (s) => new GreenSocket(s)), listen);
}

/** Makes `green._server` listen; on error or kill the server is closed. */
export function* startListening<S extends GreenSocket>(
  green: GreenServer<S>,
  options: net.ListenOptions,
): Operation<GreenServer<S>> {
  const server = green._server;
  try {
    yield* awaitListening(
      server,
      () => server.listen(options),
      `listen ${formatAddress(options.host, options.port)}`,
    );
  } catch (error) {
    green.close();
    throw error;
  }
  green._listening();
  return green;
}
