import { inspect } from 'node:util';

/** Node's description of a bad argument: `type string ('x')`, `null`, `an instance of Map`. */
function received(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'function') return `function ${value.name}`;
  if (typeof value === 'object') {
    const name = (value as { constructor?: { name?: string } }).constructor?.name;
    return name ? `an instance of ${name}` : inspect(value, { depth: -1 });
  }
  let shown = inspect(value, { colors: false });
  if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
  return `type ${typeof value} (${shown})`;
}

/** A TypeError that prints as Node's own do: `TypeError [CODE]: message` (tests match on it). */
class NodeTypeError extends TypeError {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    // Node's stack starts with the code too.
    this.stack = this.stack?.replace(/^TypeError/, `TypeError [${code}]`);
  }

  override toString(): string {
    return `${this.name} [${this.code}]: ${this.message}`;
  }
}

/**
 * Node's `ERR_INVALID_ARG_TYPE`, message and `code` as Node's own, for the
 * faces that keep a builtin's contract. `name` with a dot is a property.
 *
 * @example
 * throw invalidArgType('options.ref', 'of type boolean', 1);
 * // TypeError [ERR_INVALID_ARG_TYPE]: The "options.ref" property must be of type boolean. Received type number (1)
 */
export function invalidArgType(
  name: string,
  expected: string,
  value: unknown,
): TypeError & { code: string } {
  const kind = name.includes('.') ? 'property' : 'argument';
  return new NodeTypeError(
    `The "${name}" ${kind} must be ${expected}. Received ${received(value)}`,
    'ERR_INVALID_ARG_TYPE',
  );
}

/**
 * Node's `ERR_OUT_OF_RANGE`.
 *
 * @example
 * throw outOfRange('delay', 'an integer', 1.5);
 * // RangeError [ERR_OUT_OF_RANGE]: The value of "delay" is out of range. It must be an integer. Received 1.5
 */
export function outOfRange(
  name: string,
  expected: string,
  value: unknown,
): RangeError & { code: string } {
  const error = new RangeError(
    `The value of "${name}" is out of range. It must be ${expected}. Received ${String(value)}`,
  ) as RangeError & { code: string };
  error.code = 'ERR_OUT_OF_RANGE';
  error.stack = error.stack?.replace(/^RangeError/, 'RangeError [ERR_OUT_OF_RANGE]');
  error.toString = () => `RangeError [ERR_OUT_OF_RANGE]: ${error.message}`;
  return error;
}
