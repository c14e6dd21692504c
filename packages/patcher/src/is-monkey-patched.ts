import { isBuiltin } from 'node:module';
import { builtinName, FACES, FLAG_NAMES, FLAGS, type Flag } from './flags.js';
import { state } from './patch-state.js';

/**
 * Whether `monkeyPatch` has patched a builtin (`'net'`, `'node:net'`, or the
 * module object itself) or every module of a flag (`'socket'`). Exact: it
 * reads the patcher's own record, not the module's name or shape.
 *
 * @example
 * monkeyPatch({ time: true });
 * isMonkeyPatched('node:timers'); // true
 * isMonkeyPatched('time');        // true
 * isMonkeyPatched(require('net')); // false
 */
export function isMonkeyPatched(moduleOrName: unknown): boolean {
  if (typeof moduleOrName === 'string') {
    if ((FLAG_NAMES as string[]).includes(moduleOrName)) {
      const names = FLAGS[moduleOrName as Flag];
      return (
        names.some((n) => state.patched.has(n)) &&
        names.every((n) => state.patched.has(n) || !canPatch(n))
      );
    }
    if (!isBuiltin(moduleOrName)) {
      throw new TypeError(
        `isMonkeyPatched(name): ${JSON.stringify(moduleOrName)} is neither a Node builtin nor a flag (${FLAG_NAMES.join(', ')})`,
      );
    }
    return state.patched.has(builtinName(moduleOrName));
  }
  if (
    (typeof moduleOrName === 'object' || typeof moduleOrName === 'function') &&
    moduleOrName !== null
  ) {
    for (const name of state.patched) {
      if (process.getBuiltinModule(name) === moduleOrName) return true;
    }
    return false;
  }
  throw new TypeError(
    `isMonkeyPatched(moduleOrName): expected a module name or a module object, got ${moduleOrName === null ? 'null' : typeof moduleOrName}`,
  );
}

/** A builtin the patcher has a face for (the others of a flag cannot be patched yet). */
function canPatch(name: string): boolean {
  return FACES[name] !== undefined;
}
