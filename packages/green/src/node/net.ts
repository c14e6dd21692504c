/**
 * Green face of `node:net` (the `socket` flag). Sockets and servers made
 * anywhere, inside third-party libraries too, become usable from green
 * threads: `green(sock)` gives the `GreenSocket` for any `net.Socket`
 * (`recv`, `sendall`, `makefile`, `select`...), and under `monkeyPatch` every
 * `net.Socket` has `recv`/`recvInto`/`send`/`sendall` operations itself.
 * A client socket's writes are requests attributed to the green thread they
 * are made for (node/internal/attribution.ts): killed, or hit by a Timeout,
 * while such a request is unanswered, the thread has that socket destroyed;
 * otherwise (a pooled connection it merely opened) the socket lives on. A
 * server belongs to no thread, as Node's: one that listens inside a green
 * thread (a library's, perhaps) is not closed when that thread is killed;
 * a thread that wants its server closed with it closes it in a `finally`
 * (with `@verdant/green/socket`'s `listen` too, as in Python).
 */
import type * as Real from 'node:net';
import { type Operation, suspend } from '@verdant/hub';
import { GreenSocket } from '../socket/green-socket.js';
import { enableAttribution } from './internal/attribution.js';
import {
  clientDestroy as _destroy,
  clientPush as push,
  restoreClientWrite,
  trackClient,
  clientWrite as write,
} from './internal/attribution-socket.js';
import { faceObject } from './internal/face-object.js';
import { pristine } from './pristine.js';

export * from 'node:net';

// Node's own net, even if this face loads after the builtin was patched.
const real = pristine('net') as typeof Real;
const realConnect = real.Socket.prototype.connect;

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

/**
 * `net.Socket.prototype.connect`, which every client path reaches (net,
 * http, tls, fetch): the socket becomes a client whose requests are
 * attributed to the thread they are made for.
 */
function connect(this: Real.Socket, ...args: unknown[]): Real.Socket {
  trackClient(this);
  const sock = (realConnect as (...a: unknown[]) => Real.Socket).apply(this, args);
  restoreClientWrite(this);
  return sock;
}

/**
 * Methods the patcher puts on the builtin's classes' prototypes (the
 * class's own exports stay Node's: `tls` builds on them).
 */
export const patchedPrototypes = {
  Socket: { connect, write, push, _destroy, recv, recvInto, send, sendall },
} as const;

/** Turns on attribution across ticks: the patcher calls it when this face is patched in or handed to a copy. */
export const activate = enableAttribution;

/**
 * A subclass of Node's `Base` with `methods` on its own prototype, callable
 * as Node's classes are: with or without `new`, and as `Base.call(this)`
 * from a `util.inherits` subclass.
 */
function callableSubclass<C extends abstract new (...a: never[]) => unknown>(
  Base: C,
  methods: Readonly<Record<string, unknown>>,
): C {
  const Green = function (this: unknown, ...args: unknown[]): unknown {
    if (new.target === undefined && !(this instanceof Green)) return Reflect.construct(Green, args);
    return (Base as unknown as (...a: unknown[]) => unknown).apply(this, args) ?? this;
  };
  Object.defineProperty(Green, 'name', { value: Base.name });
  Object.setPrototypeOf(Green, Base);
  Green.prototype = Object.create(Base.prototype as object, {
    constructor: { value: Green, writable: true, configurable: true },
  });
  for (const [key, value] of Object.entries(methods)) {
    Object.defineProperty(Green.prototype, key, { value, writable: true, configurable: true });
  }
  return Green as unknown as C;
}

/**
 * Node's `net.Socket` with the green methods on its own prototype, callable
 * as Node's is: what a patched copy's `new net.Socket()` makes.
 */
export const Socket = callableSubclass(real.Socket, patchedPrototypes.Socket);

/** Node's `net.Server`, callable as Node's is (a copy's `new net.Server()` and `Server.call(this)`). */
export const Server = callableSubclass(real.Server, {});

const normalizeArgs = (real as unknown as { _normalizeArgs(a: unknown[]): unknown[] })
  ._normalizeArgs;

/**
 * `net.connect`/`net.createConnection`, as Node's, on the green `Socket`:
 * its requests are attributed to the thread they are made for.
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
  const normalized = normalizeArgs(args);
  const options = normalized[0] as { timeout?: number };
  const sock = new Socket(options as Real.SocketConstructorOpts);
  if (options.timeout) sock.setTimeout(options.timeout);
  return (sock.connect as (...a: unknown[]) => Real.Socket)(normalized);
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
} = ((...args: unknown[]) =>
  new (Server as unknown as new (...a: unknown[]) => Real.Server)(...args)) as never;

/** The face as CommonJS code sees `require('net')`. */
const face = faceObject(real, {
  Socket,
  Stream: Socket,
  Server,
  connect: createConnection,
  createConnection,
  createServer,
  green,
});
export default face;
