/**
 * Green face of `node:fs` (the `os` flag): `readFile`, `writeFile`,
 * `appendFile` and `watch` started inside a green thread get its signal, so
 * Node cancels them when the thread ends (the callback gets an AbortError).
 * Other calls cannot be cancelled once libuv has them; they are unchanged.
 */
import type * as Real from 'node:fs';
import promises from './fs-promises.js';
import { withThreadSignal } from './internal/ownership.js';
import { pristine } from './pristine.js';

export * from 'node:fs';

// Node's own functions, even if this face loads after the builtin was patched.
const real = pristine('fs') as typeof Real;

export { promises };

/** What this face replaces in `node:fs`. */
export const patched = ['readFile', 'writeFile', 'appendFile', 'watch'] as const;

type AnyFn = (...args: unknown[]) => unknown;

/** Puts the thread's signal into the options slot of a callback-last call. */
function cancellable(fn: AnyFn, optionsAt: number): AnyFn {
  return (...args: unknown[]) => {
    const cb = args[args.length - 1];
    if (typeof cb === 'function' && args.length === optionsAt + 1) {
      args.splice(optionsAt, 0, withThreadSignal(undefined));
    } else if (args.length > optionsAt) {
      args[optionsAt] = withThreadSignal(args[optionsAt]);
    }
    return fn(...args);
  };
}

/**
 * `fs.readFile`, cancelled if the calling green thread ends.
 *
 * @example
 * import { readFile } from '@verdant/green/node/fs';
 * readFile('/etc/hostname', 'utf8', (err, text) => console.log(err ?? text));
 */
export const readFile = cancellable(real.readFile as AnyFn, 1) as unknown as typeof real.readFile;

/**
 * `fs.writeFile`, cancelled if the calling green thread ends.
 *
 * @example
 * import { writeFile } from '@verdant/green/node/fs';
 * writeFile(join(tmpdir(), 'verdant-example.txt'), 'hi', (err) => console.log(err ?? 'written'));
 */
export const writeFile = cancellable(
  real.writeFile as AnyFn,
  2,
) as unknown as typeof real.writeFile;

/**
 * `fs.appendFile`, cancelled if the calling green thread ends.
 *
 * @example
 * import { appendFile } from '@verdant/green/node/fs';
 * appendFile(join(tmpdir(), 'verdant-example.log'), 'more\n', (err) => console.log(err ?? 'appended'));
 */
export const appendFile = cancellable(
  real.appendFile as AnyFn,
  2,
) as unknown as typeof real.appendFile;

/**
 * `fs.watch`, closed when the calling green thread ends.
 *
 * @example
 * import { watch } from '@verdant/green/node/fs';
 * const watcher = watch(tmpdir(), (event, name) => console.log(event, name));
 * watcher.close();
 */
export const watch = ((path: unknown, options?: unknown, listener?: unknown) => {
  if (typeof options === 'function')
    return (real.watch as AnyFn)(path, withThreadSignal(undefined), options);
  return (real.watch as AnyFn)(path, withThreadSignal(options), listener);
}) as unknown as typeof real.watch;

/** The face as CommonJS code sees `require('fs')`. */
const face: typeof Real = { ...real, readFile, writeFile, appendFile, watch, promises };
export default face;
