import { checkFunction } from './check.js';
import { hub } from './hub.js';
import type { Operation } from './operation.js';
import { PARK } from './symbols.js';
import type { Arm } from './thread-record.js';

export type { Arm, Disposer } from './thread-record.js';

/**
 * Parks the current green thread until `arm`'s `resume(value)` or
 * `fail(error)` is called; the one primitive every blocking call is built on.
 *
 * `arm` registers the wake-up and may return a disposer. The disposer runs
 * exactly once when the park ends: with `false` just before the thread
 * resumes normally, with `true` if a kill or Timeout ended it instead (even
 * after `resume` was called, so a primitive that handed over a value can take
 * it back). `resume` and `fail` return false when the wake-up came too late.
 * `label` says what the thread waits on, in `getHub().threads()`; `call`
 * names the blocking call built on it (`Queue.get`), for the error thrown
 * when it runs outside a green thread.
 *
 * @example
 * import { EventEmitter } from 'node:events';
 * import { type Operation, run, suspend } from '@verdant/hub';
 *
 * function once(emitter: EventEmitter, name: string): Operation<unknown> {
 *   return suspend((resume) => {
 *     emitter.on(name, resume);
 *     return () => emitter.off(name, resume);
 *   }, `once ${name}`);
 * }
 *
 * const emitter = new EventEmitter();
 * setTimeout(() => emitter.emit('ready', 'go'), 10);
 * const got = await run(function* () {
 *   return yield* once(emitter, 'ready');
 * });
 * console.log(got); // 'go'
 */
export function suspend<T>(arm: Arm<T>, label?: string, call?: string): Operation<T> {
  checkFunction('suspend(arm)', 'arm', arm);
  return park(arm as Arm<unknown>, label, call ?? 'suspend');
}

function* park<T>(arm: Arm<unknown>, label: string | undefined, call: string): Operation<T> {
  const t = hub.current;
  if (t === null) throw notInThread(call);
  hub.prepare(t, arm, label);
  return (yield PARK) as T;
}

export function notInThread(what: string): Error {
  // `Queue.get` is called on an instance: show it as `q.get(...)`.
  const dot = what.lastIndexOf('.');
  const example =
    dot < 0
      ? `${what}(...)`
      : `${what[0]!.toLowerCase()}${what.slice(1, dot).replace(/[a-z]/g, '')}.${what.slice(dot + 1)}(...)`;
  return new Error(
    `${what} must run inside a green thread: use \`yield* ${example}\` in a function* started with spawn(), run() or main()`,
  );
}
