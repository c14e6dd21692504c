import * as dgram from 'node:dgram';
import { type Operation, suspend } from '@verdant/hub';
import {
  checkBoolean,
  checkBytes,
  checkOptions,
  checkSize,
  checkTimeout,
  describeValue,
} from '../internal/check.js';
import {
  POLLERR,
  POLLIN,
  POLLNVAL,
  POLLOUT,
  type Selectable,
  Watchers,
} from '../internal/readiness.js';
import { type Address, type AddressTuple, formatAddress, toHostPort } from './address.js';
import { awaitListening } from './await-listening.js';
import { BlockingIOError, SocketClosedError, SocketError, translateError } from './errors.js';
import { openCounts } from './open-counts.js';
import { ParkSlot } from './park-slot.js';

/** Datagrams kept waiting for `recvfrom`; beyond this new ones are dropped, as a full kernel buffer would. */
const MAX_QUEUED = 4096;

/** Options for `udpSocket`. */
export interface UdpOptions {
  /** `'udp4'` (default) or `'udp6'`. */
  type?: 'udp4' | 'udp6';
  /** SO_REUSEADDR for `bind`. */
  reuseAddr?: boolean;
}

type Datagram = { data: Buffer; from: AddressTuple };

/**
 * A UDP socket (Python's `socket(AF_INET, SOCK_DGRAM)`): `bind`, `sendto`,
 * `recvfrom`, `close`. Create it with `udpSocket()`.
 *
 * @example
 * const server = socket.udpSocket();
 * yield* server.bind(['127.0.0.1', 0]);
 * const client = socket.udpSocket();
 * yield* client.sendto(Buffer.from('ping'), server.getsockname());
 * const [data, from] = yield* server.recvfrom(2048);
 * yield* server.sendto(data, from);
 * (yield* client.recvfrom(2048))[0].toString(); // 'ping'
 * client.close();
 * server.close();
 */
export class UdpSocket implements Selectable {
  /** The Node dgram socket underneath. */
  readonly _sock: dgram.Socket;
  private queue: Datagram[] = [];
  private head = 0;
  private bound = false;
  private closedFlag = false;
  private error: Error | undefined = undefined;
  private timeoutMs: number | null = null;
  private readonly reader = new ParkSlot('recvfrom');
  private watchers: Watchers | undefined = undefined;
  /** Datagrams dropped because nobody read them in time. */
  dropped = 0;

  constructor(options: UdpOptions = {}) {
    const type = options.type === undefined ? 'udp4' : options.type;
    if (type !== 'udp4' && type !== 'udp6') {
      throw new TypeError(
        `udpSocket({ type }): type must be 'udp4' or 'udp6', got ${describeValue(type)}`,
      );
    }
    const reuseAddr =
      checkBoolean('udpSocket({ reuseAddr }): reuseAddr', options.reuseAddr) ?? false;
    this._sock = dgram.createSocket({ type, reuseAddr });
    this._sock.on('message', (data: Buffer, info: dgram.RemoteInfo) => {
      if (this.queue.length - this.head >= MAX_QUEUED) {
        this.dropped++;
        return;
      }
      this.queue.push({ data, from: [info.address, info.port] });
      this.reader.wake();
      this.watchers?.notify();
    });
    this._sock.on('error', (error: Error) => {
      this.error = translateError(error);
      this.reader.wake();
      this.watchers?.notify();
    });
    this._sock.on('listening', () => {
      this.bound = true;
    });
    openCounts.udp++;
  }

  /** Binds to a local address; port 0 picks a free one (see `getsockname`). */
  bind(address: Address): Operation<void> {
    const { host, port } = toHostPort(address, 'bind', 'bind(address)');
    if (this.closedFlag) throw new SocketClosedError();
    if (this.bound) throw new SocketError('bind(address): this socket is already bound', 'EINVAL');
    return this.binding(host!, port);
  }

  private *binding(host: string, port: number): Operation<void> {
    const sock = this._sock;
    yield* awaitListening(
      sock,
      () => sock.bind(port, host),
      `bind udp ${formatAddress(host, port)}`,
    );
    this.error = undefined;
  }

  /**
   * Sends one datagram to `address`; returns its size. Binds to a free port
   * first if needed, like Python.
   */
  sendto(data: Uint8Array, address: Address): Operation<number> {
    checkBytes('sendto(data, address): data', data);
    const { host, port } = toHostPort(address, 'sendto', 'sendto(data, address)');
    if (this.closedFlag) throw new SocketClosedError();
    return this.sending(data, host!, port);
  }

  private *sending(data: Uint8Array, host: string, port: number): Operation<number> {
    const sock = this._sock;
    yield* suspend<void>(
      (resume, fail) => {
        sock.send(data, port, host, (error) => {
          if (error) fail(translateError(error));
          else resume(undefined);
        });
      },
      `sendto ${formatAddress(host, port)}`,
    );
    this.bound = true;
    return data.length;
  }

  /**
   * Waits for a datagram; returns its first `n` bytes (the rest is dropped,
   * as in Python) and the sender's `[host, port]`.
   */
  recvfrom(n: number): Operation<[Buffer, AddressTuple]> {
    checkSize('recvfrom(n): n', n);
    if (this.closedFlag) throw new SocketClosedError();
    return this.receiving(n);
  }

  private *receiving(n: number): Operation<[Buffer, AddressTuple]> {
    for (;;) {
      if (this.closedFlag) throw new SocketClosedError();
      if (this.head < this.queue.length) {
        const d = this.queue[this.head]!;
        this.queue[this.head++] = undefined as never;
        if (this.head === this.queue.length) {
          this.queue = [];
          this.head = 0;
        }
        return [d.data.length > n ? d.data.subarray(0, n) : d.data, d.from];
      }
      if (this.error !== undefined) {
        const error = this.error;
        this.error = undefined;
        throw error;
      }
      if (!this.bound) {
        throw new SocketError(
          'recvfrom(n): the socket is not bound: call bind() or sendto() first',
          'EINVAL',
        );
      }
      if (this.timeoutMs === 0) throw new BlockingIOError();
      yield* this.reader.wait(this.timeoutMs, 'recvfrom udp');
    }
  }

  /** Python's `settimeout` for `recvfrom`. */
  setTimeout(ms: number | null): void {
    this.timeoutMs = checkTimeout('setTimeout(ms): ms', ms);
  }

  /** The bound `[host, port]`. */
  getsockname(): AddressTuple {
    if (this.closedFlag) throw new SocketClosedError();
    if (!this.bound) return ['0.0.0.0', 0];
    const a = this._sock.address();
    return [a.address, a.port];
  }

  /** Closes the socket; a thread in `recvfrom` gets `SocketClosedError`. */
  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    openCounts.udp--;
    this._sock.close();
    this.queue = [];
    this.head = 0;
    this.reader.wake();
    this.watchers?.notify();
  }

  /** True once closed. */
  get closed(): boolean {
    return this.closedFlag;
  }

  /** The descriptor, or -1. */
  fileno(): number {
    if (this.closedFlag) return -1;
    const fd = (this._sock as unknown as { _handle?: { fd?: number } })._handle?.fd;
    return typeof fd === 'number' ? fd : -1;
  }

  /** @internal */
  _readiness(): number {
    if (this.closedFlag) return POLLNVAL;
    let bits = POLLOUT;
    if (this.head < this.queue.length) bits |= POLLIN;
    if (this.error !== undefined) bits |= POLLERR | POLLIN;
    return bits;
  }
  /** @internal */
  _watch(fn: () => void): void {
    (this.watchers ??= new Watchers()).add(fn);
  }
  /** @internal */
  _unwatch(fn: () => void): void {
    if (this.watchers?.delete(fn)) this.watchers = undefined;
  }
}

/**
 * A new UDP socket (Python's `socket(AF_INET, SOCK_DGRAM)`).
 *
 * @example
 * const sock = socket.udpSocket({ type: 'udp4' });
 * yield* sock.bind(['127.0.0.1', 0]);
 * sock.getsockname(); // ['127.0.0.1', <port>]
 * sock.close();
 */
export function udpSocket(options: UdpOptions = {}): UdpSocket {
  checkOptions('udpSocket(options): options', options);
  return new UdpSocket(options);
}
