/**
 * Green `tpool` (eventlet.tpool): runs blocking or CPU-bound work on a pool
 * of Node worker threads while the calling green thread waits and every
 * other green thread keeps running.
 *
 * Work is named one of two ways:
 * - `execute(moduleUrl, exportName, ...args)`: the worker imports the module
 *   (an absolute path or a URL, e.g. `new URL('./work.js', import.meta.url)`)
 *   and calls the export. The safe, obvious form: the code can import what
 *   it needs, and it is the same code your editor and type checker see.
 * - `execute(fn, ...args)`: `fn` is sent as its source text and compiled in
 *   the worker. Handy for small pure functions, but `fn` must be
 *   self-contained: it cannot see variables or imports from where it was
 *   written (a ReferenceError tells you so).
 *
 * Arguments and results cross threads by structured clone: arguments that
 * cannot be cloned (functions, symbols) are a TypeError at the call. Errors come back
 * with the worker's stack. Workers start on demand, are unref'd while idle
 * (they never keep the process alive) and exit after `idleTimeoutMs`.
 * Killing the waiting green thread (or a Timeout) drops a queued job, or
 * terminates the worker running it, so runaway work really stops.
 *
 * @module
 */
export {
  configure,
  execute,
  killall,
  setNumThreads,
  stats,
  type TpoolOptions,
} from './tpool/pool.js';
