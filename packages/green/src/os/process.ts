import type { Operation } from '@verdant/hub';
import { checkChoice, checkInteger } from '../internal/check.js';
import { findChild } from '../subprocess/popen.js';

/** waitpid option: return `[0, 0]` at once if the child is still running. */
export const WNOHANG = 1;

/**
 * Waits for a child started with `subprocess.Popen` (or `run`, `call`...) to
 * exit, and returns `[pid, status]` with a POSIX wait status (decode it with
 * `WIFEXITED`/`WEXITSTATUS`/`WIFSIGNALED`/`WTERMSIG` or
 * `waitstatusToExitcode`). With `WNOHANG` returns `[0, 0]` while it runs.
 * Node reaps every child itself, so other pids (and a child already waited
 * for) throw ECHILD, as waitpid(2) does for a pid that is not a child.
 *
 * @example
 * const proc = new subprocess.Popen(['sh', '-c', 'exit 3']);
 * const [pid, status] = yield* os.waitpid(proc.pid, 0);
 * os.waitstatusToExitcode(status); // 3
 */
export function waitpid(pid: number, options = 0): Operation<[number, number]> {
  checkInteger(
    'os.waitpid(pid, options): pid',
    pid,
    1,
    Number.POSITIVE_INFINITY,
    'a positive integer',
  );
  checkChoice('os.waitpid(pid, options): options', options, [0, WNOHANG], '0 or WNOHANG');
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

/**
 * True if the wait status says the child exited normally.
 *
 * @example
 * const [, status] = yield* os.waitpid(new subprocess.Popen(['true']).pid);
 * os.WIFEXITED(status); // true
 */
export function WIFEXITED(status: number): boolean {
  return (status & 0x7f) === 0;
}
/**
 * The exit code in a wait status.
 *
 * @example
 * const [, status] = yield* os.waitpid(new subprocess.Popen(['sh', '-c', 'exit 3']).pid);
 * os.WEXITSTATUS(status); // 3
 */
export function WEXITSTATUS(status: number): number {
  return (status >> 8) & 0xff;
}
/**
 * True if a signal ended the child.
 *
 * @example
 * const proc = new subprocess.Popen(['sleep', '5']);
 * os.kill(proc.pid, 'SIGKILL');
 * const [, status] = yield* os.waitpid(proc.pid);
 * os.WIFSIGNALED(status); // true
 */
export function WIFSIGNALED(status: number): boolean {
  return (status & 0x7f) !== 0;
}
/**
 * The signal that ended the child.
 *
 * @example
 * const proc = new subprocess.Popen(['sleep', '5']);
 * os.kill(proc.pid, 'SIGTERM');
 * const [, status] = yield* os.waitpid(proc.pid);
 * os.WTERMSIG(status); // 15
 */
export function WTERMSIG(status: number): number {
  return status & 0x7f;
}

/**
 * A wait status as an exit code, negative for a signal (Python's
 * `os.waitstatus_to_exitcode`).
 *
 * @example
 * os.waitstatusToExitcode(3 << 8); // 3: exited with 3
 * os.waitstatusToExitcode(9); // -9: killed by SIGKILL
 */
export function waitstatusToExitcode(status: number): number {
  return WIFSIGNALED(status) ? -WTERMSIG(status) : WEXITSTATUS(status);
}

/**
 * Sends `signal` to process `pid` (Python's `os.kill`).
 *
 * @example
 * const proc = new subprocess.Popen(['sleep', '5']);
 * os.kill(proc.pid, 'SIGTERM');
 * yield* proc.wait(); // -15
 */
export function kill(pid: number, signal: NodeJS.Signals | number = 'SIGTERM'): void {
  process.kill(pid, signal);
}

/**
 * This process's id.
 *
 * @example
 * os.getpid() === process.pid; // true
 */
export function getpid(): number {
  return process.pid;
}
