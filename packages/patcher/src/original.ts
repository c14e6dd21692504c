import { pristine } from '@verdant/green/node/pristine';
import { checkBuiltin } from './check.js';
import type { BuiltinModules } from './flags.js';
import { state } from './patch-state.js';
import { ORIGINALS, processGlobal } from './symbols.js';

type Ctor = ((...args: unknown[]) => unknown) & { prototype: object };
type Saved = Map<string, PropertyDescriptor | undefined>;

// Shared like the patch state, so the ESM and CJS builds hand out one copy.
const copies = processGlobal(ORIGINALS, () => new Map<string, object>());

/**
 * A subclass of a patched builtin class whose prototype puts back what the
 * patch replaced (and hides what it added). A plain function, not a
 * `class`: Node calls its classes without `new` (tls uses `Reflect.apply`).
 */
function unpatchedClass(Real: Ctor, saved: Saved): Ctor {
  const Unpatched = function (this: unknown, ...args: unknown[]): unknown {
    return Reflect.construct(Real, args, new.target ?? Unpatched);
  } as unknown as Ctor;
  const proto = Object.create(Real.prototype) as object;
  for (const [key, d] of saved) {
    Object.defineProperty(
      proto,
      key,
      d ?? { value: undefined, writable: true, enumerable: false, configurable: true },
    );
  }
  Object.defineProperty(proto, 'constructor', {
    value: Unpatched,
    writable: true,
    enumerable: false,
    configurable: true,
  });
  Object.defineProperty(Unpatched, 'prototype', { value: proto, writable: false });
  Object.defineProperty(Unpatched, 'name', { value: Real.name });
  Object.setPrototypeOf(Unpatched, Real); // static members
  return Unpatched;
}

/** The builtin's own factories, rebuilt on the unpatched classes (same steps as Node's). */
function factories(id: string, copy: Record<string, unknown>): void {
  if (id === 'net') {
    type Sock = { setTimeout(ms: number): void; connect(...a: unknown[]): unknown };
    const Socket = copy.Socket as new (...a: unknown[]) => Sock;
    const Server = copy.Server as new (...a: unknown[]) => unknown;
    const connect = (...args: unknown[]): unknown => {
      const first = args[0];
      const options = (first !== null && typeof first === 'object' ? first : {}) as {
        timeout?: number;
      };
      const socket = new Socket(options);
      if (options.timeout) socket.setTimeout(options.timeout);
      return socket.connect(...args);
    };
    copy.connect = connect;
    copy.createConnection = connect;
    copy.createServer = (...args: unknown[]): unknown => new Server(...args);
  } else if (id === 'dgram') {
    const Socket = copy.Socket as new (...a: unknown[]) => unknown;
    copy.createSocket = (...args: unknown[]): unknown => new Socket(...args);
  }
}

/**
 * The pristine copy, plus (once `monkeyPatch` changed a class's prototype)
 * unpatched subclasses of those classes and factories that build on them.
 */
function unpatched(id: string): object {
  const base = pristine(id);
  const byClass = state.savedPrototypes.get(id);
  if (byClass === undefined || byClass.size === 0) return base;
  const known = copies.get(id);
  if (known !== undefined) return known;
  const copy = Object.create(Object.getPrototypeOf(base) as object | null) as Record<
    string,
    unknown
  >;
  for (const key of Reflect.ownKeys(base)) {
    Object.defineProperty(copy, key, Object.getOwnPropertyDescriptor(base, key)!);
  }
  for (const [cls, saved] of byClass) {
    copy[cls] = unpatchedClass(copy[cls] as Ctor, saved);
  }
  factories(id, copy);
  copies.set(id, copy);
  return copy;
}

/**
 * The unpatched builtin: a copy of its exports taken before `monkeyPatch`
 * changed them (the module itself when it was never patched). Where the
 * patch changed a class's prototype (`net.Socket`,
 * `dgram.Socket`), the copy's class is a subclass with the original methods
 * back, and the copy's factories (`connect`, `createConnection`,
 * `createServer`, `createSocket`) build on it. Typed for every builtin the
 * patcher has a face for (`original('net')` is `typeof import('node:net')`);
 * any other builtin gives `unknown`.
 *
 * @example
 * import { monkeyPatch, original } from '@verdant/patcher';
 * monkeyPatch({ time: true });
 * const { setTimeout } = original('timers'); // Node's own
 * setTimeout(() => {}, 10);
 */
export function original<N extends keyof BuiltinModules>(name: N | `node:${N}`): BuiltinModules[N];
export function original(name: string): unknown;
export function original(name: string): unknown {
  return unpatched(checkBuiltin('original(name)', name));
}
