import { isBuiltin } from 'node:module';
import { builtinName } from '@verdant/green/node/pristine';
import { checkModule, checkPair } from './check.js';
import { allFaces } from './flags.js';

/** Module name → the module value its importers get. */
export type Overrides = Map<string, unknown>;

/**
 * A green face namespace stands for its `default` (what `require` returns);
 * handing it to a copy turns on what it needs (`activate`).
 */
function moduleValue(value: unknown): unknown {
  const v = value as { patched?: unknown; default?: unknown; activate?: unknown } | null;
  if (v !== null && typeof v === 'object' && Array.isArray(v.patched)) {
    if (typeof v.activate === 'function') (v.activate as () => void)();
    if (v.default !== undefined) return v.default;
  }
  return value;
}

function key(name: string): string {
  return isBuiltin(name) ? builtinName(name) : name;
}

/**
 * Reads `importPatched`'s arguments after the name: nothing (every green
 * face), one `{ name: module }` object, or `[name, module]` pairs.
 */
export function readOverrides(what: string, args: unknown[]): Overrides {
  const map: Overrides = new Map();
  if (args.length === 0) {
    for (const [name, face] of allFaces()) map.set(name, moduleValue(face));
    return map;
  }
  if (
    args.length === 1 &&
    args[0] !== null &&
    typeof args[0] === 'object' &&
    !Array.isArray(args[0])
  ) {
    for (const [name, value] of Object.entries(args[0] as Record<string, unknown>)) {
      map.set(key(name), moduleValue(checkModule(`${what}(name, modules)`, name, value)));
    }
    return map;
  }
  args.forEach((pair, i) => {
    const [name, module] = checkPair(`${what}(name, ...pairs)`, i + 2, pair);
    map.set(key(name), moduleValue(module));
  });
  return map;
}

/** Same names, same module objects: the cached copy can be reused. */
export function sameOverrides(a: Overrides, b: Overrides): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (!b.has(k) || b.get(k) !== v) return false;
  return true;
}
