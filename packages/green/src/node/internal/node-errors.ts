/**
 * Errors a face throws where its builtin would, with Node's `code` and
 * message shape, so a program (or Node's own test) that checks
 * `err.code === 'ERR_INVALID_ARG_TYPE'` sees no difference under the patch.
 */
import { inspect } from 'node:util';

export type NodeError<E extends Error = Error> = E & { code: string };

function withCode<E extends Error>(error: E, code: string): NodeError<E> {
  Object.defineProperty(error, 'code', {
    value: code,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  // Node's errors print with their code: `TypeError [CODE]: message`, in the
  // stack and in String(err); programs and Node's tests match on that text.
  const head = `${error.name} [${code}]`;
  error.stack = error.stack?.replace(error.name, head);
  Object.defineProperty(error, 'toString', {
    value: () => `${head}: ${error.message}`,
    writable: true,
    configurable: true,
  });
  return error as NodeError<E>;
}

/** What Node's messages say after "Received". */
function received(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'function':
      return `function ${value.name}`;
    case 'object': {
      const ctor = (value as { constructor?: { name?: string } }).constructor;
      if (ctor !== undefined && typeof ctor.name === 'string') return `an instance of ${ctor.name}`;
      return inspect(value, { depth: -1 });
    }
    case 'string': {
      const s = value.length > 28 ? `${value.slice(0, 25)}...` : value;
      return s.includes("'") ? `type string (${JSON.stringify(s)})` : `type string ('${s}')`;
    }
    case 'bigint':
      return `type bigint (${value}n)`;
    case 'number':
      return `type number (${Object.is(value, -0) ? '-0' : String(value)})`;
    default:
      return `type ${typeof value} (${String(value)})`;
  }
}

const kind = (name: string): string => (name.includes('.') ? 'property' : 'argument');

/**
 * `ERR_INVALID_ARG_TYPE`: `expected` is the phrase after "must be", e.g.
 * `of type string` or `one of type integer or object`.
 */
export function invalidArgType(
  name: string,
  expected: string,
  value: unknown,
): NodeError<TypeError> {
  return withCode(
    new TypeError(`The "${name}" ${kind(name)} must be ${expected}. Received ${received(value)}`),
    'ERR_INVALID_ARG_TYPE',
  );
}

/** `ERR_INVALID_ARG_VALUE`, a TypeError as Node's is unless `Ctor` says otherwise. */
export function invalidArgValue(
  name: string,
  value: unknown,
  reason = 'is invalid',
  Ctor: ErrorConstructor | TypeErrorConstructor | RangeErrorConstructor = TypeError,
): NodeError {
  let shown = inspect(value);
  if (shown.length > 128) shown = `${shown.slice(0, 128)}...`;
  return withCode(
    new Ctor(`The ${kind(name)} '${name}' ${reason}. Received ${shown}`),
    'ERR_INVALID_ARG_VALUE',
  );
}

/** Node's `validateOneOf`: `value` must be one of `choices`. */
export function checkOneOf<T>(name: string, value: unknown, choices: readonly T[]): T {
  if (!choices.includes(value as T)) {
    const allowed = choices.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ');
    throw invalidArgValue(name, value, `must be one of: ${allowed}`);
  }
  return value as T;
}

/** Node's `validateFunction`. */
export function checkNodeFunction(name: string, value: unknown): (...args: never[]) => unknown {
  if (typeof value !== 'function') throw invalidArgType(name, 'of type function', value);
  return value as (...args: never[]) => unknown;
}

/**
 * `ERR_OUT_OF_RANGE`: `expected` is the phrase after "It must be".
 *
 * @example
 * throw outOfRange('delay', 'an integer', 1.5);
 * // RangeError [ERR_OUT_OF_RANGE]: The value of "delay" is out of range. It must be an integer. Received 1.5
 */
export function outOfRange(name: string, expected: string, value: unknown): NodeError<RangeError> {
  return withCode(
    new RangeError(
      `The value of "${name}" is out of range. It must be ${expected}. Received ${String(value)}`,
    ),
    'ERR_OUT_OF_RANGE',
  );
}

/** `ERR_INVALID_THIS`: a method called on something that is not a `type`. */
export function invalidThis(type: string): NodeError<TypeError> {
  return withCode(new TypeError(`Value of "this" must be of type ${type}`), 'ERR_INVALID_THIS');
}

/** `ERR_ILLEGAL_CONSTRUCTOR`: a class user code may not construct. */
export function illegalConstructor(): NodeError<TypeError> {
  return withCode(new TypeError('Illegal constructor'), 'ERR_ILLEGAL_CONSTRUCTOR');
}
