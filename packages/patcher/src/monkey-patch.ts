import Module from 'node:module';
import { basename, dirname, join } from 'node:path';
import { pristine } from '@verdant/green/node/pristine';
import { setWorkerPatch } from '@verdant/green/node/worker-threads';
import { getHub } from '@verdant/hub';
import { ownDir } from './caller.js';
import { checkFlags } from './check.js';
import { FLAG_NAMES, FLAGS, type Flag, faceOf } from './flags.js';
import { taken } from './observe.js';
import { state } from './patch-state.js';

/** `monkeyPatch`'s selective form: `{ socket: true, time: true }`. */
export type FlagSelection = Partial<Record<Flag, boolean>>;

/** Picks flags the way eventlet does: any `true` → only those; only `false`s → all but those. */
function chooseFlags(flags: FlagSelection | readonly Flag[] | undefined): Flag[] {
  if (flags === undefined) return [...FLAG_NAMES];
  const entries = checkFlags('monkeyPatch(flags)', flags, FLAG_NAMES);
  const on = entries.filter(([, v]) => v === true).map(([k]) => k as Flag);
  if (on.length !== 0) return on;
  const off = new Set(entries.filter(([, v]) => v === false).map(([k]) => k));
  return FLAG_NAMES.filter((f) => !off.has(f));
}

function savedFor(name: string, cls: string): Map<string, PropertyDescriptor | undefined> {
  let byClass = state.savedPrototypes.get(name);
  if (byClass === undefined) state.savedPrototypes.set(name, (byClass = new Map()));
  let saved = byClass.get(cls);
  if (saved === undefined) byClass.set(cls, (saved = new Map()));
  return saved;
}

/** Replaces the face's declared names on the builtin's own exports object. */
function patchBuiltin(name: string): boolean {
  const face = faceOf(name);
  if (face === undefined) return false;
  if (state.patched.has(name)) return true;
  pristine(name); // the copy `original()` returns, taken before any change
  const exports = process.getBuiltinModule(name) as Record<string, unknown>;
  // Prototype patches reach every instance, however it was taken: only replaced exports can be missed.
  if (taken.has(name) && face.patched.length !== 0 && !state.warned.has(name)) {
    state.warned.add(name);
    getHub().logger.warn(
      { module: name },
      `monkeyPatch: '${name}' was already required before it was patched; values copied out of it then (e.g. const { x } = require('${name}')) stay unpatched. Call monkeyPatch() first.`,
    );
  }
  for (const key of face.patched) {
    const d = Object.getOwnPropertyDescriptor(exports, key);
    // Getter-only exports (fs.promises and the like) need defineProperty.
    Object.defineProperty(exports, key, {
      value: face[key],
      writable: true,
      enumerable: d?.enumerable ?? true,
      configurable: true,
    });
  }
  for (const [cls, methods] of Object.entries(face.patchedPrototypes ?? {})) {
    const proto = (exports[cls] as { prototype: object }).prototype;
    const saved = savedFor(name, cls);
    for (const [key, value] of Object.entries(methods)) {
      // Kept for original(): first patch wins, so a repeat never saves a green method.
      if (!saved.has(key)) saved.set(key, Object.getOwnPropertyDescriptor(proto, key));
      Object.defineProperty(proto, key, {
        value,
        writable: true,
        enumerable: false,
        configurable: true,
      });
    }
  }
  for (const key of face.patchedGlobals ?? []) {
    (globalThis as Record<string, unknown>)[key] = face[key];
  }
  for (const [name, statics] of Object.entries(face.patchedGlobalStatics ?? {})) {
    const target = (globalThis as Record<string, unknown>)[name] as object | undefined;
    if (target === undefined) continue;
    for (const [key, value] of Object.entries(statics)) {
      Object.defineProperty(target, key, {
        value,
        writable: true,
        enumerable: false,
        configurable: true,
      });
    }
  }
  face.activate?.();
  state.patched.add(name);
  return true;
}

/**
 * Greens Node's builtins in place: `monkeyPatch()` patches every flag,
 * `monkeyPatch({ socket: true, time: true })` only those (`{ os: false }`:
 * all but those). Existing `import { x } from 'node:...'` bindings, later
 * `require`s and `process.getBuiltinModule` all see the green versions.
 * Safe to call repeatedly and incrementally. Returns the builtins the chosen
 * flags cover, all patched now (by this call or an earlier one).
 *
 * @example
 * import { monkeyPatch } from '@verdant/patcher';
 * monkeyPatch();                              // everything
 * monkeyPatch({ socket: true, select: true }); // only these
 */
export function monkeyPatch(flags?: FlagSelection | readonly Flag[]): string[] {
  const chosen = chooseFlags(flags);
  const done: string[] = [];
  for (const flag of chosen) {
    const missing: string[] = [];
    for (const name of FLAGS[flag]) {
      if (patchBuiltin(name)) done.push(name);
      else missing.push(name);
    }
    if (missing.length !== 0 && !state.warned.has(`flag:${flag}`)) {
      state.warned.add(`flag:${flag}`);
      getHub().logger.warn(
        { flag, missing },
        `monkeyPatch: flag '${flag}' has no green face yet for ${missing.join(', ')}; those stay unpatched`,
      );
    }
  }
  for (const flag of chosen) state.flags.add(flag);
  // Each Worker made from now on applies the same selection in its thread.
  setWorkerPatch({ preload: threadPreload(), flags: [...state.flags] });
  // ESM named imports of builtins are copies: bring them up to date.
  Module.syncBuiltinESMExports();
  return done;
}

/** The CommonJS build of `thread-preload` (a `--require` takes CommonJS), from either build. */
function threadPreload(): string {
  const dir = ownDir();
  const name = basename(dir);
  return name === 'esm' || name === 'cjs'
    ? join(dirname(dir), 'cjs', 'thread-preload.js')
    : join(dir, 'thread-preload.js');
}

/** True once `monkeyPatch` has patched `builtin` (no `node:` prefix). */
export function isBuiltinPatched(builtin: string): boolean {
  return state.patched.has(builtin);
}
