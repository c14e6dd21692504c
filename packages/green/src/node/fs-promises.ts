/**
 * Green face of `node:fs/promises` (the `os` flag): the calls Node lets an
 * AbortSignal cancel (`readFile`, `writeFile`, `appendFile`, `watch`) get
 * the calling green thread's signal, so they stop when the thread ends.
 */
import type * as Real from 'node:fs/promises';
import { withThreadSignal } from './internal/ownership.js';
import { pristine } from './pristine.js';

export * from 'node:fs/promises';

// Node's own functions, even if this face loads after the builtin was patched.
const real = pristine('fs/promises') as typeof Real;

/** What this face replaces in `node:fs/promises`. */
export const patched = ['readFile', 'writeFile', 'appendFile', 'watch'] as const;

/**
 * `fs.promises.readFile`, cancelled if the calling green thread ends.
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
 * `fs.promises.writeFile`, cancelled if the calling green thread ends.
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
 * `fs.promises.appendFile`, cancelled if the calling green thread ends.
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

/**
 * `fs.promises.watch`, ended when the calling green thread ends.
 *
 * @example
 * import { watch } from '@verdant/green/node/fs-promises';
 * const watcher = spawn(function* () {
 *   const changes = watch(tmpdir())[Symbol.asyncIterator]();
 *   console.log(yield changes.next()); // the first change
 * });
 * watcher.kill(); // the watch ends with the green thread that started it
 */
export const watch = ((path: unknown, options?: unknown) =>
  (real.watch as (p: unknown, o?: unknown) => unknown)(
    path,
    withThreadSignal(options),
  )) as typeof real.watch;

/** The face as CommonJS code sees `require('fs/promises')`. */
const face = { ...real, readFile, writeFile, appendFile, watch };
export default face;
