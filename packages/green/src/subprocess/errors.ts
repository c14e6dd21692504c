/**
 * Base of the errors subprocess throws (Python's `SubprocessError`).
 *
 * @example
 * try {
 *   yield* subprocess.checkCall(['false']);
 * } catch (e) {
 *   console.log(e instanceof subprocess.SubprocessError); // true (a CalledProcessError)
 * }
 */
export class SubprocessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubprocessError';
  }
}

function show(cmd: readonly string[] | string): string {
  return typeof cmd === 'string' ? cmd : JSON.stringify(cmd);
}

/**
 * A child ran past its `timeoutMs` (Python's `TimeoutExpired`). `output` and
 * `stderr` hold what was read before the deadline.
 *
 * @example
 * const proc = new subprocess.Popen(['sleep', '5']);
 * try {
 *   yield* proc.wait(50);
 * } catch (e) {
 *   if (e instanceof subprocess.TimeoutExpired) proc.kill(); // the child keeps running until killed
 * }
 * yield* proc.wait();
 */
export class TimeoutExpired extends SubprocessError {
  constructor(
    readonly cmd: readonly string[] | string,
    readonly timeoutMs: number,
    public output: string | Buffer | null = null,
    public stderr: string | Buffer | null = null,
  ) {
    super(`Command ${show(cmd)} timed out after ${timeoutMs} ms`);
    this.name = 'TimeoutExpired';
  }

  /** Python's alias of `output`. */
  get stdout(): string | Buffer | null {
    return this.output;
  }
}

/**
 * `checkCall`, `checkOutput` or `run({ check: true })` saw a non-zero exit
 * (Python's `CalledProcessError`). A negative `returncode` is the signal
 * that killed the child.
 *
 * @example
 * try {
 *   yield* subprocess.checkCall(['sh', '-c', 'exit 2']);
 * } catch (e) {
 *   if (e instanceof subprocess.CalledProcessError) console.log(e.returncode); // 2
 * }
 */
export class CalledProcessError extends SubprocessError {
  constructor(
    readonly returncode: number,
    readonly cmd: readonly string[] | string,
    readonly output: string | Buffer | null = null,
    readonly stderr: string | Buffer | null = null,
  ) {
    super(
      returncode < 0
        ? `Command ${show(cmd)} died with signal ${-returncode}`
        : `Command ${show(cmd)} returned non-zero exit status ${returncode}`,
    );
    this.name = 'CalledProcessError';
  }

  /** Python's alias of `output`. */
  get stdout(): string | Buffer | null {
    return this.output;
  }
}
