import { isBuiltin } from 'node:module';
import { isModuleNamespaceObject } from 'node:util/types';
import { builtinName } from '@verdant/green/node/pristine';
import { outOfRange, wrongType } from './check.js';
import { FLAG_NAMES, FLAGS, type Flag, faceOf } from './flags.js';
import { state } from './patch-state.js';

/**
 * Whether `monkeyPatch` has patched a builtin (`'net'`, `'node:net'`, the
 * module object itself, or its `import * as` namespace) or every module of a flag (`'socket'`). Exact: it
 * reads the patcher's own record, not the module's name or shape.
 *
 * @example
 * import net from 'node:net';
 * import { isMonkeyPatched, monkeyPatch } from '@verdant/patcher';
 * monkeyPatch({ time: true });
 * isMonkeyPatched('node:timers'); // true
 * isMonkeyPatched('time'); // true
 * isMonkeyPatched(net); // false
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
      throw outOfRange(
        'isMonkeyPatched(name)',
        `${JSON.stringify(moduleOrName)} is neither a Node builtin nor a flag (${FLAG_NAMES.join(', ')})`,
      );
    }
    return state.patched.has(builtinName(moduleOrName));
  }
  if (
    (typeof moduleOrName === 'object' || typeof moduleOrName === 'function') &&
    moduleOrName !== null
  ) {
    // `import * as timers from 'node:timers'` is a namespace whose default is the module.
    const module = isModuleNamespaceObject(moduleOrName)
      ? (moduleOrName as { default?: unknown }).default
      : moduleOrName;
    for (const name of state.patched) {
      if (process.getBuiltinModule(name) === module) return true;
    }
    return false;
  }
  throw wrongType(
    'isMonkeyPatched(moduleOrName)',
    'moduleOrName must be a module name or a module object',
    moduleOrName,
  );
}

/** A builtin the patcher has a face for (the others of a flag cannot be patched yet). */
function canPatch(name: string): boolean {
  return faceOf(name) !== undefined;
}
