/** A short description of a bad argument for error messages. @internal */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value)})`;
  return `${typeof value} ${String(value)}`;
}

/** Validates a byte count: an integer >= 0. @internal */
export function checkSize(what: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new TypeError(`${what} must be an integer number of bytes, got ${describeValue(n)}`);
  }
  if (n < 0) throw new RangeError(`${what} must be >= 0, got ${n}`);
  return n;
}

/** Validates bytes to send: a Buffer/Uint8Array (Python wants bytes, not str). @internal */
export function checkBytes(what: string, data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (typeof data === 'string') {
    throw new TypeError(
      `${what} must be a Buffer or Uint8Array, got a string: encode it first, e.g. Buffer.from(text)`,
    );
  }
  throw new TypeError(`${what} must be a Buffer or Uint8Array, got ${describeValue(data)}`);
}
