import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Operation, suspend, wait } from '@verdant/hub';
import { checkInteger, describeValue } from '../internal/check.js';
import { GreenFile } from '../subprocess/green-file.js';

type Entry = { file: GreenFile<Buffer>; socket: Socket; readable: boolean; writable: boolean };
/** Pipe and socket fds wrapped in a stream, by fd. */
const streams = new Map<number, Entry>();

function checkFd(what: string, fd: unknown): void {
  checkInteger(`${what}: fd`, fd, 0, Number.POSITIVE_INFINITY, 'an integer file descriptor >= 0');
}

function callback<T>(
  start: (cb: (error: Error | null, value: T) => void) => void,
  label: string,
): Operation<T> {
  return suspend<T>((resume, fail) => {
    start((error, value) => {
      if (error) fail(error);
      else resume(value);
    });
  }, label);
}

function streamFor(fd: number, readable: boolean, writable: boolean): Entry {
  let entry = streams.get(fd);
  if (entry === undefined) {
    const socket = new Socket({ fd, readable, writable });
    entry = { file: new GreenFile(socket, { name: `fd ${fd}` }), socket, readable, writable };
    streams.set(fd, entry);
  }
  return entry;
}

function* kindOf(fd: number): Operation<'stream' | 'file'> {
  if (streams.has(fd)) return 'stream';
  const stat = yield* callback<fs.Stats>((cb) => fs.fstat(fd, cb), `fstat fd ${fd}`);
  return stat.isFIFO() || stat.isSocket() ? 'stream' : 'file';
}

/**
 * Reads at most `n` bytes from `fd`, waiting only until some are available
 * (Python's `os.read`); an empty Buffer means end of file.
 *
 * @example
 * const [r, w] = yield* os.pipe();
 * yield* os.write(w, 'hi');
 * const data = yield* os.read(r, 1024); // <Buffer 68 69>
 * yield* os.close(w);
 * yield* os.close(r);
 */
export function read(fd: number, n: number): Operation<Buffer> {
  checkFd('os.read(fd, n)', fd);
  checkInteger('os.read(fd, n): n', n, 0);
  return readFd(fd, n);
}

function* readFd(fd: number, n: number): Operation<Buffer> {
  if ((yield* kindOf(fd)) === 'stream') {
    const entry = streamFor(fd, true, false);
    if (!entry.readable) throw new TypeError(`os.read: fd ${fd} is the write end of a pipe`);
    if (n === 0) return Buffer.alloc(0);
    return yield* entry.file.read1(n);
  }
  const buf = Buffer.allocUnsafe(n);
  const got = yield* callback<number>((cb) => fs.read(fd, buf, 0, n, null, cb), `read fd ${fd}`);
  return buf.subarray(0, got);
}

/**
 * Writes `data` to `fd` and returns the number of bytes written (Python's
 * `os.write`); on a pipe it waits while the reader is behind.
 *
 * @example
 * const fd = yield* os.open(join(tmpdir(), 'verdant-example.txt'), 'w');
 * const n = yield* os.write(fd, 'hello\n'); // 6
 * yield* os.close(fd);
 */
export function write(fd: number, data: string | Uint8Array): Operation<number> {
  checkFd('os.write(fd, data)', fd);
  if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
    throw new TypeError(
      `os.write(fd, data): data must be a string or Uint8Array, got ${typeof data}`,
    );
  }
  return writeFd(fd, typeof data === 'string' ? Buffer.from(data) : data);
}

function* writeFd(fd: number, data: Uint8Array): Operation<number> {
  if ((yield* kindOf(fd)) === 'stream') {
    const entry = streamFor(fd, false, true);
    if (!entry.writable) throw new TypeError(`os.write: fd ${fd} is the read end of a pipe`);
    return yield* entry.file.write(data);
  }
  return yield* callback<number>(
    (cb) => fs.write(fd, data, 0, data.byteLength, null, cb),
    `write fd ${fd}`,
  );
}

/**
 * Opens a file and returns its fd (`flags` as in Node: 'r', 'w', 'a+'...).
 *
 * @example
 * const fd = yield* os.open('/etc/hostname');
 * const name = (yield* os.read(fd, 256)).toString().trim();
 * yield* os.close(fd);
 */
export function open(path: string, flags: string | number = 'r', mode = 0o666): Operation<number> {
  if (typeof path !== 'string')
    throw new TypeError(`os.open(path): path must be a string, got ${describeValue(path)}`);
  // Checked here, not by Node: a function in their place would become Node's callback.
  if (typeof flags !== 'string' && !(typeof flags === 'number' && Number.isInteger(flags))) {
    const message = `os.open(path, flags): flags must be a string ('r', 'w', 'a+'...) or an integer of fs.constants, got ${describeValue(flags)}`;
    throw typeof flags === 'number' ? new RangeError(message) : new TypeError(message);
  }
  checkInteger('os.open(path, flags, mode): mode', mode, 0, 0o7777, 'an integer from 0 to 0o7777');
  return callback<number>((cb) => fs.open(path, flags, mode, cb), `open ${path}`);
}

/**
 * Closes `fd`; for a pipe end this also closes the stream wrapped around it.
 *
 * @example
 * const [r, w] = yield* os.pipe();
 * yield* os.close(w);
 * (yield* os.read(r, 10)).length; // 0: the write end is closed
 * yield* os.close(r);
 */
export function close(fd: number): Operation<void> {
  checkFd('os.close(fd)', fd);
  return closeFd(fd);
}

function* closeFd(fd: number): Operation<void> {
  const entry = streams.get(fd);
  if (entry === undefined) {
    yield* callback<void>((cb) => fs.close(fd, (e) => cb(e, undefined)), `close fd ${fd}`);
    return;
  }
  streams.delete(fd);
  const socket = entry.socket;
  if (entry.writable && !socket.destroyed) yield* entry.file.close();
  if (!socket.destroyed) socket.destroy();
  if (!socket.closed) {
    yield* suspend<void>((resume) => {
      const done = () => resume();
      socket.once('close', done);
      return () => socket.off('close', done);
    }, `close fd ${fd}`);
  }
}

/**
 * Creates a pipe and returns `[readFd, writeFd]` (Python's `os.pipe`).
 * Node has no pipe(2), so this makes a FIFO with `mkfifo` in a private temp
 * dir, opens both ends and removes the name: the result is an unnamed pipe.
 * It costs a short child process; pass the fds to `os.read`/`os.write`, or
 * to a child as its stdin/stdout.
 *
 * @example
 * const [r, w] = yield* os.pipe();
 * const child = new subprocess.Popen(['echo', 'through a pipe'], { stdout: w });
 * yield* child.wait();
 * (yield* os.read(r, 100)).toString(); // 'through a pipe\n'
 * yield* os.close(w);
 * yield* os.close(r);
 */
export function* pipe(): Operation<[number, number]> {
  const dir = yield* wait(fs.promises.mkdtemp(join(tmpdir(), 'verdant-pipe-')));
  const path = join(dir, 'fifo');
  try {
    yield* callback<void>(
      (cb) => execFile('mkfifo', ['-m', '600', path], (e) => cb(e, undefined)),
      'mkfifo',
    );
    // Non-blocking, so opening the read end does not wait for a writer; the write end then opens at once.
    const r = yield* callback<number>(
      (cb) => fs.open(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK, cb),
      'open fifo',
    );
    const w = yield* callback<number>(
      (cb) => fs.open(path, fs.constants.O_WRONLY, cb),
      'open fifo',
    );
    return [r, w];
  } finally {
    yield* wait(fs.promises.rm(dir, { recursive: true, force: true }));
  }
}
