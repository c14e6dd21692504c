import { isBuiltin } from 'node:module';
import { builtinName, FACES, faceValue } from './flags.js';

/** Module name → the module value its importers get. */
export type Overrides = Map<string, unknown>;

/** A green face namespace stands for its `default` (what `require` returns). */
function moduleValue(value: unknown): unknown {
  const v = value as { patched?: unknown; default?: unknown } | null;
  if (v !== null && typeof v === 'object' && Array.isArray(v.patched) && v.default !== undefined)
    return v.default;
  return value;
}

function key(name: string): string {
  return isBuiltin(name) ? builtinName(name) : name;
}

/**
 * Reads `importPatched`'s arguments after the name: nothing (every green
 * face), one `{ name: module }` object, or `[name, module]` pairs.
 *
 * @example
 * readOverrides([['net', greenNet]]); // Map { 'net' => greenNet }
 */
export function readOverrides(what: string, args: unknown[]): Overrides {
  const map: Overrides = new Map();
  if (args.length === 0) {
    for (const [name, face] of Object.entries(FACES)) map.set(name, faceValue(face));
    return map;
  }
  if (
    args.length === 1 &&
    args[0] !== null &&
    typeof args[0] === 'object' &&
    !Array.isArray(args[0])
  ) {
    for (const [name, value] of Object.entries(args[0] as Record<string, unknown>)) {
      map.set(key(name), moduleValue(value));
    }
    return map;
  }
  args.forEach((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string') {
      throw new TypeError(
        `${what}(name, ...pairs): argument ${i + 2} must be a [moduleName, module] pair, got ${pair === null ? 'null' : Array.isArray(pair) ? `an array of ${pair.length}` : typeof pair}`,
      );
    }
    if (pair[1] === null || (typeof pair[1] !== 'object' && typeof pair[1] !== 'function')) {
      throw new TypeError(
        `${what}: the module for ${JSON.stringify(pair[0])} must be an object, got ${typeof pair[1]}`,
      );
    }
    map.set(key(pair[0]), moduleValue(pair[1]));
  });
  return map;
}

/** Same names, same module objects: the cached copy can be reused. */
export function sameOverrides(a: Overrides, b: Overrides): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (!b.has(k) || b.get(k) !== v) return false;
  return true;
}
