import { type ChildProcess, spawn as spawnChild } from 'node:child_process';
import { constants } from 'node:os';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { getHub, type Operation, suspend } from '@verdant/hub';
import {
  checkBoolean,
  checkInteger,
  checkOptions,
  checkTimeout,
  describeValue,
} from '../internal/check.js';
import { TimeoutExpired } from './errors.js';
import { GreenFile } from './green-file.js';

// File descriptors are C ints.
const MAX_FD = 2 ** 31 - 1;
// 0 sends nothing but checks the child exists, as kill(2) does.
const SIGNAL_NUMBERS = new Set<number>([0, ...Object.values(constants.signals)]);

/**
 * Connect this stream of the child to a new pipe, read or written through `proc.stdin/stdout/stderr`.
 */
export const PIPE = 'pipe' as const;
/** Connect it to /dev/null. */
export const DEVNULL = 'devnull' as const;
/** Share the parent's stream (the default, Python's `None`). */
export const INHERIT = 'inherit' as const;
/** For `stderr` only: send it wherever stdout goes. */
export const STDOUT = 'stdout' as const;

/**
 * Where a child's stdin/stdout/stderr goes: `PIPE`, `DEVNULL`, `INHERIT`
 * (or null/undefined), an OS file descriptor, or a Node stream / GreenFile
 * that the parent pumps into (stdin) or out of (stdout, stderr).
 */
export type StdioSpec =
  | typeof PIPE
  | typeof DEVNULL
  | typeof INHERIT
  | number
  | GreenFile<string | Buffer>
  | Readable
  | Writable
  | null
  | undefined;

/** Popen's options (Python's keyword arguments, camelCased). */
export interface PopenOptions {
  stdin?: StdioSpec;
  stdout?: StdioSpec;
  stderr?: StdioSpec | typeof STDOUT;
  /** Working directory of the child. */
  cwd?: string;
  /** The child's whole environment (default: the parent's). */
  env?: Record<string, string | undefined>;
  /** Run through a shell: true for /bin/sh, or a shell's path; `args` is then one string. */
  shell?: boolean | string;
  /** Pipes speak utf8 strings instead of Buffers. */
  text?: boolean;
  /** Pipes speak strings in this encoding. */
  encoding?: BufferEncoding;
  /**
   * What happens to the child when the green thread waiting on it in
   * `wait`/`communicate` is killed or hit by a hub Timeout: by default
   * (true) the child gets SIGKILL and is reaped, so it is never orphaned.
   * False leaves it running (the object still reaps it when it exits).
   */
  killOnInterrupt?: boolean;
}

/** What a child's pipes return for options `O`: strings with `text`/`encoding`, else Buffers. */
export type OutputOf<O> = O extends { text: true }
  ? string
  : O extends { encoding: BufferEncoding }
    ? string
    : Buffer;

/** Children not yet exited: the idle probe's count. */
const live = new Set<Popen<PopenOptions>>();
/** Children whose exit status nobody has collected yet, by pid (for `os.waitpid`). */
const unreaped = new Map<number, Popen<PopenOptions>>();
getHub().registerProbe('subprocess: live children', () => live.size);

/** os.waitpid's view of the children started here. */
export function findChild(pid: number): Popen<PopenOptions> | undefined {
  return unreaped.get(pid);
}

const SPECS = new Set<unknown>([PIPE, DEVNULL, INHERIT, null, undefined]);

function isStream(value: unknown): value is Readable | Writable {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Readable).pipe === 'function' &&
    typeof (value as Readable).on === 'function'
  );
}

function checkSpec(what: string, name: string, spec: unknown): void {
  if (SPECS.has(spec) || spec instanceof GreenFile || isStream(spec)) return;
  if (name === 'stderr' && spec === STDOUT) return;
  if (typeof spec === 'number') {
    checkInteger(
      `${what}: options.${name}`,
      spec,
      0,
      MAX_FD,
      'a file descriptor (an integer >= 0)',
    );
    return;
  }
  throw new TypeError(
    `${what}: options.${name} must be PIPE, DEVNULL, INHERIT${name === 'stderr' ? ', STDOUT' : ''}, a file descriptor, a stream or a GreenFile; got ${typeof spec === 'string' ? JSON.stringify(spec) : typeof spec}`,
  );
}

/** Validates Popen's arguments; run/call/checkOutput call it before spawning anything. */
export function checkPopen(what: string, args: unknown, options: unknown): void {
  if (typeof args === 'string') {
    if (args.length === 0) throw new TypeError(`${what}: args must not be an empty string`);
  } else if (!Array.isArray(args) || args.length === 0) {
    throw new TypeError(
      `${what}: args must be a non-empty array of strings (program first), or a string; got ${Array.isArray(args) ? 'an empty array' : typeof args}`,
    );
  } else {
    const bad = args.findIndex((a) => typeof a !== 'string');
    if (bad >= 0)
      throw new TypeError(`${what}: args[${bad}] must be a string, got ${typeof args[bad]}`);
  }
  if (options === undefined) return;
  checkOptions(`${what}: options`, options);
  const o = options as PopenOptions;
  checkSpec(what, 'stdin', o.stdin);
  checkSpec(what, 'stdout', o.stdout);
  checkSpec(what, 'stderr', o.stderr);
  if (o.cwd !== undefined && typeof o.cwd !== 'string') {
    throw new TypeError(`${what}: options.cwd must be a string path, got ${typeof o.cwd}`);
  }
  if (o.env !== undefined && (typeof o.env !== 'object' || o.env === null)) {
    throw new TypeError(`${what}: options.env must be an object of strings`);
  }
  if (o.shell !== undefined && typeof o.shell !== 'boolean' && typeof o.shell !== 'string') {
    throw new TypeError(`${what}: options.shell must be a boolean or a shell path`);
  }
  if (o.text !== undefined && typeof o.text !== 'boolean') {
    throw new TypeError(`${what}: options.text must be a boolean`);
  }
  checkBoolean(`${what}: options.killOnInterrupt`, o.killOnInterrupt);
  if (o.encoding !== undefined && !Buffer.isEncoding(o.encoding)) {
    throw new TypeError(
      `${what}: options.encoding must be a Node encoding such as 'utf8', got ${String(o.encoding)}`,
    );
  }
}

function stdioOf(spec: unknown): 'pipe' | 'ignore' | 'inherit' | number {
  if (spec === PIPE) return 'pipe';
  if (spec === DEVNULL) return 'ignore';
  if (spec === null || spec === undefined || spec === INHERIT) return 'inherit';
  if (typeof spec === 'number') return spec;
  return 'pipe'; // a stream or GreenFile: the parent pumps through a pipe
}

function streamOf(spec: unknown): Readable | Writable {
  return spec instanceof GreenFile ? spec.stream : (spec as Readable | Writable);
}

/**
 * A child process (Python's `subprocess.Popen`). The constructor starts it
 * at once; blocking calls are operations. With `PIPE`, `stdin`, `stdout` and
 * `stderr` are GreenFiles (`readline`, `read`, `write`, `close`).
 *
 * Policy: if the green thread blocked in `wait` or `communicate` is killed
 * (or a hub Timeout hits it), the child gets SIGKILL and is reaped, so no
 * orphan outlives its owner; `killOnInterrupt: false` opts out. Their own
 * `timeoutMs` only throws `TimeoutExpired` and leaves the child running, as
 * in Python.
 *
 * @example
 * const proc = new subprocess.Popen(['sort'], {
 *   stdin: subprocess.PIPE,
 *   stdout: subprocess.PIPE,
 *   text: true,
 * });
 * const [out] = yield* proc.communicate('b\na\n'); // 'a\nb\n'
 * proc.returncode; // 0
 */
export class Popen<O extends PopenOptions = PopenOptions> {
  readonly args: readonly string[] | string;
  readonly pid: number;
  /** The exit code once the child has exited (and been waited for or polled); -N if signal N killed it. */
  returncode: number | null = null;
  readonly stdin: GreenFile<OutputOf<O>> | null = null;
  readonly stdout: GreenFile<OutputOf<O>> | null = null;
  readonly stderr: GreenFile<OutputOf<O>> | null = null;
  private readonly child: ChildProcess;
  private exitCode: number | null = null;
  private readonly killOnInterrupt: boolean;
  private readonly watchers = new Set<() => void>();
  private communicating = false;
  private outDone = true;
  private errDone = true;

  constructor(args: readonly string[] | string, options?: O) {
    checkPopen('new Popen(args, options)', args, options);
    const o: PopenOptions = options ?? {};
    this.args = typeof args === 'string' ? args : [...args];
    this.killOnInterrupt = o.killOnInterrupt ?? true;
    const encoding = o.encoding ?? (o.text ? 'utf8' : undefined);
    const merge = o.stderr === STDOUT;
    const stdio: ('pipe' | 'ignore' | 'inherit' | number)[] = [
      stdioOf(o.stdin),
      stdioOf(o.stdout),
      merge
        ? o.stdout === PIPE || isStream(o.stdout) || o.stdout instanceof GreenFile
          ? 'pipe'
          : stdioOf(o.stdout) === 'inherit'
            ? 1
            : stdioOf(o.stdout)
        : stdioOf(o.stderr),
    ];
    const [file, argv] = typeof args === 'string' ? [args, []] : [args[0]!, args.slice(1)];
    const child = spawnChild(file, argv, {
      stdio,
      cwd: o.cwd,
      env: o.env,
      shell: o.shell,
      windowsHide: true,
    });
    if (child.pid === undefined) {
      // Node reports why on the next tick; the caller needs to know now (Python raises here).
      child.once('error', () => {});
      throw Object.assign(
        new Error(
          `Popen: cannot start ${JSON.stringify(file)}: no such program on PATH, not executable, or cwd ${JSON.stringify(o.cwd ?? process.cwd())} does not exist`,
        ),
        { code: 'ENOENT', path: file, spawnargs: argv },
      );
    }
    this.child = child;
    this.pid = child.pid;
    live.add(this as Popen<PopenOptions>);
    unreaped.set(this.pid, this as Popen<PopenOptions>);
    child.once('exit', (code, signal) => {
      this.exitCode = code ?? -(signal ? (constants.signals[signal] ?? 0) : 0);
      live.delete(this as Popen<PopenOptions>);
      this.notify();
    });
    child.on('error', (error) => {
      getHub().logger.warn({ err: error, pid: this.pid }, 'child process error');
    });
    // A child that exits before reading its stdin makes writes fail with EPIPE: not a crash.
    child.stdin?.on('error', () => {});

    const name = (which: string) => `${which} of pid ${this.pid}`;
    if (child.stdin) {
      if (o.stdin === PIPE)
        this.stdin = new GreenFile(child.stdin, { encoding, name: name('stdin') });
      else streamOf(o.stdin).pipe?.(child.stdin);
    }
    let out: Readable | null = child.stdout;
    if (merge && out && child.stderr) out = mergeStreams(out, child.stderr);
    if (out) {
      if (o.stdout === PIPE) {
        this.stdout = new GreenFile(out, { encoding, name: name('stdout') });
        this.outDone = false;
      } else out.pipe(streamOf(o.stdout) as Writable, { end: false });
    }
    if (child.stderr && !merge) {
      if (o.stderr === PIPE) {
        this.stderr = new GreenFile(child.stderr, { encoding, name: name('stderr') });
        this.errDone = false;
      } else child.stderr.pipe(streamOf(o.stderr) as Writable, { end: false });
    }
  }

  private notify(): void {
    for (const fn of this.watchers) fn();
  }

  private reap(): number {
    this.returncode = this.exitCode;
    unreaped.delete(this.pid);
    return this.returncode!;
  }

  /** @internal os.waitpid: the exit code if the child has exited, without reaping. */
  _exitCode(): number | null {
    return this.exitCode;
  }

  /** @internal os.waitpid: waits for exit and reaps. */
  _waitExit(): Operation<number> {
    return this.wait();
  }

  /**
   * Returns the exit code if the child has exited, else null; never blocks.
   * Exits are noticed by Node's loop: poll in a loop only with a
   * `yield* sleep(ms)` between calls, or use `wait`.
   */
  poll(): number | null {
    return this.exitCode === null ? null : this.reap();
  }

  /**
   * Waits for the child to exit and returns its exit code (-N: killed by
   * signal N). With `timeoutMs`, throws `TimeoutExpired` when it runs out
   * and leaves the child running.
   */
  wait(timeoutMs: number | null = null): Operation<number> {
    const ms = checkTimeout('Popen.wait(timeoutMs): timeoutMs', timeoutMs);
    return this.waitExit(ms);
  }

  private *waitExit(ms: number | null): Operation<number> {
    yield* this.until(() => this.exitCode !== null, ms, `wait pid ${this.pid}`);
    return this.reap();
  }

  /**
   * Writes `input` to stdin (then closes it) while reading stdout and stderr
   * to their ends at the same time, so a child with large output never
   * deadlocks against us; then waits for the exit. Returns `[stdout, stderr]`
   * (null for streams that are not PIPE). On `timeoutMs`, throws
   * `TimeoutExpired` holding the output so far; the child keeps running and
   * a later `communicate()` returns everything.
   */
  communicate(
    input: string | Uint8Array | null = null,
    timeoutMs: number | null = null,
  ): Operation<[OutputOf<O> | null, OutputOf<O> | null]> {
    if (input !== null && typeof input !== 'string' && !(input instanceof Uint8Array)) {
      throw new TypeError(
        `Popen.communicate(input): input must be a string, Uint8Array or null, got ${typeof input}`,
      );
    }
    if (input !== null && this.stdin === null) {
      throw new TypeError(
        'Popen.communicate(input): input needs the child started with { stdin: PIPE }',
      );
    }
    const ms = checkTimeout('Popen.communicate(input, timeoutMs): timeoutMs', timeoutMs);
    return this.communicateAll(input, ms);
  }

  private *communicateAll(
    input: string | Uint8Array | null,
    ms: number | null,
  ): Operation<[OutputOf<O> | null, OutputOf<O> | null]> {
    if (!this.communicating) {
      this.communicating = true;
      // Start draining both pipes before writing, so neither side can fill up and stall the other.
      this.stdout?._collect(() => {
        this.outDone = true;
        this.notify();
      });
      this.stderr?._collect(() => {
        this.errDone = true;
        this.notify();
      });
      if (this.stdin && !this.stdin.closed) {
        this.stdin._endWith(input);
      }
    }
    try {
      yield* this.until(
        () => this.outDone && this.errDone && this.exitCode !== null,
        ms,
        `communicate pid ${this.pid}`,
      );
    } catch (error) {
      if (error instanceof TimeoutExpired) {
        error.output = this.stdout?._peekCollected() ?? null;
        error.stderr = this.stderr?._peekCollected() ?? null;
      }
      throw error;
    }
    this.reap();
    return [this.stdout?._takeCollected() ?? null, this.stderr?._takeCollected() ?? null];
  }

  /** @internal run()'s timeout: everything read so far, then the pipes are closed. */
  _abandonPipes(): [OutputOf<O> | null, OutputOf<O> | null] {
    const out: [OutputOf<O> | null, OutputOf<O> | null] = [
      this.stdout?._takeCollected() ?? null,
      this.stderr?._takeCollected() ?? null,
    ];
    this.stdout?.closeNow();
    this.stderr?.closeNow();
    return out;
  }

  /** Parks until `ready()`; TimeoutExpired after `ms`; SIGKILLs the child if the waiter is interrupted. */
  private *until(ready: () => boolean, ms: number | null, label: string): Operation<void> {
    if (ready()) return;
    const deadline = ms === null ? 0 : getHub().now() + ms;
    yield* suspend<void>((resume, fail) => {
      const check = () => {
        if (ready()) resume();
      };
      this.watchers.add(check);
      const timer =
        ms === null
          ? undefined
          : getHub().callLater(
              Math.max(0, deadline - getHub().now()),
              () => fail(new TimeoutExpired(this.args, ms)),
              undefined,
            );
      return (interrupted) => {
        this.watchers.delete(check);
        timer?.cancel();
        if (interrupted && this.killOnInterrupt && this.exitCode === null)
          this.child.kill('SIGKILL');
      };
    }, label);
  }

  /** Sends `signal` to the child, unless it has already exited. */
  sendSignal(signal: NodeJS.Signals | number): void {
    const what = 'Popen.sendSignal(signal): signal';
    const expected = "a name like 'SIGTERM' or a signal number";
    if (typeof signal === 'number') {
      if (!SIGNAL_NUMBERS.has(signal))
        throw new RangeError(`${what} must be ${expected}, got ${describeValue(signal)}`);
    } else if (typeof signal !== 'string' || !Object.hasOwn(constants.signals, signal)) {
      throw new TypeError(`${what} must be ${expected}, got ${describeValue(signal)}`);
    }
    if (this.exitCode === null) this.child.kill(signal);
  }

  /** SIGTERM: asks the child to stop. */
  terminate(): void {
    this.sendSignal('SIGTERM');
  }

  /** SIGKILL: stops the child now. */
  kill(): void {
    this.sendSignal('SIGKILL');
  }

  toString(): string {
    return `<Popen pid=${this.pid} returncode=${this.returncode}>`;
  }
}

/** stderr=STDOUT through the parent: both streams into one, ended when both end. */
function mergeStreams(a: Readable, b: Readable): Readable {
  const merged = new PassThrough();
  let open = 2;
  for (const s of [a, b]) {
    let done = false;
    const end = () => {
      if (done) return;
      done = true;
      if (--open === 0) merged.end();
    };
    s.pipe(merged, { end: false });
    s.once('end', end);
    s.once('close', end);
  }
  return merged;
}
