/**
 * Green face of `node:net` (the `socket` flag). Sockets and servers made
 * anywhere, inside third-party libraries too, become usable from green
 * threads: `green(sock)` gives the `GreenSocket` for any `net.Socket`
 * (`recv`, `sendall`, `makefile`, `select`...), and under `monkeyPatch` every
 * `net.Socket` has `recv`/`recvInto`/`send`/`sendall` operations itself. A
 * socket that connects (or a server that listens) inside a green thread is
 * owned by it: destroyed (closed) if the thread is killed.
 */
import type * as Real from 'node:net';
import { type Operation, suspend } from '@verdant/hub';
import { GreenSocket } from '../socket/green-socket.js';
import { adopt, disown, type Owned } from './internal/ownership.js';
import { pristine } from './pristine.js';

export * from 'node:net';

// Node's own net, even if this face loads after the builtin was patched.
const real = pristine('net') as typeof Real;
const realConnect = real.Socket.prototype.connect;
const realListen = real.Server.prototype.listen;

/** What this face replaces in `node:net`. */
export const patched = [] as const;

const adapters = new WeakMap<Real.Socket, GreenSocket>();

/**
 * The green socket for a Node socket (made once per socket, then reused):
 * from then on it reads the socket, so read it only through the green side.
 *
 * @example
 * import { createServer, connect, green } from '@verdant/green/node/net';
 * const server = createServer((conn) => conn.end('pong')).listen(0, '127.0.0.1');
 * yield* events.once(server, 'listening'); // events: '@verdant/green/node/events'
 * const sock = green(connect((server.address() as { port: number }).port, '127.0.0.1'));
 * (yield* sock.recv(4)).toString(); // 'pong'
 * sock.close();
 * server.close();
 */
export function green(sock: Real.Socket): GreenSocket {
  let g = adapters.get(sock);
  if (g === undefined) {
    const adapter = new GreenSocket(sock);
    g = adapter;
    adapters.set(sock, adapter);
    // Closed from the Node side (destroy, peer reset): the green side closes too.
    sock.once('close', () => adapter.close());
  }
  return g;
}

/** Waits until a socket that is still connecting has connected (or failed). */
function connected(sock: Real.Socket): Operation<void> {
  return suspend<void>((resume, fail) => {
    if (!sock.connecting) {
      resume(undefined);
      return;
    }
    const onConnect = (): void => {
      resume(undefined);
    };
    const onError = (e: unknown): void => {
      fail(e);
    };
    sock.once('connect', onConnect);
    sock.once('error', onError);
    return () => {
      sock.off('connect', onConnect);
      sock.off('error', onError);
    };
  }, 'connect');
}

function* recv(this: Real.Socket, n: number): Operation<Buffer> {
  yield* connected(this);
  return yield* green(this).recv(n);
}
function* recvInto(this: Real.Socket, buffer: Uint8Array, nbytes?: number): Operation<number> {
  yield* connected(this);
  return yield* green(this).recvInto(buffer, nbytes);
}
function* send(this: Real.Socket, data: Uint8Array): Operation<number> {
  yield* connected(this);
  return yield* green(this).send(data);
}
function* sendall(this: Real.Socket, data: Uint8Array): Operation<void> {
  yield* connected(this);
  return yield* green(this).sendall(data);
}

/** A resource entry that destroys a socket or closes a server when its thread is killed. */
function own(target: {
  destroy?: () => void;
  close?: () => void;
  once(e: string, f: () => void): unknown;
}): void {
  const entry: Owned = {
    dispose(): void {
      if (typeof target.destroy === 'function') target.destroy();
      else target.close?.();
    },
  };
  const owner = adopt(entry);
  if (owner !== null) target.once('close', () => disown(owner, entry));
}

/**
 * `net.Socket.prototype.connect`, which every client path reaches (net,
 * http, tls, fetch): inside a green thread, the thread owns the socket.
 */
function connect(this: Real.Socket, ...args: unknown[]): Real.Socket {
  own(this);
  return (realConnect as (...a: unknown[]) => Real.Socket).apply(this, args);
}

/** `net.Server.prototype.listen`: inside a green thread, the thread owns the server. */
function listen(this: Real.Server, ...args: unknown[]): Real.Server {
  own(this as unknown as Parameters<typeof own>[0]);
  return (realListen as (...a: unknown[]) => Real.Server).apply(this, args);
}

/**
 * Methods the patcher puts on the builtin's classes' prototypes (the
 * class's own exports stay Node's: `tls` builds on them).
 */
export const patchedPrototypes = {
  Socket: { connect, recv, recvInto, send, sendall },
  Server: { listen },
} as const;

/**
 * `net.connect`/`net.createConnection`, owned by the calling green thread.
 *
 * @example
 * import { createConnection, createServer } from '@verdant/green/node/net';
 * const server = createServer((conn) => conn.end()).listen(0, '127.0.0.1');
 * yield* events.once(server, 'listening');
 * const sock = createConnection((server.address() as { port: number }).port, '127.0.0.1');
 * yield* events.once(sock, 'close'); // destroyed for us if this green thread is killed first
 * server.close();
 */
export const createConnection = ((...args: unknown[]) => {
  const sock = (real.createConnection as (...a: unknown[]) => Real.Socket)(...args);
  if (!patchedHere(sock)) own(sock);
  return sock;
}) as typeof real.createConnection;

/**
 * Same as `createConnection`.
 *
 * @example
 * import { connect } from '@verdant/green/node/net';
 * const sock = connect(9, '127.0.0.1'); // same as createConnection
 * sock.on('error', () => {});
 * sock.destroy();
 */
export const connect_ = createConnection;
export { connect_ as connect };

// Under monkeyPatch the prototype's connect already took ownership.
function patchedHere(sock: Real.Socket): boolean {
  return sock.connect === (connect as unknown);
}

/**
 * Node's own `net.createServer`, declared here so the API reference carries
 * this comment, not @types/node's (its link to the 'connection' event does
 * not resolve outside Node's docs).
 *
 * @example
 * import { createServer } from '@verdant/green/node/net';
 * const server = createServer((sock) => sock.end('hi')).listen(0, '127.0.0.1', () => server.close());
 */
export const createServer: {
  (connectionListener?: (socket: Real.Socket) => void): Real.Server;
  (options?: Real.ServerOpts, connectionListener?: (socket: Real.Socket) => void): Real.Server;
} = real.createServer;

/** The face as CommonJS code sees `require('net')`. */
const face = { ...real, connect: createConnection, createConnection, createServer, green };
export default face;
