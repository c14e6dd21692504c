/**
 * Which builtins are patched, shared on a `Symbol.for` global so the ESM
 * and CJS builds of the patcher, loaded side by side, agree.
 */
interface State {
  /** Builtins whose exports are now green. */
  patched: Set<string>;
  /** Builtins that have been warned about (warn once per module). */
  warned: Set<string>;
}

const KEY = Symbol.for('verdant.patcher/state');
const g = globalThis as Record<symbol, State | undefined>;
export const state: State = (g[KEY] ??= { patched: new Set(), warned: new Set() });
