/**
 * Green face of `node:child_process` (the `os` flag). Every `ChildProcess`
 * it makes has two operations, `wait()` (exit code, or minus the signal
 * number, as Python's `Popen.wait`) and `communicate(input?)`. As Node's, a
 * child belongs to no green thread: killing the thread that spawned it (or
 * that called into the library that did) leaves it running, and killing a
 * thread blocked in `wait()`/`communicate()` only ends that wait. Green code
 * that wants a child to die with its wait uses `@verdant/green/subprocess`
 * (`Popen` kills the child when the thread waiting on it is interrupted).
 */
import type * as Real from 'node:child_process';
import { constants } from 'node:os';
import { promisify } from 'node:util';
import { type Operation, suspend } from '@verdant/hub';
import { faceObject } from './internal/face-object.js';
import { pristine } from './pristine.js';

export * from 'node:child_process';

// Node's own functions, even if this face loads after the builtin was patched.
const real = pristine('child_process') as typeof Real;

/** What this face replaces in `node:child_process`. */
export const patched = ['spawn', 'exec', 'execFile', 'fork'] as const;

/** What `communicate` returns: everything the child wrote, and its exit status. */
export interface Communicated {
  stdout: Buffer;
  stderr: Buffer;
  /** Exit code, or minus the signal number that ended the child. */
  returncode: number;
}

/** A `ChildProcess` with the green operations. */
export type GreenChildProcess = Real.ChildProcess & {
  wait(): Operation<number>;
  communicate(input?: string | Uint8Array): Operation<Communicated>;
};

function returncode(child: Real.ChildProcess): number | undefined {
  if (child.exitCode !== null) return child.exitCode;
  if (child.signalCode !== null) {
    return -(constants.signals[child.signalCode as keyof typeof constants.signals] ?? 1);
  }
  return undefined;
}

function waitChild(this: Real.ChildProcess): Operation<number> {
  return suspend<number>(
    (resume, fail) => {
      const now = returncode(this);
      if (now !== undefined) {
        resume(now);
        return;
      }
      const onExit = (): void => {
        resume(returncode(this) ?? 0);
      };
      const onError = (e: unknown): void => {
        // A child that failed to spawn never exits.
        if (this.pid === undefined) fail(e);
      };
      this.once('exit', onExit);
      this.on('error', onError);
      return () => {
        this.off('exit', onExit);
        this.off('error', onError);
      };
    },
    `wait child ${this.pid ?? this.spawnfile}`,
  );
}

function collect(stream: NodeJS.ReadableStream | null, into: Buffer[]): void {
  stream?.on('data', (chunk: Buffer | string) => {
    into.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  });
}

function* communicate(
  this: Real.ChildProcess,
  input?: string | Uint8Array,
): Operation<Communicated> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  collect(this.stdout, out);
  collect(this.stderr, err);
  if (this.stdin) {
    if (input !== undefined) this.stdin.end(input);
    else this.stdin.end();
  }
  // 'close' (not 'exit') means the pipes are drained too.
  yield* suspend<void>(
    (resume, fail) => {
      if (closedChildren.has(this)) {
        resume(undefined);
        return;
      }
      const onClose = (): void => {
        resume(undefined);
      };
      const onError = (e: unknown): void => {
        if (this.pid === undefined) fail(e);
      };
      this.once('close', onClose);
      this.on('error', onError);
      return () => {
        this.off('close', onClose);
        this.off('error', onError);
      };
    },
    `communicate child ${this.pid ?? this.spawnfile}`,
  );
  return {
    stdout: Buffer.concat(out),
    stderr: Buffer.concat(err),
    returncode: returncode(this) ?? 0,
  };
}

const closedChildren = new WeakSet<Real.ChildProcess>();

/** Adds the green operations. */
function green<C extends Real.ChildProcess>(child: C): C & GreenChildProcess {
  Object.defineProperties(child, {
    wait: { value: waitChild, configurable: true, writable: true },
    communicate: { value: communicate, configurable: true, writable: true },
  });
  child.once('close', () => closedChildren.add(child));
  return child as C & GreenChildProcess;
}

/**
 * `child_process.spawn`, with `wait`/`communicate`.
 *
 * @example
 * import { type GreenChildProcess, spawn } from '@verdant/green/node/child-process';
 * const child = spawn('echo', ['hi']) as GreenChildProcess;
 * const { stdout, returncode } = yield* child.communicate(); // stdout: <Buffer 68 69 0a>, returncode: 0
 */
export const spawn = ((...args: unknown[]) =>
  green((real.spawn as (...a: unknown[]) => Real.ChildProcess)(...args))) as typeof real.spawn;

/**
 * `child_process.exec`, with `wait`/`communicate`.
 *
 * @example
 * import { exec, type GreenChildProcess } from '@verdant/green/node/child-process';
 * const child = exec('exit 3') as GreenChildProcess;
 * yield* child.wait(); // 3
 */
export const exec = ((...args: unknown[]) =>
  green(
    (real.exec as (...a: unknown[]) => Real.ChildProcess)(...args),
  )) as unknown as typeof real.exec;

/**
 * `child_process.execFile`, with `wait`/`communicate`.
 *
 * @example
 * import { execFile, type GreenChildProcess } from '@verdant/green/node/child-process';
 * const code = yield* (execFile('true') as GreenChildProcess).wait(); // 0
 */
export const execFile = ((...args: unknown[]) =>
  green(
    (real.execFile as (...a: unknown[]) => Real.ChildProcess)(...args),
  )) as unknown as typeof real.execFile;

/**
 * `child_process.fork`, with `wait`/`communicate`.
 *
 * @example
 * import { fork, type GreenChildProcess } from '@verdant/green/node/child-process';
 * writeFileSync(join(tmpdir(), 'verdant-job.cjs'), 'process.exit(3)');
 * const child = fork(join(tmpdir(), 'verdant-job.cjs')) as GreenChildProcess;
 * yield* child.wait(); // 3
 */
export const fork = ((...args: unknown[]) =>
  green((real.fork as (...a: unknown[]) => Real.ChildProcess)(...args))) as typeof real.fork;

const promisifyCustom = promisify.custom;
// exec/execFile carry a custom promisify form ({ stdout, stderr }): keep it.
for (const [mine, theirs] of [
  [exec, real.exec],
  [execFile, real.execFile],
] as const) {
  const custom = (theirs as unknown as Record<symbol, unknown>)[promisifyCustom];
  if (custom !== undefined)
    Object.defineProperty(mine, promisifyCustom, { value: custom, configurable: true });
}

/** The face as CommonJS code sees `require('child_process')`. */
const face = faceObject(real, { spawn, exec, execFile, fork });
export default face;
