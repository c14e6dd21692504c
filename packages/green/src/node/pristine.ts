/**
 * Unpatched copies of Node builtins. The first call for a name copies the
 * builtin's exports (getters that hand out a sub-module, such as
 * `fs.promises`, point at that sub-module's copy); the copies live on a
 * `Symbol.for` global, so every copy of this package, and the patcher, share
 * them. Faces call their originals through these, so a face loaded after
 * the builtin was patched still reaches Node's own functions.
 */
import { isBuiltin } from 'node:module';
import { PRISTINE } from '../internal/symbols.js';

type Store = Map<string, object>;
const store: Store = ((globalThis as { [PRISTINE]?: Store })[PRISTINE] ??= new Map());

/** Sub-modules reachable as a getter on their parent (`fs.promises` is `fs/promises`). */
const SUBMODULES: Record<string, Record<string, string>> = {
  fs: { promises: 'fs/promises' },
  dns: { promises: 'dns/promises' },
  timers: { promises: 'timers/promises' },
  stream: { promises: 'stream/promises' },
  readline: { promises: 'readline/promises' },
};

/**
 * `net`, `node:net` → `net`.
 *
 * @example
 * import { builtinName } from '@verdant/green/node/pristine';
 * builtinName('node:fs/promises'); // 'fs/promises'
 */
export function builtinName(name: string): string {
  return name.startsWith('node:') ? name.slice(5) : name;
}

function load(name: string): object {
  return process.getBuiltinModule(name) as object;
}

/** A callable copy of a function-shaped module (`events` is EventEmitter). */
function copyFunction(fn: (...args: unknown[]) => unknown): object {
  const copy = function (this: unknown, ...args: unknown[]): unknown {
    return new.target ? Reflect.construct(fn, args, new.target) : Reflect.apply(fn, this, args);
  };
  Object.setPrototypeOf(copy, fn);
  return copy;
}

/**
 * The builtin `name` as it was before anything patched it (as it is now if
 * this is the first call and nothing has).
 *
 * @example
 * import { pristine } from '@verdant/green/node/pristine';
 * const { setTimeout } = pristine('timers') as typeof import('node:timers'); // Node's own, patched or not
 */
export function pristine(name: string): object {
  const id = builtinName(name);
  const known = store.get(id);
  if (known !== undefined) return known;
  if (!isBuiltin(id))
    throw new TypeError(`pristine(name): ${JSON.stringify(name)} is not a Node builtin`);
  const exports = load(id);
  const copy =
    typeof exports === 'function'
      ? copyFunction(exports as (...args: unknown[]) => unknown)
      : Object.create(Object.getPrototypeOf(exports) as object | null);
  store.set(id, copy);
  const subs = SUBMODULES[id] ?? {};
  for (const key of Reflect.ownKeys(exports)) {
    const d = Object.getOwnPropertyDescriptor(exports, key)!;
    if (typeof exports === 'function' && (key === 'length' || key === 'name')) continue;
    if (typeof exports === 'function' && key === 'prototype') {
      (copy as { prototype: unknown }).prototype = d.value;
      continue;
    }
    const sub = typeof key === 'string' ? subs[key] : undefined;
    if (sub !== undefined) {
      Object.defineProperty(copy, key, {
        get: () => pristine(sub),
        enumerable: d.enumerable ?? true,
        configurable: true,
      });
    } else {
      Object.defineProperty(copy, key, { ...d, configurable: true });
    }
  }
  return copy;
}

/**
 * Whether a pristine copy of `name` has been taken (so it may since have been patched).
 *
 * @example
 * import { hasPristine, pristine } from '@verdant/green/node/pristine';
 * pristine('net');
 * hasPristine('node:net'); // true
 */
export function hasPristine(name: string): boolean {
  return store.has(builtinName(name));
}
