// Argument checks, run at the call so the error points at the caller. One
// rule everywhere: a TypeError for a value of the wrong type, a RangeError for
// a number out of range (NaN, negative, Infinity, a fraction where a whole
// number is needed). Each message reads `<call>: <arg> must be <what>, got
// <what it got>`. Each check returns at once on a good value and builds its
// message only on a bad one: sleep() and Queue.get() run them on every call.

/**
 * A bad argument in a few words, for an error message: `string "10"`,
 * `number 5`, `null`, `function f`, `an array (length 2)`, `an instance of Map`.
 *
 * @example
 * import { describeValue } from '@verdant/hub/internal';
 *
 * console.log(describeValue('10'), '/', describeValue(new Map())); // string "10" / an instance of Map
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return `string ${value.length > 40 ? `${JSON.stringify(value.slice(0, 40))}...` : JSON.stringify(value)}`;
    case 'function':
      return `function ${value.name || '(anonymous)'}`;
    case 'bigint':
      return `bigint ${value}n`;
    case 'symbol':
      return String(value);
    case 'object':
      return describeObject(value);
    default:
      return `${typeof value} ${String(value)}`;
  }
}

function describeObject(value: object): string {
  if (Array.isArray(value)) return `an array (length ${value.length})`;
  const proto: unknown = Object.getPrototypeOf(value);
  const name =
    proto === null || proto === Object.prototype
      ? undefined
      : (proto as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? `an instance of ${name}` : 'an object';
}

function wrongType(call: string, arg: string, expected: string, value: unknown): TypeError {
  return new TypeError(`${call}: ${arg} must be ${expected}, got ${describeValue(value)}`);
}

function outOfRange(call: string, arg: string, expected: string, value: number): RangeError {
  return new RangeError(`${call}: ${arg} must be ${expected}, got ${value}`);
}

const MS = 'a finite number >= 0 (milliseconds)';

/**
 * A required number of milliseconds: finite and >= 0. Returns it.
 *
 * @example
 * import { checkDuration } from '@verdant/hub/internal';
 *
 * checkDuration('sleep(ms)', 'ms', 10); // 10
 * try {
 *   checkDuration('sleep(ms)', 'ms', -1);
 * } catch (e) {
 *   console.log(String(e)); // RangeError: sleep(ms): ms must be a finite number >= 0 (milliseconds), got -1
 * }
 */
export function checkDuration(call: string, arg: string, value: unknown): number {
  if (typeof value === 'number' && value >= 0 && value !== Number.POSITIVE_INFINITY) return value;
  throw typeof value === 'number'
    ? outOfRange(call, arg, MS, value)
    : wrongType(call, arg, MS, value);
}

/**
 * An optional time limit in milliseconds: `undefined` or `null` mean none
 * (returned as null), otherwise finite and >= 0. `minusOneIsForever` also
 * takes Python's `timeout=-1` as none.
 *
 * @example
 * import { checkTimeout } from '@verdant/hub/internal';
 *
 * checkTimeout('Lock.acquire(blocking, timeoutMs)', 'timeoutMs', undefined); // null: no limit
 * checkTimeout('Lock.acquire(blocking, timeoutMs)', 'timeoutMs', -1, { minusOneIsForever: true }); // null
 * checkTimeout('Lock.acquire(blocking, timeoutMs)', 'timeoutMs', 250); // 250
 */
export function checkTimeout(
  call: string,
  arg: string,
  value: unknown,
  options?: { minusOneIsForever?: boolean },
): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && value >= 0 && value !== Number.POSITIVE_INFINITY) return value;
  if (value === -1 && options?.minusOneIsForever === true) return null;
  const expected = `${MS}, or null for no limit${options?.minusOneIsForever === true ? ' (or -1)' : ''}`;
  throw typeof value === 'number'
    ? outOfRange(call, arg, expected, value)
    : wrongType(call, arg, expected, value);
}

/**
 * A count or size: an integer >= 0. Returns it.
 *
 * @example
 * import { checkSize } from '@verdant/hub/internal';
 *
 * try {
 *   checkSize('recv(n)', 'n', 1.5);
 * } catch (e) {
 *   console.log(String(e)); // RangeError: recv(n): n must be an integer >= 0, got 1.5
 * }
 */
export function checkSize(call: string, arg: string, value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw typeof value === 'number'
    ? outOfRange(call, arg, 'an integer >= 0', value)
    : wrongType(call, arg, 'an integer >= 0', value);
}

/** Any integer, or Infinity; `expected` says what the number means. */
export function checkInteger(call: string, arg: string, value: unknown, expected: string): number {
  if (
    typeof value === 'number' &&
    (Number.isInteger(value) || value === Number.POSITIVE_INFINITY)
  ) {
    return value;
  }
  throw typeof value === 'number'
    ? outOfRange(call, arg, expected, value)
    : wrongType(call, arg, expected, value);
}

/**
 * A boolean flag (`block`, `blocking`). Returns it.
 *
 * @example
 * import { checkFlag } from '@verdant/hub/internal';
 *
 * try {
 *   checkFlag('get(block)', 'block', 'yes');
 * } catch (e) {
 *   console.log(String(e)); // TypeError: get(block): block must be a boolean, got string "yes"
 * }
 */
export function checkFlag(call: string, arg: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  throw wrongType(call, arg, 'a boolean', value);
}

export function checkString(call: string, arg: string, value: unknown): string {
  if (typeof value === 'string') return value;
  throw wrongType(call, arg, 'a string', value);
}

/**
 * A callback. Returns it.
 *
 * @example
 * import { checkFunction } from '@verdant/hub/internal';
 *
 * const onDone = checkFunction<() => void>('link(fn)', 'fn', () => console.log('done'));
 * onDone(); // done
 */
export function checkFunction<F extends (...args: never[]) => unknown>(
  call: string,
  arg: string,
  value: unknown,
): F {
  if (typeof value === 'function') return value as F;
  throw wrongType(call, arg, 'a function', value);
}

/** An optional error to throw in (`kill(error)`, `new Timeout(ms, error)`). */
export function checkError(call: string, arg: string, value: unknown): Error | undefined {
  if (value === undefined || value instanceof Error) return value;
  throw wrongType(call, arg, 'an Error instance', value);
}

export function checkIterable(call: string, arg: string, value: unknown): Iterable<unknown> {
  if (
    value !== null &&
    value !== undefined &&
    typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function'
  ) {
    return value as Iterable<unknown>;
  }
  throw wrongType(call, arg, 'iterable', value);
}

const GENERATOR = 'a generator function (function* () { ... })';

/**
 * What a green thread runs: a generator function, not a plain or async one.
 *
 * @example
 * import { checkThreadFunction } from '@verdant/hub/internal';
 *
 * checkThreadFunction('Thread({ target })', 'target', function* () {}); // fine
 * try {
 *   checkThreadFunction('Thread({ target })', 'target', async () => {});
 * } catch (e) {
 *   console.log(e instanceof TypeError); // true: async functions cannot be green threads
 * }
 */
export function checkThreadFunction(call: string, arg: string, value: unknown): void {
  const tag =
    typeof value === 'function'
      ? (value as { [Symbol.toStringTag]?: string })[Symbol.toStringTag]
      : undefined;
  if (tag === 'GeneratorFunction') return;
  if (tag === 'AsyncGeneratorFunction' || tag === 'AsyncFunction') {
    throw new TypeError(
      `${call}: ${arg} is an async function; green threads run generator functions: write function* and use \`yield* wait(promise)\` for promises`,
    );
  }
  if (typeof value === 'function') {
    throw new TypeError(
      `${call}: ${arg} must be ${GENERATOR}, got a plain function${value.name ? ` (${value.name})` : ''}`,
    );
  }
  throw wrongType(call, arg, GENERATOR, value);
}
