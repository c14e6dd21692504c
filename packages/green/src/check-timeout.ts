import { describeValue } from './describe.js';

/** Options for `checkTimeout`. @internal */
export interface CheckTimeoutOptions {
  /**
   * The error thrown for a bad value. Threading and subprocess calls throw
   * RangeError (default); socket calls throw TypeError, as they always have.
   */
  errorType?: typeof RangeError | typeof TypeError;
  /** Accept the `-1` of Python's `Lock.acquire(timeout=-1)` as "forever". */
  minusOneIsForever?: boolean;
}

/**
 * Checks a Python-style timeout argument at the call: `null`/`undefined`
 * wait forever (returned as null), otherwise a finite number of
 * milliseconds >= 0. `what` names the call and argument, e.g.
 * `'Event.wait(timeoutMs): timeoutMs'`. One helper for socket and threading
 * code; only the error type differs, per each API's documented behaviour.
 *
 * @example
 * const ms = checkTimeout('Event.wait(timeoutMs): timeoutMs', timeoutMs); // null: forever
 * const s = checkTimeout('setTimeout(ms): ms', ms, { errorType: TypeError });
 * @internal
 */
export function checkTimeout(
  what: string,
  timeoutMs: unknown,
  options: CheckTimeoutOptions = {},
): number | null {
  if (timeoutMs === undefined || timeoutMs === null) return null;
  if (options.minusOneIsForever === true && timeoutMs === -1) return null;
  if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0) || timeoutMs === Infinity) {
    const ErrorType = options.errorType ?? RangeError;
    throw new ErrorType(
      `${what} must be a finite number of milliseconds >= 0, or null to wait forever; got ${describeValue(timeoutMs)}`,
    );
  }
  return timeoutMs;
}
