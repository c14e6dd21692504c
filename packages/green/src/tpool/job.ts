/**
 * What crosses to a tpool worker and back: the checks that make a job's
 * function, module and arguments fail at the call, and the rebuilding of a
 * worker's error on this side.
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';

/** An error as a worker sends it back (a structured clone of its fields). */
export interface WorkerError {
  name: string;
  message: string;
  stack: string | undefined;
  code: unknown;
}

const ERRORS: Record<string, ErrorConstructor> = {
  TypeError,
  RangeError,
  ReferenceError,
  SyntaxError,
  EvalError,
  URIError,
} as Record<string, ErrorConstructor>;

/** Sources already checked to compile: each is checked once. */
const checkedSources = new Set<string>();

/**
 * Arguments cross to the worker by structured clone: check each one here so a
 * function or symbol fails at the call with a TypeError, not later inside the
 * pool (where a queued job would otherwise fail in a worker event listener).
 * Primitives and typed arrays always clone, so they skip the trial copy.
 */
export function checkArgs(args: unknown[], firstPosition: number): unknown[] {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (typeof arg === 'function' || typeof arg === 'symbol') {
      throw notCloneable(i + firstPosition, typeof arg);
    }
    if (typeof arg !== 'object' || arg === null || ArrayBuffer.isView(arg)) continue;
    try {
      structuredClone(arg);
    } catch (e) {
      throw notCloneable(i + firstPosition, (e as Error).message);
    }
  }
  return args;
}

function notCloneable(position: number, what: string): TypeError {
  return new TypeError(
    `tpool.execute: argument ${position} cannot be sent to a worker (arguments cross threads by structured clone, so no functions, symbols, or objects holding them): ${what}`,
  );
}

/** An absolute path or URL as the URL the worker imports. */
export function moduleUrl(module: string | URL): string {
  if (module instanceof URL) return module.href;
  if (/^(file|data|node):/.test(module)) return module;
  if (isAbsolute(module)) return pathToFileURL(module).href;
  throw new TypeError(
    `tpool.execute(module, exportName): module must be an absolute path or a URL (e.g. new URL('./work.js', import.meta.url)), got the relative ${JSON.stringify(module)}`,
  );
}

/** `fn`'s source, once it is known to compile on its own in a worker. */
export function sourceOf(fn: (...args: never) => unknown): string {
  const source = Function.prototype.toString.call(fn);
  if (checkedSources.has(source)) return source;
  const tag = (fn as { [Symbol.toStringTag]?: string })[Symbol.toStringTag];
  if (tag === 'GeneratorFunction' || tag === 'AsyncGeneratorFunction') {
    throw new TypeError('tpool.execute(fn): fn must be a plain or async function, not a generator');
  }
  if (source.includes('[native code]')) {
    throw new TypeError(
      `tpool.execute(fn): ${fn.name || 'fn'} is native or bound, it has no source to send; wrap it or use execute(moduleUrl, exportName)`,
    );
  }
  try {
    new Function(`return (${source});`);
  } catch {
    throw new TypeError(
      `tpool.execute(fn): the source of ${fn.name || 'fn'} is not a standalone function expression (a method shorthand?); write it as a function or arrow function`,
    );
  }
  checkedSources.add(source);
  return source;
}

/** The worker's error as an Error of its own class, with both stacks. */
export function rebuild(info: WorkerError, source: string | undefined, caller: Error): Error {
  const Ctor = ERRORS[info.name] ?? Error;
  const error = new Ctor(info.message);
  if (!(info.name in ERRORS)) error.name = info.name;
  if (info.code !== undefined) (error as { code?: unknown }).code = info.code;
  if (info.name === 'ReferenceError') {
    error.message += source
      ? ' (a function given to tpool.execute runs from its source text in a worker and cannot use variables from its enclosing scope: pass them as arguments, or use execute(moduleUrl, exportName))'
      : '';
  }
  const stack = caller.stack?.split('\n').slice(1).join('\n') ?? '';
  error.stack = `${info.stack ?? `${info.name}: ${info.message}`}\n    --- in a tpool worker, called from ---\n${stack}`;
  return error;
}
