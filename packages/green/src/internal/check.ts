/**
 * Argument checks for every green call, on one rule (Node's own): a value of
 * the wrong type is a TypeError; a number of the right type outside what the
 * call accepts (negative, NaN, Infinity, not an integer, past a bound) is a
 * RangeError. Each message names the call and the argument (`what`, e.g.
 * `'recv(n): n'`) and says what it got.
 */

/** A short description of a bad argument for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value)})`;
  return `${typeof value} ${String(value)}`;
}

/**
 * An integer from `min` to `max`. `expected` says it in words for the
 * message (default: "an integer >= min", or "from min to max").
 */
export function checkInteger(
  what: string,
  value: unknown,
  min: number,
  max = Number.POSITIVE_INFINITY,
  expected = max === Number.POSITIVE_INFINITY
    ? `an integer >= ${min}`
    : `an integer from ${min} to ${max}`,
): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${what} must be ${expected}, got ${describeValue(value)}`);
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${what} must be ${expected}, got ${describeValue(value)}`);
  }
  return value;
}

/** One of a few numeric constants (`expected` lists them by name for the message). */
export function checkChoice<T extends number>(
  what: string,
  value: unknown,
  choices: readonly T[],
  expected: string,
): T {
  if (typeof value !== 'number') {
    throw new TypeError(`${what} must be ${expected}, got ${describeValue(value)}`);
  }
  if (!choices.includes(value as T)) {
    throw new RangeError(`${what} must be ${expected}, got ${describeValue(value)}`);
  }
  return value as T;
}

/** A byte count: an integer >= 0. */
export function checkSize(what: string, n: unknown): number {
  if (typeof n !== 'number') {
    throw new TypeError(`${what} must be an integer number of bytes, got ${describeValue(n)}`);
  }
  if (!Number.isInteger(n)) {
    throw new RangeError(`${what} must be an integer number of bytes, got ${describeValue(n)}`);
  }
  if (n < 0) throw new RangeError(`${what} must be >= 0, got ${n}`);
  return n;
}

/** Bytes to send: a Buffer/Uint8Array (Python wants bytes, not str). */
export function checkBytes(what: string, data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (typeof data === 'string') {
    throw new TypeError(
      `${what} must be a Buffer or Uint8Array, got a string: encode it first, e.g. Buffer.from(text)`,
    );
  }
  throw new TypeError(`${what} must be a Buffer or Uint8Array, got ${describeValue(data)}`);
}

/** An options bag: a non-null object. */
export function checkOptions(what: string, options: unknown): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${what} must be an object, got ${describeValue(options)}`);
  }
}

/** A callback; `expected` names what kind (default "a function"). */
export function checkFunction(what: string, fn: unknown, expected = 'a function'): void {
  if (typeof fn !== 'function') {
    throw new TypeError(`${what} must be ${expected}, got ${describeValue(fn)}`);
  }
}

/** A number >= 0 (and, when `finite`, not Infinity). */
export function checkNonNegative(
  what: string,
  value: unknown,
  expected = 'a number >= 0',
  finite = false,
): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${what} must be ${expected}, got ${describeValue(value)}`);
  }
  if (!(value >= 0) || (finite && value === Number.POSITIVE_INFINITY)) {
    throw new RangeError(`${what} must be ${expected}, got ${describeValue(value)}`);
  }
  return value;
}

/** A duration in milliseconds: a finite number >= 0. */
export function checkDuration(what: string, ms: unknown): number {
  return checkNonNegative(what, ms, 'a finite number of milliseconds >= 0', true);
}

/**
 * A Python-style timeout: `null`/`undefined` wait forever (returned as null),
 * otherwise a finite number of milliseconds >= 0. With `minusOneIsForever`,
 * the `-1` of Python's `Lock.acquire(timeout=-1)` also means forever.
 */
export function checkTimeout(
  what: string,
  timeoutMs: unknown,
  minusOneIsForever = false,
): number | null {
  if (timeoutMs === undefined || timeoutMs === null) return null;
  if (minusOneIsForever && timeoutMs === -1) return null;
  return checkNonNegative(
    what,
    timeoutMs,
    'a finite number of milliseconds >= 0, or null to wait forever',
    true,
  );
}

/**
 * A `select`/`poll` timeout, as Python reads it: `null`/`undefined` waits
 * forever (null), and so does a negative number unless `negativeIsForever`
 * is false (select's, refused); Infinity is refused (Python's
 * OverflowError); otherwise milliseconds.
 */
export function checkPollTimeout(
  what: string,
  timeoutMs: unknown,
  negativeIsForever = true,
): number | null {
  if (timeoutMs === undefined || timeoutMs === null) return null;
  const expected = `a finite number of milliseconds${negativeIsForever ? '' : ' >= 0'} or null`;
  if (typeof timeoutMs !== 'number') {
    throw new TypeError(`${what} must be ${expected}, got ${describeValue(timeoutMs)}`);
  }
  // Python refuses both too (OverflowError, and ValueError for select's negative timeout).
  if (!Number.isFinite(timeoutMs) || (timeoutMs < 0 && !negativeIsForever)) {
    throw new RangeError(`${what} must be ${expected}, got ${describeValue(timeoutMs)}`);
  }
  return timeoutMs < 0 ? null : timeoutMs;
}

/** A boolean option or flag, left out (`undefined`) where `optional`. */
export function checkBoolean(what: string, value: unknown, optional = true): boolean | undefined {
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'boolean') {
    throw new TypeError(`${what} must be a boolean, got ${describeValue(value)}`);
  }
  return value;
}
