import type { AddressInfo, Server, Socket } from 'node:net';
import { getHub, type Operation } from '@verdant/hub';
import { checkTimeout } from '../internal/check.js';
import { POLLERR, POLLIN, POLLNVAL, type Selectable, Watchers } from '../internal/readiness.js';
import { type AddressTuple, formatAddress } from './address.js';
import { BlockingIOError, SocketClosedError, translateError } from './errors.js';
import type { GreenSocket } from './green-socket.js';
import { openCounts } from './open-counts.js';
import { ParkSlot } from './park-slot.js';

/** Makes the GreenSocket for an accepted connection (plain or TLS). */
export type WrapConnection<S extends GreenSocket> = (sock: Socket) => S;

function swallow(): void {}

/**
 * A listening socket: `accept()` hands out connections as green sockets.
 * Get one from `socket.listen` (or `ssl.listen`).
 *
 * Node takes every connection off the kernel at once, so the server itself
 * holds those not yet `accept()`ed, at most `backlog` of them (the listen
 * option, default 511; 0 counts as 1). Connections arriving while that many
 * wait are closed at once (logged at debug level), as a full kernel backlog
 * would refuse them.
 *
 * @example
 * const server = yield* socket.listen(['127.0.0.1', 0]);
 * const client = yield* socket.connect(server.getsockname());
 * const [conn, [host]] = yield* server.accept(); // host: '127.0.0.1'
 * conn.close();
 * client.close();
 * server.close();
 */
export class GreenServer<S extends GreenSocket = GreenSocket> implements Selectable {
  /** The Node server underneath. */
  readonly _server: Server;
  private readonly wrap: WrapConnection<S>;
  private queue: Socket[] = [];
  private head = 0;
  private closedFlag = false;
  private error: Error | undefined = undefined;
  private timeoutMs: number | null = null;
  private readonly acceptor = new ParkSlot('accept');
  private watchers: Watchers | undefined = undefined;
  private name: AddressTuple = ['', 0];
  private label = 'accept';
  /** Connections held for `accept()` at most: the `backlog` given to listen (default 511). */
  private backlog = 511;

  /** Wraps a Node server before it listens. Prefer `socket.listen` or `ssl.listen`. */
  constructor(server: Server, wrap: WrapConnection<S>, connectionEvent = 'connection') {
    this._server = server;
    this.wrap = wrap;
    // Node accepts every connection at once, so the kernel's backlog never fills: note the
    // backlog listen() is given and enforce it on our own queue (see `arrived`).
    const nodeListen = server.listen;
    server.listen = ((...args: unknown[]) => {
      const options = args[0] as { backlog?: unknown } | null;
      if (typeof options === 'object' && options !== null && typeof options.backlog === 'number') {
        this.backlog = Math.max(1, options.backlog);
      }
      return (nodeListen as (...a: unknown[]) => Server).apply(server, args);
    }) as Server['listen'];
    server.on(connectionEvent, (sock: Socket) => this.arrived(sock));
    server.on('error', (error: Error) => {
      this.error = translateError(error);
      this.acceptor.wake();
      this.watchers?.notify();
    });
    openCounts.servers++;
  }

  /** @internal Called once the server listens. */
  _listening(): void {
    const a = this._server.address() as AddressInfo;
    this.name = [a.address, a.port];
    this.label = `accept ${formatAddress(a.address, a.port)}`;
  }

  private arrived(sock: Socket): void {
    if (this.closedFlag) {
      sock.destroy();
      return;
    }
    if (this.queue.length - this.head >= this.backlog) {
      // Like a full kernel backlog: refuse what nobody is accepting instead of queueing
      // without bound (a flood of connections would otherwise eat every fd).
      getHub().logger.debug(
        { backlog: this.backlog, server: this.label },
        'accept queue full, dropping a connection',
      );
      sock.destroy();
      return;
    }
    // Until accepted the connection has no reader: an error must not go unhandled.
    sock.on('error', swallow);
    this.queue.push(sock);
    this.acceptor.wake();
    this.watchers?.notify();
  }

  /**
   * Waits for the next connection; returns the socket and the peer's
   * `[host, port]`. Throws `SocketClosedError` once the server is closed,
   * `SocketTimeout` after `setTimeout(ms)`, and a failed accept's error once
   * (the server keeps listening: the next call may succeed).
   */
  *accept(): Operation<[S, AddressTuple]> {
    for (;;) {
      if (this.closedFlag) throw new SocketClosedError();
      if (this.head < this.queue.length) {
        const sock = this.queue[this.head]!;
        this.queue[this.head++] = undefined as never;
        if (this.head === this.queue.length) {
          this.queue = [];
          this.head = 0;
        }
        sock.off('error', swallow);
        const green = this.wrap(sock);
        return [green, green.getpeername()];
      }
      if (this.error !== undefined) {
        // One failed accept, like accept(2): the server still listens, the next call may succeed.
        const error = this.error;
        this.error = undefined;
        throw error;
      }
      if (this.timeoutMs === 0) throw new BlockingIOError();
      yield* this.acceptor.wait(this.timeoutMs, this.label);
    }
  }

  /**
   * Stops listening. A thread blocked in `accept` gets `SocketClosedError`;
   * connections not yet accepted are closed. Accepted ones stay open.
   */
  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    openCounts.servers--;
    this._server.close();
    for (let i = this.head; i < this.queue.length; i++) this.queue[i]!.destroy();
    this.queue = [];
    this.head = 0;
    this.acceptor.wake();
    this.watchers?.notify();
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.closedFlag;
  }

  /**
   * Python's `settimeout` for `accept`: `SocketTimeout` after `ms`, `null`
   * waits forever, `0` never waits (`BlockingIOError`).
   */
  setTimeout(ms: number | null): void {
    this.timeoutMs = checkTimeout('setTimeout(ms): ms', ms);
  }

  /** The timeout set with `setTimeout`. */
  getTimeout(): number | null {
    return this.timeoutMs;
  }

  /** The bound `[host, port]`: with port 0, the port the OS picked. */
  getsockname(): AddressTuple {
    if (this.closedFlag) throw new SocketClosedError();
    return [this.name[0], this.name[1]];
  }

  /** Node's view of the bound address: `{ address, family, port }`. */
  address(): AddressInfo {
    if (this.closedFlag) throw new SocketClosedError();
    return this._server.address() as AddressInfo;
  }

  /** The listening descriptor, or -1. */
  fileno(): number {
    if (this.closedFlag) return -1;
    const fd = (this._server as unknown as { _handle?: { fd?: number } })._handle?.fd;
    return typeof fd === 'number' ? fd : -1;
  }

  /** @internal */
  _readiness(): number {
    if (this.closedFlag) return POLLNVAL;
    if (this.head < this.queue.length) return POLLIN;
    return this.error !== undefined ? POLLIN | POLLERR : 0;
  }
  /** @internal */
  _watch(fn: () => void): void {
    (this.watchers ??= new Watchers()).add(fn);
  }
  /** @internal */
  _unwatch(fn: () => void): void {
    if (this.watchers?.delete(fn)) this.watchers = undefined;
  }

  toString(): string {
    return `<GreenServer ${this.closedFlag ? 'closed' : formatAddress(this.name[0], this.name[1])}>`;
  }
}
