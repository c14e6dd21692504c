import type { Operation } from '@verdant/hub';
import { checkBoolean, checkTimeout } from '../internal/check.js';
import { CalledProcessError, TimeoutExpired } from './errors.js';
import { checkPopen, type OutputOf, PIPE, Popen, type PopenOptions } from './popen.js';

/** `run`'s options: Popen's plus Python's `input`, `capture_output`, `timeout`, `check`. */
export interface RunOptions extends PopenOptions {
  /** Written to the child's stdin (which becomes a PIPE), then stdin is closed. */
  input?: string | Uint8Array;
  /** Shorthand for `stdout: PIPE, stderr: PIPE`. */
  captureOutput?: boolean;
  /** Kill the child (SIGKILL) and throw TimeoutExpired after this many ms. */
  timeoutMs?: number | null;
  /** Throw CalledProcessError on a non-zero exit. */
  check?: boolean;
}

/**
 * What `run` returns (Python's `CompletedProcess`).
 *
 * @example
 * const done = yield* subprocess.run(['echo', 'hi'], { captureOutput: true, text: true });
 * done.returncode; // 0
 * done.stdout; // 'hi\n'
 * done.checkReturncode(); // does not throw
 */
export class CompletedProcess<T> {
  constructor(
    readonly args: readonly string[] | string,
    readonly returncode: number,
    readonly stdout: T | null,
    readonly stderr: T | null,
  ) {}

  /** Throws CalledProcessError if the exit code is non-zero. */
  checkReturncode(): void {
    if (this.returncode !== 0) {
      throw new CalledProcessError(
        this.returncode,
        this.args,
        this.stdout as string | Buffer | null,
        this.stderr as string | Buffer | null,
      );
    }
  }
}

function checkRunOptions(
  what: string,
  args: unknown,
  options: RunOptions | undefined,
): number | null {
  checkPopen(what, args, options);
  const o = options ?? {};
  checkBoolean(`${what}: options.captureOutput`, o.captureOutput);
  checkBoolean(`${what}: options.check`, o.check);
  if (o.input !== undefined && typeof o.input !== 'string' && !(o.input instanceof Uint8Array)) {
    throw new TypeError(`${what}: options.input must be a string or Uint8Array`);
  }
  if (o.input !== undefined && o.stdin !== undefined) {
    throw new TypeError(`${what}: options.stdin and options.input cannot both be given`);
  }
  if (o.captureOutput && (o.stdout !== undefined || o.stderr !== undefined)) {
    throw new TypeError(`${what}: options.stdout/stderr cannot be combined with captureOutput`);
  }
  return checkTimeout(`${what}: options.timeoutMs`, o.timeoutMs);
}

function popenOptions(o: RunOptions): PopenOptions {
  const { input, captureOutput, timeoutMs, check, ...rest } = o;
  void timeoutMs;
  void check;
  if (input !== undefined) rest.stdin = PIPE;
  if (captureOutput) {
    rest.stdout = PIPE;
    rest.stderr = PIPE;
  }
  return rest;
}

/**
 * Runs a command to its end and returns a CompletedProcess (Python's
 * `subprocess.run`). With `timeoutMs`, the child is killed and reaped, then
 * TimeoutExpired is thrown with the output read so far.
 *
 * @example
 * const r = yield* subprocess.run(['grep', 'x'], {
 *   input: 'a\nx\n',
 *   captureOutput: true,
 *   text: true,
 *   timeoutMs: 5000,
 * });
 * r.stdout; // 'x\n'
 */
export function run<O extends RunOptions>(
  args: readonly string[] | string,
  options?: O,
): Operation<CompletedProcess<OutputOf<O>>> {
  const ms = checkRunOptions('subprocess.run(args, options)', args, options);
  return runChild(args, options ?? ({} as O), ms);
}

function* runChild<O extends RunOptions>(
  args: readonly string[] | string,
  o: O,
  ms: number | null,
): Operation<CompletedProcess<OutputOf<O>>> {
  const proc = new Popen(args, popenOptions(o));
  let out: [string | Buffer | null, string | Buffer | null];
  try {
    out = yield* proc.communicate(o.input ?? null, ms);
  } catch (error) {
    if (error instanceof TimeoutExpired) {
      proc.kill();
      yield* proc.wait();
      // Not communicate(): a grandchild may still hold the pipes open; take what came and close them.
      const [restOut, restErr] = proc._abandonPipes();
      error.output = restOut;
      error.stderr = restErr;
    }
    throw error;
  }
  const done = new CompletedProcess(
    args,
    proc.returncode!,
    out[0] as OutputOf<O> | null,
    out[1] as OutputOf<O> | null,
  );
  if (o.check) done.checkReturncode();
  return done;
}

/**
 * Runs a command and returns its exit code (Python's `subprocess.call`).
 *
 * @example
 * const code = yield* subprocess.call(['sh', '-c', 'exit 3']); // 3
 */
export function call(
  args: readonly string[] | string,
  options?: PopenOptions & { timeoutMs?: number | null },
): Operation<number> {
  const ms = checkRunOptions('subprocess.call(args, options)', args, options);
  return callChild(args, options ?? {}, ms);
}

function* callChild(
  args: readonly string[] | string,
  o: PopenOptions & { timeoutMs?: number | null },
  ms: number | null,
): Operation<number> {
  const { timeoutMs, ...rest } = o;
  void timeoutMs;
  const proc = new Popen(args, rest);
  try {
    return yield* proc.wait(ms);
  } catch (error) {
    if (error instanceof TimeoutExpired) {
      proc.kill();
      yield* proc.wait();
    }
    throw error;
  }
}

/**
 * Runs a command; returns 0 or throws CalledProcessError (Python's
 * `subprocess.check_call`).
 *
 * @example
 * yield* subprocess.checkCall(['mkdir', '-p', join(tmpdir(), 'verdant-example')]); // 0
 */
export function checkCall(
  args: readonly string[] | string,
  options?: PopenOptions & { timeoutMs?: number | null },
): Operation<0> {
  checkRunOptions('subprocess.checkCall(args, options)', args, options);
  return checkCallChild(args, options);
}

function* checkCallChild(
  args: readonly string[] | string,
  options: (PopenOptions & { timeoutMs?: number | null }) | undefined,
): Operation<0> {
  const code = yield* call(args, options);
  if (code !== 0) throw new CalledProcessError(code, args);
  return 0;
}

/**
 * Runs a command and returns its stdout; a non-zero exit throws
 * CalledProcessError carrying the output (Python's `check_output`).
 *
 * @example
 * const out = yield* subprocess.checkOutput(['echo', 'hi'], { text: true }); // 'hi\n'
 */
export function checkOutput<O extends Omit<RunOptions, 'stdout' | 'captureOutput' | 'check'>>(
  args: readonly string[] | string,
  options?: O,
): Operation<OutputOf<O>> {
  const o = { ...(options ?? {}), stdout: PIPE, check: true } as RunOptions;
  checkRunOptions('subprocess.checkOutput(args, options)', args, o);
  return checkOutputChild(args, o) as Operation<OutputOf<O>>;
}

function* checkOutputChild(args: readonly string[] | string, o: RunOptions): Operation<unknown> {
  const done = yield* runChild(
    args,
    o,
    checkTimeout('checkOutput: options.timeoutMs', o.timeoutMs),
  );
  return done.stdout;
}
