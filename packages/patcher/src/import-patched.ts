import Module, { createRequire, isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinName } from '@verdant/green/node/pristine';
import { callerFile } from './caller.js';
import { checkTarget } from './check.js';
import { compileWithView, copyGlobal } from './copy-global.js';
import { isEsmFile, isOwnFile, packageRoot } from './module-format.js';
import { type Overrides, readOverrides, sameOverrides } from './overrides.js';

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
interface ModuleRecord {
  filename: string;
  paths: string[];
  exports: unknown;
  loaded: boolean;
  load(filename: string): void;
  _compile(content: string, filename: string, ...rest: unknown[]): unknown;
}
const M = Module as unknown as {
  new (id: string, parent: unknown): ModuleRecord;
  _load: Load;
  _cache: Record<string, unknown>;
  _resolveFilename(request: string, parent: unknown, isMain: boolean): string;
  _nodeModulePaths(dir: string): string[];
};

/** One patched copy: its overrides, its package, its freshly run files and its view of `globalThis`. */
interface Context {
  overrides: Overrides;
  root: string;
  modules: Map<string, ModuleRecord>;
  global: typeof globalThis;
}

/** A module of a patched copy → that copy: its requires, even late ones, resolve there. */
const marks = new WeakMap<object, Context>();
const copies = new Map<string, { overrides: Overrides; exports: unknown }[]>();
let previousLoad: Load | undefined;
let live = 0;

function hook(this: unknown, request: string, parent: unknown, isMain: boolean): unknown {
  const ctx = parent === null || parent === undefined ? undefined : marks.get(parent as object);
  if (ctx === undefined) return previousLoad!.call(this, request, parent, isMain);
  const builtin = isBuiltin(request);
  const key = builtin ? builtinName(request) : request;
  if (ctx.overrides.has(key)) return ctx.overrides.get(key);
  if (builtin) return previousLoad!.call(this, request, parent, isMain);
  const filename = M._resolveFilename(request, parent, false);
  // Dependencies outside the target's own package stay shared.
  if (!isOwnFile(ctx.root, filename)) return previousLoad!.call(this, request, parent, isMain);
  return runFresh(ctx, filename, parent).exports;
}

function runFresh(ctx: Context, filename: string, parent: unknown): ModuleRecord {
  const known = ctx.modules.get(filename);
  if (known !== undefined) return known; // a require cycle: its partial exports, as Node gives
  if (isEsmFile(filename)) throw esmTarget(filename);
  const m = new M(filename, parent ?? null);
  m.filename = filename;
  m.paths = M._nodeModulePaths(dirname(filename));
  marks.set(m, ctx);
  ctx.modules.set(filename, m);
  // The copy's files see its own Symbol.for singletons on globalThis (copy-global.ts).
  compileWithView(m, ctx.global);
  m.load(filename);
  return m;
}

function esmTarget(filename: string): Error {
  return new TypeError(
    `importPatched: ${filename} is an ES module, which loads asynchronously: use \`await importPatchedAsync(...)\``,
  );
}

function install(): void {
  if (previousLoad !== undefined) return;
  previousLoad = M._load;
  M._load = hook;
}

/** Puts `Module._load` back, if nothing patched is alive and nobody wrapped it since. */
function uninstall(): void {
  if (live === 0 && previousLoad !== undefined && M._load === hook) {
    M._load = previousLoad;
    previousLoad = undefined;
  }
}

/** Where `name` is: resolved the way the caller's own `require` would. */
export function resolveTarget(what: string, target: unknown): string {
  const name = checkTarget(`${what}(name)`, target);
  const from = callerFile() ?? join(process.cwd(), 'index.js');
  return createRequire(from).resolve(name.startsWith('file:') ? fileURLToPath(name) : name);
}

/**
 * Loads a fresh copy of a CommonJS module whose `require`s of the given
 * modules get the given values instead (eventlet's `import_patched`).
 * `importPatched(name)` swaps in every green face; `importPatched(name,
 * ['net', greenNet], ...)` or `importPatched(name, { net: greenNet })` only
 * those. The target's own files run again for the copy; packages it depends
 * on stay shared. Requires the copy makes later, at run time, are redirected
 * too. The copy is cached: the same arguments give the same copy, while a
 * plain `require(name)` still gives the unpatched module. A failure leaves
 * the module system as it was and rethrows the original error. ES modules:
 * use `importPatchedAsync`. `T` is the module's type, as `typeof import('name')`.
 *
 * @example
 * import * as timers from '@verdant/green/node/timers';
 * import { importPatched } from '@verdant/patcher';
 * const WebSocket = importPatched<typeof import('ws')>('ws'); // every green face
 * const timersOnly = importPatched<typeof import('ws')>('ws', ['timers', timers]);
 */
export function importPatched<T = unknown>(name: string, ...modules: unknown[]): T {
  const filename = resolveTarget('importPatched', name);
  const overrides = readOverrides('importPatched', modules);
  const cached = copies.get(filename)?.find((c) => sameOverrides(c.overrides, overrides));
  if (cached !== undefined) return cached.exports as T;
  if (isEsmFile(filename)) throw esmTarget(filename);
  const ctx: Context = {
    overrides,
    root: packageRoot(filename),
    modules: new Map(),
    global: copyGlobal(),
  };
  const cacheBefore = new Set(Object.keys(M._cache));
  install();
  live++;
  let m: ModuleRecord;
  try {
    m = runFresh(ctx, filename, null);
  } catch (error) {
    live--;
    // Leave the module system as it was: no hook, no half-loaded shared modules.
    for (const k of Object.keys(M._cache)) if (!cacheBefore.has(k)) delete M._cache[k];
    uninstall();
    throw error;
  }
  const list = copies.get(filename) ?? [];
  list.push({ overrides, exports: m.exports });
  copies.set(filename, list);
  return m.exports as T;
}
