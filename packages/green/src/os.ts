/**
 * Green `os`: Python's `os` file-descriptor calls as operations.
 *
 * `read`/`write` on regular files go through Node's async `fs` (the libuv
 * thread pool), never the Sync calls. Pipes and sockets cannot be read that
 * way (their fds are non-blocking), so the first `read`/`write` on such an
 * fd wraps it in a Node stream that libuv polls; from then on that stream
 * owns the fd: it closes itself once the read end reaches EOF, and `close`
 * here is still safe to call. Close fds you use here with `os.close`.
 * POSIX only (pipes are FIFOs; `waitpid` needs children started by Verdant).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Operation, suspend, wait } from '@verdant/hub';
import { GreenFile } from './green-file.js';
import { findChild } from './popen.js';

/**
 * waitpid option: return `[0, 0]` at once if the child is still running.
 *
 * @example
 * const [pid] = yield* os.waitpid(proc.pid, os.WNOHANG); // 0 while it runs
 */
export const WNOHANG = 1;

type Entry = { file: GreenFile<Buffer>; socket: Socket; readable: boolean; writable: boolean };
/** Pipe and socket fds wrapped in a stream, by fd. */
const streams = new Map<number, Entry>();

function checkFd(what: string, fd: unknown): void {
  if (typeof fd !== 'number' || !Number.isInteger(fd) || fd < 0) {
    throw new TypeError(`${what}: fd must be an integer file descriptor >= 0, got ${String(fd)}`);
  }
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
 */
export function read(fd: number, n: number): Operation<Buffer> {
  checkFd('os.read(fd, n)', fd);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new TypeError(`os.read(fd, n): n must be an integer >= 0, got ${String(n)}`);
  }
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
 * const fd = yield* os.open('/tmp/out.txt', 'w');
 * yield* os.write(fd, 'hello\n');
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
 */
export function open(path: string, flags: string | number = 'r', mode = 0o666): Operation<number> {
  if (typeof path !== 'string')
    throw new TypeError(`os.open(path): path must be a string, got ${typeof path}`);
  return callback<number>((cb) => fs.open(path, flags, mode, cb), `open ${path}`);
}

/**
 * Closes `fd`; for a pipe end this also closes the stream wrapped around it.
 *
 * @example
 * yield* os.close(fd);
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

/**
 * Waits for a child started with `subprocess.Popen` (or `run`, `call`...) to
 * exit, and returns `[pid, status]` with a POSIX wait status (decode it with
 * `WIFEXITED`/`WEXITSTATUS`/`WIFSIGNALED`/`WTERMSIG` or
 * `waitstatusToExitcode`). With `WNOHANG` returns `[0, 0]` while it runs.
 * Node reaps every child itself, so other pids (and a child already waited
 * for) throw ECHILD, as waitpid(2) does for a pid that is not a child.
 *
 * @example
 * const proc = new subprocess.Popen(['sleep', '0.1']);
 * const [pid, status] = yield* os.waitpid(proc.pid, 0);
 * os.waitstatusToExitcode(status); // 0
 */
export function waitpid(pid: number, options = 0): Operation<[number, number]> {
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) {
    throw new TypeError(
      `os.waitpid(pid, options): pid must be a positive integer, got ${String(pid)}`,
    );
  }
  if (options !== 0 && options !== WNOHANG) {
    throw new TypeError('os.waitpid(pid, options): options must be 0 or WNOHANG');
  }
  const child = findChild(pid);
  if (child === undefined) {
    throw Object.assign(
      new Error(
        `os.waitpid: pid ${pid} is not an unreaped child started through subprocess (ECHILD)`,
      ),
      { code: 'ECHILD', name: 'ChildProcessError' },
    );
  }
  return waitChild(child, options);
}

function* waitChild(
  child: NonNullable<ReturnType<typeof findChild>>,
  options: number,
): Operation<[number, number]> {
  if (options === WNOHANG && child._exitCode() === null) return [0, 0];
  const code = yield* child._waitExit();
  return [child.pid, code < 0 ? -code : (code & 0xff) << 8];
}

/** True if the wait status says the child exited normally. @example os.WIFEXITED(status) */
export function WIFEXITED(status: number): boolean {
  return (status & 0x7f) === 0;
}
/** The exit code in a wait status. @example os.WEXITSTATUS(status) */
export function WEXITSTATUS(status: number): number {
  return (status >> 8) & 0xff;
}
/** True if a signal ended the child. @example os.WIFSIGNALED(status) */
export function WIFSIGNALED(status: number): boolean {
  return (status & 0x7f) !== 0;
}
/** The signal that ended the child. @example os.WTERMSIG(status) */
export function WTERMSIG(status: number): number {
  return status & 0x7f;
}

/**
 * A wait status as an exit code, negative for a signal (Python's
 * `os.waitstatus_to_exitcode`).
 *
 * @example
 * os.waitstatusToExitcode(9); // -9
 */
export function waitstatusToExitcode(status: number): number {
  return WIFSIGNALED(status) ? -WTERMSIG(status) : WEXITSTATUS(status);
}

/**
 * Sends `signal` to process `pid` (Python's `os.kill`).
 *
 * @example
 * os.kill(proc.pid, 'SIGTERM');
 */
export function kill(pid: number, signal: NodeJS.Signals | number = 'SIGTERM'): void {
  process.kill(pid, signal);
}

/** This process's id. @example os.getpid() */
export function getpid(): number {
  return process.pid;
}
