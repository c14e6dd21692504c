/**
 * The patcher's process-global keys, all in one place. Its state lives on
 * `globalThis` under `Symbol.for` keys so the ESM and CJS builds, loaded
 * side by side, share one copy of it.
 */

/** Which builtins are patched (`patch-state.ts`). */
export const PATCH_STATE = Symbol.for('verdant.patcher/state');
/** Builtins user code required before the patch (`observe.ts`). */
export const TAKEN = Symbol.for('verdant.patcher/taken');
/** `original()`'s copies with unpatched classes (`original.ts`). */
export const ORIGINALS = Symbol.for('verdant.patcher/originals');
/** Copy id → overridden module values, read by the ESM stand-in modules (`esm-hooks.ts`). */
export const ESM_REGISTRY = Symbol.for('verdant.patcher/esm');

/** The value under `key` on `globalThis`, made by `init` the first time. */
export function processGlobal<T>(key: symbol, init: () => T): T {
  const g = globalThis as Record<symbol, T | undefined>;
  return (g[key] ??= init());
}
