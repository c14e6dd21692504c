import { checkFunction, describeValue } from './check.js';
import { hub } from './hub.js';

/**
 * Green-thread-local storage (eventlet's `corolocal.local`): an object whose
 * properties each green thread sees separately. A value set in one thread is
 * invisible in every other, and is dropped when its thread ends. Code
 * outside any green thread shares one record of its own.
 *
 * Give `init` to start every thread's record from fresh defaults (it runs
 * lazily, in the thread, at its first access); without it, properties read
 * `undefined` until set, hence the `Partial` type.
 *
 * @example
 * import { local, run, sleep, spawn } from '@verdant/hub';
 *
 * const request = local(() => ({ id: '' }));
 * function* log(what: string) {
 *   console.log(request.id, what); // deeper code reads this thread's id
 * }
 * await run(function* () {
 *   const handlers = ['a', 'b'].map((id) =>
 *     spawn(function* () {
 *       request.id = id; // only this thread sees it
 *       yield* sleep(10);
 *       yield* log('done');
 *     }),
 *   );
 *   for (const h of handlers) yield* h.wait();
 * }); // prints 'a done' and 'b done'
 */
export function local<T extends object>(): Partial<T>;
export function local<T extends object>(init: () => T): T;
export function local<T extends object>(init?: () => T): T | Partial<T> {
  if (init !== undefined) checkFunction('local(init)', 'init', init);
  // The key under which each thread keeps this local's record in its _locals map.
  const key: object = {};
  let outside: object | undefined;
  const fresh = (): Record<PropertyKey, unknown> => {
    const defaults = init === undefined ? {} : init();
    if (defaults === null || typeof defaults !== 'object') {
      throw new TypeError(
        `local(init): init must return an object, got ${describeValue(defaults)}`,
      );
    }
    return defaults as Record<PropertyKey, unknown>;
  };
  const record = (): Record<PropertyKey, unknown> => {
    const t = hub.current;
    if (t === null) return (outside ??= fresh()) as Record<PropertyKey, unknown>;
    const locals = (t._locals ??= new Map());
    let r = locals.get(key) as Record<PropertyKey, unknown> | undefined;
    if (r === undefined) {
      r = fresh();
      locals.set(key, r);
    }
    return r;
  };
  return new Proxy({} as T, {
    get: (_, prop) => record()[prop],
    set: (_, prop, value) => {
      record()[prop] = value;
      return true;
    },
    has: (_, prop) => prop in record(),
    deleteProperty: (_, prop) => delete record()[prop],
    ownKeys: () => Reflect.ownKeys(record()),
    getOwnPropertyDescriptor: (_, prop) => {
      const d = Reflect.getOwnPropertyDescriptor(record(), prop);
      // The proxy's target has no own properties, so each must read as configurable.
      if (d !== undefined) d.configurable = true;
      return d;
    },
    defineProperty: (_, prop, descriptor) => Reflect.defineProperty(record(), prop, descriptor),
  });
}
