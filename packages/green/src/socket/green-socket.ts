import type { Socket } from 'node:net';
import type { Operation } from '@verdant/hub';
import { checkFlag, DONE, Done } from '@verdant/hub/internal';
import { ByteQueue } from '../internal/byte-queue.js';
import {
  checkBytes,
  checkChoice,
  checkSize,
  checkTimeout,
  describeValue,
} from '../internal/check.js';
import { POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT, Watchers } from '../internal/readiness.js';
import { type AddressTuple, formatAddress } from './address.js';
import {
  BlockingIOError,
  BrokenPipeError,
  SocketClosedError,
  SocketError,
  translateError,
} from './errors.js';
import { openCounts } from './open-counts.js';
import { ParkSlot } from './park-slot.js';
import { ReceiveOperation } from './receive-operation.js';
import { SocketFile } from './socket-file.js';
import type { SocketLike } from './socket-like.js';

/** Stop reading from the kernel once this much received data waits unread. */
const HIGH_WATER = 64 * 1024;
const EMPTY: Buffer = Buffer.alloc(0);

function socketClosed(): void {
  openCounts.sockets--;
}

/** `shutdown(how)`: stop receiving. */
export const SHUT_RD = 0;
/** `shutdown(how)`: stop sending (sends FIN: the peer's recv returns an empty buffer). */
export const SHUT_WR = 1;
/** `shutdown(how)`: both. */
export const SHUT_RDWR = 2;

/** `setsockopt` levels and options Node can set on TCP sockets (Linux values). */
export const SOL_SOCKET = 1;
export const SO_KEEPALIVE = 9;
export const IPPROTO_TCP = 6;
export const TCP_NODELAY = 1;

/**
 * A connected TCP socket whose blocking calls are operations: Python's
 * socket object, greened. Get one from `connect`, `accept`, `socketpair` or
 * `ssl.wrapSocket`.
 *
 * Reading is backpressured: once 64 KB wait unread the socket stops reading
 * from the kernel, so a slow reader slows the peer instead of filling memory.
 * `sendall` returns once Node has handed the bytes to the kernel, so the
 * buffer may be reused at once.
 *
 * @example
 * const [a, b] = yield* socket.socketpair();
 * yield* a.sendall(Buffer.from('ping'));
 * const reply = yield* b.recv(1024); // <Buffer 70 69 6e 67>
 * a.close();
 * b.close();
 */
export class GreenSocket implements SocketLike {
  /** The Node socket underneath; reading it directly bypasses the green buffer. */
  readonly _sock: Socket;
  private readonly inbox = new ByteQueue();
  private paused = false;
  private eof = false;
  private readShut = false;
  private writeShut = false;
  private error: Error | undefined = undefined;
  private closedFlag = false;
  private timeoutMs: number | null = null;
  private readonly reader = new ParkSlot('recv');
  private readonly writer = new ParkSlot('sendall');
  private watchers: Watchers | undefined = undefined;
  private readonly peer: AddressTuple;
  private local: AddressTuple;
  private readonly onWritten: () => void;
  // Listeners are per-socket closures made once per connection: a symbol
  // lookup on Node's socket (whose shapes vary) would be a megamorphic load per chunk.
  private readonly onData: (chunk: Buffer) => void;
  private readonly onEnd: () => void;
  private readonly onError: (error: Error) => void;
  private readonly onDrain: () => void;
  private recvLabel: string | undefined = undefined;
  /** The last finished blocking recv's operation, reused while free (see receiveOperation). */
  private recvOp: ReceiveOperation<Buffer | number> | undefined = undefined;
  private sendLabel: string | undefined = undefined;

  /** Wraps a connected Node socket (or TLS socket). Prefer `connect`/`accept`. */
  constructor(sock: Socket) {
    if (typeof sock !== 'object' || sock === null || typeof sock.write !== 'function') {
      throw new TypeError(
        `new GreenSocket(sock): sock must be a net.Socket, got ${describeValue(sock)}`,
      );
    }
    this._sock = sock;
    this.peer = [sock.remoteAddress ?? '', sock.remotePort ?? 0];
    this.local = [sock.localAddress ?? '', sock.localPort ?? 0];
    this.onWritten = () => {
      if (this._sock.writableLength === 0) this._flushed();
    };
    this.onData = (chunk) => this._received(chunk);
    this.onEnd = () => this._ended();
    this.onError = (error) => this._failed(error);
    this.onDrain = () => this._flushed();
    sock.on('data', this.onData);
    sock.on('end', this.onEnd);
    sock.on('error', this.onError);
    sock.on('close', this.onEnd);
    sock.on('drain', this.onDrain);
    // Accepted sockets arrive paused (pauseOnConnect); start reading now.
    sock.resume();
    if (sock.destroyed) this.eof = true;
    openCounts.sockets++;
  }

  // ---- events from the Node socket --------------------------------------

  /** @internal */
  _received(chunk: Buffer): void {
    if (this.readShut) return;
    const inbox = this.inbox;
    inbox.push(chunk);
    if (inbox.length >= HIGH_WATER && !this.paused) {
      // Nobody is keeping up: stop reading from the kernel so TCP pushes back on the peer.
      this.paused = true;
      this._sock.pause();
    }
    this.reader.wake();
    if (this.watchers !== undefined) this.watchers.notify();
  }

  /** @internal */
  _ended(): void {
    this.eof = true;
    this.reader.wake();
    this.writer.wake();
    if (this.watchers !== undefined) this.watchers.notify();
  }

  /** @internal */
  _failed(error: Error): void {
    if (this.error === undefined) this.error = translateError(error);
    this.reader.wake();
    this.writer.wake();
    if (this.watchers !== undefined) this.watchers.notify();
  }

  /** @internal */
  _flushed(): void {
    this.writer.wake();
    if (this.watchers !== undefined) this.watchers.notify();
  }

  // ---- reading ----------------------------------------------------------

  /**
   * Receives up to `n` bytes; waits until at least one byte is there.
   * Returns an empty buffer at EOF (the peer shut down its write side).
   */
  recv(n: number): Operation<Buffer> {
    checkSize('recv(n): n', n);
    // Data already waiting: no generator, no park.
    if (this.inbox.length !== 0 && n !== 0 && !this.closedFlag) return new Done(this.take(n));
    return this.receive(n);
  }

  private receive(n: number): Operation<Buffer> {
    if (n === 0) return new Done(this.checkOpen(EMPTY));
    return this.receiveOperation(n, undefined) as Operation<Buffer>;
  }

  /**
   * The operation of the last blocking recv that finished, when it is still
   * free, so an echo loop allocates none per recv; a new one when it is out
   * again (a recv made and not run yet, or parked).
   */
  private receiveOperation(n: number, into: Uint8Array | undefined): Operation<Buffer | number> {
    const op = this.recvOp;
    if (op !== undefined && !op.busy) return op.reuse(n, into);
    return new ReceiveOperation<Buffer | number>(this as never, n, into);
  }

  /**
   * A blocking recv's operation finished: the next recv may reuse it.
   * @internal
   */
  _receiveFinished(op: ReceiveOperation<Buffer | number>): void {
    this.recvOp = op;
  }

  /**
   * One step of a blocking recv: the bytes (or the count copied into `into`)
   * when ready, EOF's empty result, or the park to wait on before asking again.
   * @internal
   */
  _receiveStep(n: number, into: Uint8Array | undefined): Buffer | number | Operation<undefined> {
    if (this.inbox.length !== 0) return into === undefined ? this.take(n) : this.takeInto(into, n);
    if (this.closedFlag) throw new SocketClosedError();
    if (this.readShut || (this.eof && this.error === undefined))
      return into === undefined ? EMPTY : 0;
    if (this.error !== undefined) throw this.error;
    if (this.timeoutMs === 0) throw new BlockingIOError();
    return this.reader.wait(this.timeoutMs, (this.recvLabel ??= `recv ${this.peerLabel()}`));
  }

  /** @internal */
  _isResult(value: unknown): value is never {
    return typeof value === 'number' || value instanceof Uint8Array;
  }

  /**
   * Receives into `buffer` (up to `nbytes`, default its length) and returns
   * how many bytes arrived; 0 at EOF. Lets a loop reuse one buffer.
   */
  recvInto(buffer: Uint8Array, nbytes?: number): Operation<number> {
    if (!(buffer instanceof Uint8Array)) {
      throw new TypeError(
        `recvInto(buffer): buffer must be a Buffer or Uint8Array, got ${describeValue(buffer)}`,
      );
    }
    const n =
      nbytes === undefined ? buffer.length : checkSize('recvInto(buffer, nbytes): nbytes', nbytes);
    if (n > buffer.length) {
      throw new RangeError(
        `recvInto(buffer, nbytes): nbytes ${n} is larger than the buffer (${buffer.length})`,
      );
    }
    return this.receiveInto(buffer, n);
  }

  private receiveInto(buffer: Uint8Array, n: number): Operation<number> {
    if (n === 0) return new Done(this.checkOpen(0));
    if (this.inbox.length !== 0 && !this.closedFlag) return new Done(this.takeInto(buffer, n));
    return this.receiveOperation(n, buffer) as Operation<number>;
  }

  private take(n: number): Buffer {
    const out = this.inbox.take(n);
    this.consumed();
    return out;
  }

  private takeInto(target: Uint8Array, n: number): number {
    const size = this.inbox.takeInto(target, n);
    this.consumed();
    return size;
  }

  private consumed(): void {
    if (this.paused && this.inbox.length < HIGH_WATER) {
      this.paused = false;
      if (!this.readShut) this._sock.resume();
    }
  }

  // ---- writing ----------------------------------------------------------

  /**
   * Sends all of `data`, waiting while the kernel's send buffer is full.
   * Returns once the bytes are handed to the kernel, so `data` may be reused.
   * The bytes are queued when `sendall` is called (errors such as a closed
   * socket are thrown right there); `yield*` waits for the kernel to take them.
   * Non-blocking (`setblocking(false)`): sends what fits, and throws
   * `BlockingIOError` (its `charactersWritten` says how much went) once the
   * buffer is full, as Python does.
   */
  sendall(data: Uint8Array): Operation<void> {
    checkBytes('sendall(data): data', data);
    this.checkWritable();
    if (data.length === 0) return DONE;
    if (this.timeoutMs === 0) return this.sendallNow(data);
    // Written now, at the call; the operation only waits for the kernel to take it.
    const sock = this._sock;
    // TLS holds every write (writableLength > 0 after it), so the callback-less path
    // would always add an empty write, which costs TLS a ClearOut and a setImmediate.
    if (sock.writableLength !== 0 || (sock as { encrypted?: boolean }).encrypted === true) {
      sock.write(data, this.onWritten);
      return sock.writableLength === 0 ? DONE : this.flushing();
    }
    // Nothing queued: the kernel usually takes a small write whole and at once, so
    // no per-write callback. A write error then reaches 'error' (_failed), which the
    // next send or recv throws.
    if (!sock.write(data)) return this.flushing(); // 'drain' wakes the writer
    if (sock.writableLength === 0) return DONE;
    // Queued below the high-water mark: Node still holds `data` (not a copy), so wait
    // until it is written; the callback of an empty write after it says when.
    sock.write(EMPTY, this.onWritten);
    return this.flushing();
  }

  /**
   * Sends `data` and returns how many bytes were sent: all of them when
   * blocking (Node queues what the kernel does not take at once, and `send`
   * waits for it). Non-blocking (`setblocking(false)`), Python's contract:
   * what fits in Node's write buffer is sent and counted, possibly fewer
   * bytes than given, and `BlockingIOError` once the buffer is full.
   */
  send(data: Uint8Array): Operation<number> {
    checkBytes('send(data): data', data);
    if (this.timeoutMs === 0) return new Done(this.sendNow(data));
    const sending = this.sendall(data);
    return sending === DONE ? new Done(data.length) : this.sendCounted(sending, data.length);
  }

  /** Non-blocking send: queues what fits under Node's high-water mark, never more. */
  private sendNow(data: Uint8Array): number {
    this.checkWritable();
    if (data.length === 0) return 0;
    const n = this.writeSome(data);
    if (n === 0) throw new BlockingIOError();
    return n;
  }

  /**
   * Non-blocking sendall, Python's contract: send until everything is taken
   * or the buffer is full, and then `BlockingIOError` with the count that
   * went (`charactersWritten`), instead of queueing the rest without bound.
   */
  private sendallNow(data: Uint8Array): Operation<void> {
    let sent = 0;
    // Each write the kernel takes at once empties Node's queue again, so loop while there is room.
    while (sent < data.length) {
      const n = this.writeSome(data.subarray(sent));
      if (n === 0) throw new BlockingIOError(undefined, sent);
      sent += n;
    }
    return DONE;
  }

  /** Queues the part of `data` that fits under Node's high-water mark; how many bytes. */
  private writeSome(data: Uint8Array): number {
    const sock = this._sock;
    const room = sock.writableHighWaterMark - sock.writableLength;
    if (room <= 0) return 0;
    const n = Math.min(room, data.length);
    // A copy: Node holds on to what it queues, and the caller may reuse `data` at once.
    sock.write(Buffer.from(data.subarray(0, n)), this.onWritten);
    return n;
  }

  private *sendCounted(sending: Operation<void>, length: number): Operation<number> {
    yield* sending;
    return length;
  }

  /** Waits until Node's write queue is empty (the kernel took everything). */
  private *flushing(): Operation<void> {
    const sock = this._sock;
    while (sock.writableLength !== 0) {
      if (this.closedFlag) throw new SocketClosedError();
      if (this.error !== undefined) throw this.error;
      if (sock.destroyed) throw new BrokenPipeError('Broken pipe: the connection closed', 'EPIPE');
      if (this.timeoutMs === 0) return; // non-blocking: Node keeps the rest queued
      yield* this.writer.wait(this.timeoutMs, (this.sendLabel ??= `sendall ${this.peerLabel()}`));
    }
  }

  private checkOpen<T>(value: T): T {
    if (this.closedFlag) throw new SocketClosedError();
    return value;
  }

  private checkWritable(): void {
    if (this.closedFlag) throw new SocketClosedError();
    if (this.error !== undefined) throw this.error;
    if (this.writeShut)
      throw new BrokenPipeError('Broken pipe: this socket was shut down for writing', 'EPIPE');
    if (this._sock.destroyed || !this._sock.writable) {
      throw new BrokenPipeError('Broken pipe: the connection is closed for writing', 'EPIPE');
    }
  }

  // ---- state ------------------------------------------------------------

  /**
   * Python's `settimeout`: blocking calls throw `SocketTimeout` after `ms`;
   * `null` blocks forever (the default); `0` makes them non-blocking
   * (`BlockingIOError` instead of waiting).
   */
  setTimeout(ms: number | null): void {
    this.timeoutMs = checkTimeout('setTimeout(ms): ms', ms);
  }

  /** The timeout set with `setTimeout`, or null. */
  getTimeout(): number | null {
    return this.timeoutMs;
  }

  /** Python's `setblocking`: `false` is `setTimeout(0)`, `true` is `setTimeout(null)`. */
  setblocking(flag: boolean): void {
    this.timeoutMs = checkFlag('setblocking(flag)', 'flag', flag) ? null : 0;
  }

  /** Stops receiving (`SHUT_RD`), sending (`SHUT_WR`: the peer reads EOF), or both. */
  shutdown(how: number): void {
    checkChoice(
      'shutdown(how): how',
      how,
      [SHUT_RD, SHUT_WR, SHUT_RDWR],
      'SHUT_RD (0), SHUT_WR (1) or SHUT_RDWR (2)',
    );
    if (this.closedFlag) throw new SocketClosedError();
    if (how !== SHUT_WR && !this.readShut) {
      this.readShut = true;
      this.inbox.clear();
      this._sock.pause();
      this.reader.wake();
    }
    if (how !== SHUT_RD && !this.writeShut) {
      this.writeShut = true;
      this._sock.end();
    }
    if (this.watchers !== undefined) this.watchers.notify();
  }

  /**
   * Closes the socket. A thread blocked on it gets `SocketClosedError`; later
   * calls throw it too. Safe to call twice.
   */
  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    const sock = this._sock;
    // Counted open until Node really closes the fd, so a leak shows in assertIdle().
    if (sock.closed) openCounts.sockets--;
    else sock.once('close', socketClosed);
    // Bytes still queued in Node mean a sendall was killed or timed out: waiting for a
    // peer that may never read would hold the fd and the payload forever, so drop them.
    // A completed sendall leaves nothing queued, so its data was handed to the kernel.
    sock.destroy();
    this.inbox.clear();
    this.reader.wake();
    this.writer.wake();
    if (this.watchers !== undefined) this.watchers.notify();
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.closedFlag;
  }

  /** The remote `[host, port]`. */
  getpeername(): AddressTuple {
    if (this.closedFlag) throw new SocketClosedError();
    return [this.peer[0], this.peer[1]];
  }

  /** The local `[host, port]`. */
  getsockname(): AddressTuple {
    if (this.closedFlag) throw new SocketClosedError();
    if (this._sock.localPort !== undefined) {
      this.local = [this._sock.localAddress ?? '', this._sock.localPort];
    }
    return [this.local[0], this.local[1]];
  }

  /**
   * Sets the options Node can set: `(IPPROTO_TCP, TCP_NODELAY, 0|1)` and
   * `(SOL_SOCKET, SO_KEEPALIVE, 0|1)`. Anything else throws, rather than
   * silently doing nothing.
   */
  setsockopt(level: number, option: number, value: number | boolean): void {
    if (this.closedFlag) throw new SocketClosedError();
    if (typeof value !== 'number' && typeof value !== 'boolean') {
      throw new TypeError(
        `setsockopt(level, option, value): value must be a number or boolean, got ${describeValue(value)}`,
      );
    }
    const on = Boolean(value);
    if (level === IPPROTO_TCP && option === TCP_NODELAY) {
      this._sock.setNoDelay(on);
      this.options.set('nodelay', on);
    } else if (level === SOL_SOCKET && option === SO_KEEPALIVE) {
      this._sock.setKeepAlive(on);
      this.options.set('keepalive', on);
    } else {
      throw new SocketError(
        `setsockopt(${level}, ${option}): Node cannot set this option; supported are (IPPROTO_TCP, TCP_NODELAY) and (SOL_SOCKET, SO_KEEPALIVE)`,
        'ENOPROTOOPT',
      );
    }
  }

  private readonly options = new Map<string, boolean>();

  /** Reads back an option set with `setsockopt` (0 when never set). */
  getsockopt(level: number, option: number): number {
    if (level === IPPROTO_TCP && option === TCP_NODELAY) return this.options.get('nodelay') ? 1 : 0;
    if (level === SOL_SOCKET && option === SO_KEEPALIVE)
      return this.options.get('keepalive') ? 1 : 0;
    throw new SocketError(`getsockopt(${level}, ${option}): option not supported`, 'ENOPROTOOPT');
  }

  /** The OS file descriptor, or -1 once closed (or when Node has none). */
  fileno(): number {
    if (this.closedFlag) return -1;
    const fd = (this._sock as unknown as { _handle?: { fd?: number } })._handle?.fd;
    return typeof fd === 'number' ? fd : -1;
  }

  /**
   * A buffered file over this socket (Python's `makefile`): `read`,
   * `readExactly`, `readline`, `readlines`, `eachLine`, `write`, `flush`.
   */
  makefile(mode = 'rwb'): SocketFile<this> {
    if (this.closedFlag) throw new SocketClosedError();
    return new SocketFile(this, mode);
  }

  // ---- readiness (select/poll) --------------------------------------------

  /** @internal */
  _readiness(): number {
    if (this.closedFlag) return POLLNVAL;
    let bits = 0;
    if (this.inbox.length !== 0 || this.eof || this.readShut) bits |= POLLIN;
    if (this.eof) bits |= POLLHUP;
    if (this.error !== undefined) bits |= POLLERR | POLLIN;
    if (!this._sock.writableNeedDrain && !this.writeShut) bits |= POLLOUT;
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

  /**
   * Unhooks the Node socket (for `ssl.wrapSocket`): unread bytes go back into
   * it, and this GreenSocket counts as closed.
   * @internal
   */
  _detach(): Socket {
    if (this.closedFlag) throw new SocketClosedError();
    if (this.reader.busy || this.writer.busy) {
      throw new Error('cannot wrap a socket while another green thread is blocked on it');
    }
    const sock = this._sock;
    sock.pause();
    sock.off('data', this.onData);
    sock.off('end', this.onEnd);
    sock.off('error', this.onError);
    sock.off('close', this.onEnd);
    sock.off('drain', this.onDrain);
    const unread = this.inbox.drain();
    for (let i = unread.length - 1; i >= 0; i--) sock.unshift(unread[i]!);
    this.closedFlag = true;
    openCounts.sockets--;
    return sock;
  }

  private peerLabel(): string {
    return formatAddress(this.peer[0], this.peer[1]);
  }

  toString(): string {
    return `<GreenSocket ${this.closedFlag ? 'closed' : this.peerLabel()}>`;
  }
}
