import { isBuiltin } from 'node:module';
import { builtinName, pristine } from '@verdant/green/node/pristine';

/**
 * The unpatched builtin: a copy of its exports taken before `monkeyPatch`
 * changed them (the module itself when it was never patched).
 *
 * @example
 * monkeyPatch({ time: true });
 * const { setTimeout } = original('timers') as typeof import('node:timers'); // Node's own
 */
export function original(name: string): unknown {
  if (typeof name !== 'string' || !isBuiltin(name)) {
    throw new TypeError(
      `original(name): name must be a Node builtin such as 'net' or 'node:net', got ${JSON.stringify(name)}`,
    );
  }
  return pristine(builtinName(name));
}
