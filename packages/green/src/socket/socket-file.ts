import type { Operation } from '@verdant/hub';
import { ByteQueue } from '../internal/byte-queue.js';
import { checkFunction, checkSize, describeValue } from '../internal/check.js';
import { POLLIN, POLLNVAL, type Selectable } from '../internal/readiness.js';
import { SocketError } from './errors.js';
import type { SocketLike } from './socket-like.js';

const READ_SIZE = 65536;
const WRITE_BUFFER = 65536;
const NEWLINE = 0x0a;

/**
 * `readExactly(n)` met EOF first; `partial` holds what did arrive (asyncio's
 * `IncompleteReadError`).
 *
 * @example
 * const [a, b] = yield* socket.socketpair();
 * yield* a.sendall(Buffer.from('ab'));
 * a.close();
 * try {
 *   yield* b.makefile().readExactly(4);
 * } catch (e) {
 *   if (e instanceof socket.IncompleteReadError) console.log(e.partial.toString()); // 'ab'
 * } finally {
 *   b.close();
 * }
 */
export class IncompleteReadError extends SocketError {
  readonly partial: Buffer;
  readonly expected: number;
  constructor(partial: Buffer, expected: number) {
    super(`${partial.length} bytes read on a total of ${expected} expected bytes`);
    this.partial = partial;
    this.expected = expected;
  }
}

/**
 * A buffered file over a green socket, from `sock.makefile()`: Python's
 * socket file with line reading. Closing it does not close the socket.
 *
 * @example
 * const [a, b] = yield* socket.socketpair();
 * const out = a.makefile('wb');
 * yield* out.write('first line\nsecond line\n');
 * yield* out.flush();
 * const lines = b.makefile('rb');
 * (yield* lines.readline()).toString(); // 'first line\n'
 * a.close();
 * b.close();
 */
export class SocketFile<S extends SocketLike = SocketLike> implements Selectable {
  readonly socket: S;
  readonly mode: string;
  private readonly inbox = new ByteQueue();
  private wbuf: Buffer[] = [];
  private wsize = 0;
  private eof = false;
  private closedFlag = false;

  constructor(socket: S, mode = 'rwb') {
    if (typeof mode !== 'string' || !/^[rwb]+$/.test(mode)) {
      throw new TypeError(
        `makefile(mode): mode must use the letters r, w, b (e.g. 'rwb'), got ${describeValue(mode)}`,
      );
    }
    this.socket = socket;
    this.mode = mode;
  }

  /** True once `close()` ran. */
  get closed(): boolean {
    return this.closedFlag;
  }

  private check(op: string, flag: 'r' | 'w'): void {
    if (this.closedFlag) throw new SocketError(`${op}: I/O operation on closed file`, 'EBADF');
    if (!this.mode.includes(flag)) {
      throw new SocketError(
        `${op}: file not open for ${flag === 'r' ? 'reading' : 'writing'}`,
        'EBADF',
      );
    }
  }

  /** Reads more into the buffer; false at EOF. */
  private *fillBuffer(): Operation<boolean> {
    if (this.eof) return false;
    const data = yield* this.socket.recv(READ_SIZE);
    if (data.length === 0) {
      this.eof = true;
      return false;
    }
    this.inbox.push(data);
    return true;
  }

  /** Reads `n` bytes, fewer only at EOF; with no `n` (or -1), reads to EOF. */
  read(n = -1): Operation<Buffer> {
    if (n !== -1) checkSize('read(n): n', n);
    this.check('read', 'r');
    return this.reading(n);
  }

  private *reading(n: number): Operation<Buffer> {
    while (n < 0 || this.inbox.length < n) {
      if (!(yield* this.fillBuffer())) break;
    }
    return this.inbox.take(n < 0 ? this.inbox.length : n);
  }

  /** Reads exactly `n` bytes or throws `IncompleteReadError` at EOF. */
  readExactly(n: number): Operation<Buffer> {
    checkSize('readExactly(n): n', n);
    this.check('readExactly', 'r');
    return this.readingExactly(n);
  }

  private *readingExactly(n: number): Operation<Buffer> {
    const data = yield* this.reading(n);
    if (data.length < n) throw new IncompleteReadError(data, n);
    return data;
  }

  /**
   * Reads one line, `\n` included; at most `limit` bytes when given. An
   * empty buffer means EOF.
   */
  readline(limit = -1): Operation<Buffer> {
    if (limit !== -1) checkSize('readline(limit): limit', limit);
    this.check('readline', 'r');
    return this.readingLine(limit);
  }

  private *readingLine(limit: number): Operation<Buffer> {
    let scanned = 0;
    for (;;) {
      const inbox = this.inbox;
      const at = inbox.indexOf(NEWLINE, scanned);
      if (at >= 0 && (limit < 0 || at < limit)) return inbox.take(at + 1);
      if (limit >= 0 && inbox.length >= limit) return inbox.take(limit);
      scanned = inbox.length;
      if (!(yield* this.fillBuffer())) return inbox.take(inbox.length);
    }
  }

  /** Reads every line until EOF. */
  readlines(): Operation<Buffer[]> {
    this.check('readlines', 'r');
    return this.readingLines();
  }

  private *readingLines(): Operation<Buffer[]> {
    const lines: Buffer[] = [];
    for (;;) {
      const line = yield* this.readingLine(-1);
      if (line.length === 0) return lines;
      lines.push(line);
    }
  }

  /**
   * Iterates over the lines as they arrive, running `fn` on each (Python's
   * `for line in f`); stops at EOF.
   */
  eachLine(fn: (line: Buffer) => Operation<unknown>): Operation<void> {
    checkFunction('eachLine(fn): fn', fn, 'a generator function');
    this.check('eachLine', 'r');
    return this.iterating(fn);
  }

  private *iterating(fn: (line: Buffer) => Operation<unknown>): Operation<void> {
    for (;;) {
      const line = yield* this.readingLine(-1);
      if (line.length === 0) return;
      yield* fn(line);
    }
  }

  /**
   * Buffers `data` (a Buffer, or a string sent as UTF-8) and sends once 64 KB
   * pile up; returns the byte count. Call `flush()` to send the rest.
   */
  write(data: Uint8Array | string): Operation<number> {
    let bytes: Uint8Array;
    if (typeof data === 'string') bytes = Buffer.from(data, 'utf8');
    else if (data instanceof Uint8Array) bytes = data;
    else
      throw new TypeError(
        `write(data): data must be a Buffer, Uint8Array or string, got ${describeValue(data)}`,
      );
    this.check('write', 'w');
    return this.writing(bytes);
  }

  private *writing(bytes: Uint8Array): Operation<number> {
    // Copy: the caller may reuse its buffer before we flush.
    this.wbuf.push(Buffer.from(bytes));
    this.wsize += bytes.length;
    if (this.wsize >= WRITE_BUFFER) yield* this.flushing();
    return bytes.length;
  }

  /** Sends everything buffered by `write`. */
  flush(): Operation<void> {
    this.check('flush', 'w');
    return this.flushing();
  }

  private *flushing(): Operation<void> {
    if (this.wsize === 0) return;
    const data = this.wbuf.length === 1 ? this.wbuf[0]! : Buffer.concat(this.wbuf);
    this.wbuf = [];
    this.wsize = 0;
    yield* this.socket.sendall(data);
  }

  /** Flushes and closes the file (not the socket: close that too). */
  *close(): Operation<void> {
    if (this.closedFlag) return;
    try {
      if (this.mode.includes('w') && !this.socket.closed) yield* this.flushing();
    } finally {
      this.closedFlag = true;
      this.inbox.clear();
    }
  }

  /** @internal */
  _readiness(): number {
    if (this.closedFlag) return POLLNVAL;
    const bits = this.socket._readiness();
    return this.inbox.length !== 0 ? bits | POLLIN : bits;
  }
  /** @internal */
  _watch(fn: () => void): void {
    this.socket._watch(fn);
  }
  /** @internal */
  _unwatch(fn: () => void): void {
    this.socket._unwatch(fn);
  }
  /** The socket's descriptor. */
  fileno(): number {
    return this.closedFlag ? -1 : this.socket.fileno();
  }
}
