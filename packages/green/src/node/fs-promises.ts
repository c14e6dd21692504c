/**
 * Green face of `node:fs/promises` (the `os` flag): the requests Node lets
 * an AbortSignal cancel (`readFile`, `writeFile`, `appendFile`) are made for
 * the calling green thread: if it is killed (or fails) before they finish,
 * they reject with an AbortError; a thread that returns normally leaves them
 * alone. `watch` is Node's: a watcher is a resource, not a request, and
 * belongs to no thread; end it with its iterator's `return()` (a `break`)
 * or your own `signal` (`thread.signal` ties it to a thread).
 */
import type * as Real from 'node:fs/promises';
import { faceObject } from './internal/face-object.js';
import { withThreadSignal } from './internal/ownership.js';
import { pristine } from './pristine.js';

export * from 'node:fs/promises';

// Node's own functions, even if this face loads after the builtin was patched.
const real = pristine('fs/promises') as typeof Real;

/** What this face replaces in `node:fs/promises`. */
export const patched = ['readFile', 'writeFile', 'appendFile'] as const;

/**
 * `fs.promises.readFile`, cancelled if the calling green thread is killed first.
 *
 * @example
 * import { readFile } from '@verdant/green/node/fs-promises';
 * const text = yield readFile('/etc/hostname', 'utf8'); // a bare yield waits on a promise
 */
export const readFile = ((path: unknown, options?: unknown) =>
  (real.readFile as (p: unknown, o?: unknown) => Promise<unknown>)(
    path,
    withThreadSignal(options),
  )) as typeof real.readFile;

/**
 * `fs.promises.writeFile`, cancelled if the calling green thread is killed first.
 *
 * @example
 * import { writeFile } from '@verdant/green/node/fs-promises';
 * yield writeFile(join(tmpdir(), 'verdant-example.txt'), 'hello');
 */
export const writeFile = ((path: unknown, data: unknown, options?: unknown) =>
  (real.writeFile as (p: unknown, d: unknown, o?: unknown) => Promise<void>)(
    path,
    data,
    withThreadSignal(options),
  )) as typeof real.writeFile;

/**
 * `fs.promises.appendFile`, cancelled if the calling green thread is killed first.
 *
 * @example
 * import { appendFile } from '@verdant/green/node/fs-promises';
 * yield appendFile(join(tmpdir(), 'verdant-example.log'), 'one line\n');
 */
export const appendFile = ((path: unknown, data: unknown, options?: unknown) =>
  (real.appendFile as (p: unknown, d: unknown, o?: unknown) => Promise<void>)(
    path,
    data,
    withThreadSignal(options),
  )) as typeof real.appendFile;

/** The face as CommonJS code sees `require('fs/promises')`. */
const face = faceObject(real, { readFile, writeFile, appendFile });
export default face;
