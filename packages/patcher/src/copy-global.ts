/**
 * A patched copy's own view of `globalThis`: its `Symbol.for`-keyed
 * properties are the copy's, everything else is the process's.
 *
 * Libraries keep process-wide singletons on `globalThis` under registered
 * symbols (undici's default dispatcher under
 * `Symbol.for('undici.globalDispatcher.1')`, which Node's own `fetch` reads
 * too). A copy that shared those would not be an independent instance: it
 * would pick up the unpatched world's object (Node's Agent, on Node's `net`)
 * or hand its green one to the unpatched world. So the copy's files see a
 * proxy whose registered-symbol keys live on its own object, while string
 * keys and other symbols (builtins, well-known symbols) reach the real
 * global, reads and writes alike.
 */

/** The key on a copy's module record under which its file finds the view. */
const COPY_GLOBAL = Symbol.for('verdant.patcher/copy-global');

const isRegistered = (key: string | symbol): key is symbol =>
  typeof key === 'symbol' && Symbol.keyFor(key) !== undefined;

/**
 * A new view of `globalThis` for one copy. The proxy's target holds the
 * copy's own registered-symbol properties; other keys go to the real global,
 * and a non-configurable one is mirrored on the target as it is reported, so
 * the proxy keeps the invariants Proxy requires (undici defines its slot
 * non-configurable).
 */
export function copyGlobal(): typeof globalThis {
  const real = globalThis;
  const own: Record<string | symbol, unknown> = Object.create(null);
  const mirror = (key: string | symbol, desc: PropertyDescriptor | undefined) => {
    if (desc !== undefined && desc.configurable === false) Reflect.defineProperty(own, key, desc);
    return desc;
  };
  const view: typeof globalThis = new Proxy(own, {
    get: (t, key) => {
      if (isRegistered(key)) return Reflect.get(t, key);
      // `global.global === global` is how libraries (underscore, lodash) find the global: keep it true.
      if (key === 'globalThis' || key === 'global') return view;
      return Reflect.get(real, key);
    },
    set: (t, key, value) =>
      isRegistered(key) ? Reflect.set(t, key, value) : Reflect.set(real, key, value),
    has: (t, key) => (isRegistered(key) ? Reflect.has(t, key) : Reflect.has(real, key)),
    deleteProperty: (t, key) =>
      isRegistered(key) ? Reflect.deleteProperty(t, key) : Reflect.deleteProperty(real, key),
    defineProperty: (t, key, desc) => {
      if (isRegistered(key)) return Reflect.defineProperty(t, key, desc);
      if (!Reflect.defineProperty(real, key, desc)) return false;
      mirror(key, Reflect.getOwnPropertyDescriptor(real, key));
      return true;
    },
    getOwnPropertyDescriptor: (t, key) =>
      isRegistered(key)
        ? Reflect.getOwnPropertyDescriptor(t, key)
        : mirror(key, Reflect.getOwnPropertyDescriptor(real, key)),
    ownKeys: (t) => [
      ...new Set([...Reflect.ownKeys(real).filter((k) => !isRegistered(k)), ...Reflect.ownKeys(t)]),
    ],
    getPrototypeOf: () => Reflect.getPrototypeOf(real),
    setPrototypeOf: (_t, proto) => Reflect.setPrototypeOf(real, proto),
    // Proxy insists the target agrees on extensibility: the copy's object follows the real one.
    isExtensible: (t) => Reflect.isExtensible(t),
    // Freezing the process's global from inside one copy is refused (a TypeError in
    // Object.freeze), leaving the real global as it was; a frozen view could not keep
    // Proxy's invariants while the real global's keys change.
    preventExtensions: () => false,
  }) as typeof globalThis;
  return view;
}

/** What of a CommonJS module record (Node's `Module`) is used here. */
interface Compilable {
  _compile(content: string, filename: string, ...rest: unknown[]): unknown;
}

/**
 * Makes the module record `m` (a copy's, not loaded yet) compile its file
 * with `view` as its `globalThis`. A file that does not compile inside a
 * function (ES syntax in a `.js` file, which Node then loads as an ES
 * module; a syntax error of its own) is handed to Node as it is: it then
 * shares the real global, and its errors are Node's.
 */
export function compileWithView(m: Compilable, view: typeof globalThis): void {
  let started = false;
  Object.defineProperty(m, COPY_GLOBAL, {
    get: () => {
      started = true;
      return view;
    },
    configurable: true,
  });
  m._compile = function (this: Compilable, content, filename, ...rest) {
    // Looked up at each call: a tool that wraps Node's _compile later (coverage, transpilers) still runs.
    const compile = (Object.getPrototypeOf(this) as Compilable)._compile;
    try {
      return compile.call(this, withCopyGlobal(content), filename, ...rest);
    } catch (error) {
      // Thrown before the file's first statement read the view: it did not compile so.
      if (started || !(error instanceof SyntaxError)) throw error;
      return compile.call(this, content, filename, ...rest);
    }
  };
}

/**
 * `source` (a CommonJS file's text) with `globalThis` and `global` bound to
 * the view on `module[COPY_GLOBAL]` for its whole body. The body runs in a
 * function of its own, called with the wrapper's `this` and `arguments`, so
 * its own declarations (even `let global`), `'use strict'`, top-level
 * `return` and line numbers stay as they were.
 */
function withCopyGlobal(source: string): string {
  // A hashbang is only valid at the very start of the source: keep the line, as a comment.
  const body = source.startsWith('#!') ? `//${source.slice(2)}` : source;
  const key = JSON.stringify(Symbol.keyFor(COPY_GLOBAL));
  return `{const globalThis=module[Symbol.for(${key})],global=globalThis;(function(){${body}\n}).apply(this,arguments);}`;
}
