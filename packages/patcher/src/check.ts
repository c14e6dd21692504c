/**
 * The patcher's argument checks, one rule for all of them: a TypeError for
 * a value of the wrong type, a RangeError for a value of the right type
 * that is not one of the allowed ones (an unknown flag, a name that is not
 * a Node builtin). Each message starts with the call and the argument,
 * `original(name): ...`, and says what was given.
 */
import { isBuiltin } from 'node:module';
import { builtinName } from '@verdant/green/node/pristine';

/** How a bad value reads in a message: `null`, `"yes"`, `number 1`, `an object`. */
function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  return `${typeof value} ${String(value)}`;
}

/** `where: expected, got <value>`, as a TypeError. */
export function wrongType(where: string, expected: string, value: unknown): TypeError {
  return new TypeError(`${where}: ${expected}, got ${describe(value)}`);
}

/** `where: problem`, as a RangeError. */
export function outOfRange(where: string, problem: string): RangeError {
  return new RangeError(`${where}: ${problem}`);
}

/** A Node builtin's name (`'net'`, `'node:net'`), returned without its `node:` prefix. */
export function checkBuiltin(where: string, name: unknown): string {
  if (typeof name !== 'string') {
    throw wrongType(where, "name must be a Node builtin such as 'net' or 'node:net'", name);
  }
  if (!isBuiltin(name)) {
    throw outOfRange(
      where,
      `${JSON.stringify(name)} is not a Node builtin (such as 'net' or 'node:net')`,
    );
  }
  return builtinName(name);
}

/** The module a patched copy is made of: a name or path, not a builtin (those have faces). */
export function checkTarget(where: string, name: unknown): string {
  if (typeof name !== 'string') throw wrongType(where, 'name must be a module name or path', name);
  if (name === '') throw outOfRange(where, 'name must be a module name or path, got ""');
  if (isBuiltin(name)) {
    const face = builtinName(name).replace(/_|\//g, '-');
    throw outOfRange(
      where,
      `${name} is a Node builtin; its green face is @verdant/green/node/${face}`,
    );
  }
  return name;
}

/** One `[moduleName, module]` pair of `importPatched`'s positional form (`position` counts from 1). */
export function checkPair(where: string, position: number, pair: unknown): [string, object] {
  if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string') {
    throw wrongType(where, `argument ${position} must be a [moduleName, module] pair`, pair);
  }
  const [name, module] = pair as [string, unknown];
  return [name, checkModule(where, name, module)];
}

/** The module value given for `name` (either form of `importPatched`): an object or function. */
export function checkModule(where: string, name: string, module: unknown): object {
  if (module === null || (typeof module !== 'object' && typeof module !== 'function')) {
    throw wrongType(where, `the module for ${JSON.stringify(name)} must be an object`, module);
  }
  return module;
}

/**
 * `monkeyPatch`'s flags as `[name, value]` entries: an object of booleans
 * or an array of names, every name one of `valid`.
 */
export function checkFlags(
  where: string,
  flags: unknown,
  valid: readonly string[],
): [string, boolean | undefined][] {
  const list = valid.join(', ');
  let entries: [string, unknown][];
  if (Array.isArray(flags)) entries = flags.map((f): [string, unknown] => [f, true]);
  else if (flags !== null && typeof flags === 'object') entries = Object.entries(flags);
  else {
    throw wrongType(
      where,
      `flags must be an object like { socket: true } or an array of flag names (${list})`,
      flags,
    );
  }
  const unknown = entries.map(([k]) => k).filter((k) => !valid.includes(k));
  if (unknown.length !== 0) {
    const names = unknown.map((k) => JSON.stringify(k)).join(', ');
    throw outOfRange(
      where,
      `unknown flag${unknown.length > 1 ? 's' : ''} ${names}; valid flags are ${list}`,
    );
  }
  for (const [k, v] of entries) {
    // Anything but a boolean would otherwise count as "not true", quietly patching everything.
    if (v !== true && v !== false && v !== undefined) {
      throw wrongType(where, `flag "${k}" must be true or false (undefined = not mentioned)`, v);
    }
  }
  return entries as [string, boolean | undefined][];
}
