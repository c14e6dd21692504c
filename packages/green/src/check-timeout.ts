/**
 * Checks a Python-style `timeoutMs` argument at the call: `null`/`undefined`
 * wait forever (returned as null), otherwise a finite number >= 0 (a
 * RangeError names the call otherwise). `minusOneIsForever` accepts the `-1`
 * of Python's `Lock.acquire(timeout=-1)`.
 *
 * @example
 * const ms = checkTimeout('Event.wait(timeoutMs)', timeoutMs); // null: forever
 */
export function checkTimeout(
  what: string,
  timeoutMs: unknown,
  minusOneIsForever = false,
): number | null {
  if (timeoutMs === undefined || timeoutMs === null) return null;
  if (minusOneIsForever && timeoutMs === -1) return null;
  if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0) || timeoutMs === Infinity) {
    const bad = typeof timeoutMs === 'number' ? String(timeoutMs) : typeof timeoutMs;
    throw new RangeError(
      `${what}: timeoutMs must be a finite number of milliseconds >= 0, or null to wait forever; got ${bad}`,
    );
  }
  return timeoutMs;
}
