/**
 * Green face of `node:fs` (the `os` flag): `readFile`, `writeFile` and
 * `appendFile` started inside a green thread are requests made for it: if
 * the thread is killed (or fails) before they finish, Node cancels them (the
 * callback gets an AbortError); a thread that returns normally leaves them
 * alone. Other calls cannot be cancelled once libuv has them. `watch` is
 * Node's: a watcher is a resource, not a request, and belongs to no thread
 * (a library's watcher must not close because a thread that called into it
 * died); close it with `watcher.close()` or pass your own `signal`.
 */
import type * as Real from 'node:fs';
import promises from './fs-promises.js';
import { faceObject } from './internal/face-object.js';
import { withThreadSignal } from './internal/ownership.js';
import { pristine } from './pristine.js';

export * from 'node:fs';

// Node's own functions, even if this face loads after the builtin was patched.
const real = pristine('fs') as typeof Real;

export { promises };

/** What this face replaces in `node:fs`. */
export const patched = ['readFile', 'writeFile', 'appendFile'] as const;

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
 * `fs.readFile`, cancelled if the calling green thread is killed first.
 *
 * @example
 * import { readFile } from '@verdant/green/node/fs';
 * readFile('/etc/hostname', 'utf8', (err, text) => console.log(err ?? text));
 */
export const readFile = cancellable(real.readFile as AnyFn, 1) as unknown as typeof real.readFile;

/**
 * `fs.writeFile`, cancelled if the calling green thread is killed first.
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
 * `fs.appendFile`, cancelled if the calling green thread is killed first.
 *
 * @example
 * import { appendFile } from '@verdant/green/node/fs';
 * appendFile(join(tmpdir(), 'verdant-example.log'), 'more\n', (err) => console.log(err ?? 'appended'));
 */
export const appendFile = cancellable(
  real.appendFile as AnyFn,
  2,
) as unknown as typeof real.appendFile;

/** The face as CommonJS code sees `require('fs')`. */
const face: typeof Real = faceObject(real, { readFile, writeFile, appendFile, promises });
export default face;
