import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { type Operation, suspend } from '@verdant/hub';
import { ByteQueue } from '../internal/byte-queue.js';
import { checkInteger } from '../internal/check.js';

const NEWLINE = 0x0a;

/** What a GreenFile reads back: bytes, or text when it was given an encoding. */
export type FileData = string | Buffer;

/**
 * A file object over a Node stream (a child's stdout, a pipe end), with
 * Python's blocking methods as operations: `read`, `read1`, `readline`,
 * `readlines`, `write`, `close`. Reads pull from the stream in paused mode,
 * so an unread pipe pushes back on its writer instead of filling memory.
 * With an `encoding` it returns strings (read sizes still count bytes).
 *
 * @example
 * const proc = new subprocess.Popen(['printf', 'a\\nb\\n'], { stdout: subprocess.PIPE, text: true });
 * const lines: string[] = [];
 * for (let line; (line = yield* proc.stdout!.readline()) !== ''; ) lines.push(line);
 * yield* proc.wait(); // lines: ['a\n', 'b\n']
 */
export class GreenFile<T extends FileData = Buffer> {
  /** Python's `name`: what the file stands for, for messages. */
  readonly name: string;
  private readonly input: Readable | undefined;
  private readonly output: Writable | undefined;
  private readonly decoder: StringDecoder | undefined;
  private readonly encoding: BufferEncoding | undefined;
  private readonly inbox = new ByteQueue();
  private eof = false;
  private error: unknown = undefined;
  private isClosed = false;
  private collecting = false;
  /** Called (once) when the stream has ended, for collectors. */
  private onCollected: (() => void) | undefined = undefined;

  constructor(
    stream: Readable | Writable,
    options: { encoding?: BufferEncoding | undefined; name?: string } = {},
  ) {
    const s = stream as Partial<Readable & Writable>;
    const readable = typeof s.read === 'function' && s.readable !== false;
    const writable = typeof s.write === 'function' && s.writable !== false;
    if (!readable && !writable) {
      throw new TypeError('new GreenFile(stream): stream must be a Node Readable or Writable');
    }
    this.input = readable ? (stream as Readable) : undefined;
    this.output = writable ? (stream as Writable) : undefined;
    this.encoding = options.encoding;
    this.decoder = options.encoding ? new StringDecoder(options.encoding) : undefined;
    this.name = options.name ?? '<stream>';
    // Recorded, then rethrown to the next reader or writer instead of crashing the process.
    stream.on('error', (e: unknown) => {
      this.error ??= e;
    });
    // Claim the stream for paused-mode reading. Without a reader, Node's child_process
    // resumes (discards) a child's stdout once the child exits, before we read it.
    this.input?.on('readable', claim);
  }

  /** True once the file has been closed with `close()`. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** The Node stream underneath (to pipe it elsewhere). */
  get stream(): Readable | Writable {
    return (this.input ?? this.output)!;
  }

  /** The OS file descriptor when the stream has one (a pipe or socket), else -1. */
  fileno(): number {
    const handle = (this.stream as unknown as { _handle?: { fd?: number } })._handle;
    return typeof handle?.fd === 'number' ? handle.fd : -1;
  }

  /**
   * Reads up to `n` bytes, returning fewer only at end of file; with no `n`
   * (or a negative one) reads everything up to end of file. Empty at EOF.
   */
  read(n = -1): Operation<T> {
    checkCount('GreenFile.read(n): n', n);
    this.checkReadable('read');
    return this.readBytes(n < 0 ? Number.POSITIVE_INFINITY : n, false);
  }

  /** Reads whatever is available, at most `n` bytes, waiting only if nothing is; empty at EOF. */
  read1(n = 65536): Operation<T> {
    checkCount('GreenFile.read1(n): n', n);
    this.checkReadable('read1');
    return this.readBytes(n < 0 ? Number.POSITIVE_INFINITY : n, true);
  }

  /** Reads one line, with its `\n`; a last line without one at EOF; empty at EOF. */
  readline(limit = -1): Operation<T> {
    checkCount('GreenFile.readline(limit): limit', limit);
    this.checkReadable('readline');
    return this.readLine(limit < 0 ? Number.POSITIVE_INFINITY : limit);
  }

  /** Reads every remaining line. */
  *readlines(): Operation<T[]> {
    const lines: T[] = [];
    for (;;) {
      const line = yield* this.readline();
      if (line.length === 0) return lines;
      lines.push(line);
    }
  }

  /**
   * Writes all of `data`, waiting while the stream is backed up (a slow
   * reader pauses the writer). Returns the number of bytes written.
   */
  write(data: string | Uint8Array): Operation<number> {
    if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
      throw new TypeError(
        `GreenFile.write(data): data must be a string or Uint8Array, got ${typeof data}`,
      );
    }
    if (this.output === undefined) throw new TypeError(`GreenFile ${this.name} is not writable`);
    if (this.isClosed) throw new Error(`I/O operation on closed file ${this.name}`);
    return this.writeAll(data);
  }

  private *writeAll(data: string | Uint8Array): Operation<number> {
    const out = this.output!;
    if (this.error !== undefined) throw this.error;
    // A destroyed or ended stream never emits 'drain' again: writing would park forever.
    if (out.destroyed || out.writableEnded) throw this.brokenPipe(out);
    const size = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
    if (!out.write(data)) {
      yield* suspend<void>((resume, fail) => {
        // Destroyed by the write itself (or before we parked): its 'close' may be gone already.
        if (out.destroyed) {
          fail(this.brokenPipe(out));
          return;
        }
        const onDrain = () => resume();
        const onError = (e: unknown) => fail(e);
        const onClose = () =>
          fail(
            this.error ??
              Object.assign(new Error('EPIPE: the reader went away'), { code: 'EPIPE' }),
          );
        out.on('drain', onDrain);
        out.on('error', onError);
        out.on('close', onClose);
        return () => {
          out.off('drain', onDrain);
          out.off('error', onError);
          out.off('close', onClose);
        };
      }, `write ${this.name}`);
    }
    return size;
  }

  private brokenPipe(out: Writable): unknown {
    return (
      this.error ??
      out.errored ??
      Object.assign(new Error(`EPIPE: ${this.name}: the reader went away`), { code: 'EPIPE' })
    );
  }

  /** Nothing is buffered on our side: Node's stream writes as it can. Kept for Python's shape. */
  *flush(): Operation<void> {}

  /**
   * Closes the file: a writable end is ended (the reader sees EOF) once its
   * data is flushed; a readable end is destroyed.
   */
  *close(): Operation<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    const out = this.output;
    if (out !== undefined && !out.writableFinished && !out.destroyed) {
      yield* suspend<void>((resume) => {
        const done = () => resume();
        out.once('finish', done);
        out.once('close', done);
        out.once('error', done);
        out.end();
        return () => {
          out.off('finish', done);
          out.off('close', done);
          out.off('error', done);
        };
      }, `close ${this.name}`);
    }
    if (this.input !== undefined) this.input.destroy();
  }

  /** Closes without waiting for buffered writes: for clean-up paths. */
  closeNow(): void {
    this.isClosed = true;
    this.output?.end();
    this.input?.destroy();
  }

  /** @internal communicate(): writes `data` (if any), ends the stream, marks the file closed. */
  _endWith(data: string | Uint8Array | null): void {
    this.isClosed = true;
    if (data !== null && data.length > 0) this.output?.end(data);
    else this.output?.end();
  }

  // ---- reading --------------------------------------------------------------

  private checkReadable(what: string): void {
    if (this.input === undefined) throw new TypeError(`GreenFile ${this.name} is not readable`);
    if (this.isClosed) throw new Error(`${what}: I/O operation on closed file ${this.name}`);
    if (this.collecting) throw new Error(`${what}: ${this.name} is being drained by communicate()`);
  }

  private *readBytes(n: number, any: boolean): Operation<T> {
    for (;;) {
      this.pull();
      const buffered = this.inbox.length;
      if (buffered >= n || this.eof || (any && buffered > 0)) break;
      yield* this.waitForData();
    }
    return this.decode(this.inbox.take(n));
  }

  private *readLine(limit: number): Operation<T> {
    let scanned = 0;
    for (;;) {
      this.pull();
      const end = this.inbox.indexOf(NEWLINE, scanned);
      if (end >= 0) return this.decode(this.inbox.take(Math.min(end + 1, limit)));
      if (this.inbox.length >= limit || this.eof) break;
      scanned = this.inbox.length;
      yield* this.waitForData();
    }
    return this.decode(this.inbox.take(limit));
  }

  /** Moves what the stream has buffered into ours, without waiting. */
  private pull(): void {
    if (this.error !== undefined && this.inbox.length === 0) {
      const e = this.error;
      this.error = undefined;
      this.eof = true;
      throw e;
    }
    const input = this.input!;
    let chunk: Buffer | string | null;
    while ((chunk = input.read()) !== null) {
      this.inbox.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    }
    if (input.readableEnded || (input.destroyed && input.readableLength === 0)) this.eof = true;
  }

  private waitForData(): Operation<void> {
    const input = this.input!;
    return suspend<void>((resume) => {
      const wake = () => resume();
      input.on('readable', wake);
      input.on('end', wake);
      input.on('error', wake);
      input.on('close', wake);
      return () => {
        input.off('readable', wake);
        input.off('end', wake);
        input.off('error', wake);
        input.off('close', wake);
      };
    }, `read ${this.name}`);
  }

  private decode(buf: Buffer): T {
    if (this.decoder === undefined) return buf as T;
    let text = this.decoder.write(buf);
    if (this.eof && this.inbox.length === 0) text += this.decoder.end();
    return text as T;
  }

  // ---- communicate() support -------------------------------------------------

  /**
   * @internal Switches the file to draining: everything buffered and every
   * later chunk is kept for `collected()`; `onEnd` runs once at end of file.
   */
  _collect(onEnd: () => void): void {
    if (this.collecting) return;
    this.collecting = true;
    this.onCollected = onEnd;
    const input = this.input!;
    input.off('readable', claim); // a 'readable' listener would keep 'data' from flowing
    const finish = () => {
      const cb = this.onCollected;
      this.onCollected = undefined;
      cb?.();
    };
    input.on('data', (chunk: Buffer | string) => {
      this.inbox.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    });
    input.once('end', finish);
    input.once('close', finish);
    if (input.readableEnded || input.destroyed) queueMicrotask(finish);
    input.resume();
  }

  /** @internal A copy of what has been collected so far (for TimeoutExpired). */
  _peekCollected(): T {
    const buf = this.inbox.peekAll();
    return (this.encoding ? buf.toString(this.encoding) : buf) as T;
  }

  /** @internal Everything collected so far, consumed. */
  _takeCollected(): T {
    const buf = this.inbox.take(this.inbox.length);
    if (this.decoder === undefined) return buf as T;
    return (this.decoder.write(buf) +
      (this.onCollected === undefined ? this.decoder.end() : '')) as T;
  }
}

function claim(): void {}

/** A byte count where a negative one means "no limit". */
function checkCount(what: string, n: unknown): void {
  checkInteger(
    what,
    n,
    Number.NEGATIVE_INFINITY,
    Number.POSITIVE_INFINITY,
    'an integer number of bytes',
  );
}
