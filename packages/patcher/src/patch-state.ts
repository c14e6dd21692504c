/**
 * Which builtins are patched, shared on a `Symbol.for` global so the ESM
 * and CJS builds of the patcher, loaded side by side, agree.
 */
import { PATCH_STATE, processGlobal } from './symbols.js';

interface State {
  /** Builtins whose exports are now green. */
  patched: Set<string>;
  /** Builtins that have been warned about (warn once per module). */
  warned: Set<string>;
  /**
   * Builtin → class export → the prototype's own descriptors, as they were
   * before the first patch (`undefined`: the key was not there), so
   * `original()` can hand out classes without the green methods.
   */
  savedPrototypes: Map<string, Map<string, Map<string, PropertyDescriptor | undefined>>>;
  /** Every flag `monkeyPatch` was given so far: what each new Worker's thread applies. */
  flags: Set<string>;
}

export const state: State = processGlobal<State>(PATCH_STATE, () => ({
  patched: new Set(),
  warned: new Set(),
  savedPrototypes: new Map(),
  flags: new Set(),
}));
// A state made by an older copy of this file lacks the newer fields.
state.savedPrototypes ??= new Map();
state.flags ??= new Set();
