export type { BuiltinModules, Flag } from './flags.js';
export { importPatched } from './import-patched.js';
export { importPatchedAsync } from './import-patched-esm.js';
export { isMonkeyPatched } from './is-monkey-patched.js';
export { type FlagSelection, monkeyPatch } from './monkey-patch.js';
export { original } from './original.js';
