/**
 * Remembers which builtins user code `require`d, so `monkeyPatch` can warn
 * when it patches a module someone already holds. Installed when the
 * patcher loads: requires made before that, and ESM imports (whose named
 * bindings `syncBuiltinESMExports` updates anyway), are not seen.
 */
import Module, { isBuiltin } from 'node:module';
import { builtinName } from '@verdant/green/node/pristine';
import { processGlobal, TAKEN } from './symbols.js';

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
const M = Module as unknown as { _load: Load };

/** Builtins requested by code other than Verdant's own packages. */
export const taken: Set<string> = processGlobal(TAKEN, installObserver);

function installObserver(): Set<string> {
  const seen = new Set<string>();
  const previous = M._load;
  M._load = function observe(request: string, parent: unknown, isMain: boolean): unknown {
    if (typeof request === 'string' && isBuiltin(request)) {
      const from = (parent as { filename?: string } | null)?.filename ?? '';
      if (!/[\\/]packages[\\/](?:green|hub|patcher)[\\/]dist[\\/]|@verdant[\\/]/.test(from))
        seen.add(builtinName(request));
    }
    return previous.call(this, request, parent, isMain);
  };
  return seen;
}
