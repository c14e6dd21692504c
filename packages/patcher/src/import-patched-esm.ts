import Module, { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { ownDir } from './caller.js';
import { contexts, type HookContext, load, MARK, resolve } from './esm-hooks.js';
import { importPatched, resolveTarget } from './import-patched.js';
import { isEsmFile, isOwnFile, packageRoot } from './module-format.js';
import { type Overrides, readOverrides, sameOverrides } from './overrides.js';
import { ESM_REGISTRY, processGlobal } from './symbols.js';

type Hooks = { resolve: typeof resolve; load: typeof load };
const ModuleApi = Module as unknown as {
  registerHooks?: (hooks: Hooks) => unknown;
  register?: (url: string | URL, options: { data: unknown; transferList: unknown[] }) => void;
};

// A dynamic import() that survives the CommonJS build (tsc would turn it into require).
const importUrl = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;

const registry = processGlobal(ESM_REGISTRY, () => new Map<string, Map<string, unknown>>());

let mode:
  | 'in-thread'
  | { port: MessagePort; seq: number; acks: Map<number, () => void> }
  | undefined;
let lastId = 0;
// Holds the promise, not the namespace: concurrent calls must share one load.
const copies = new Map<string, { overrides: Overrides; namespace: Promise<unknown> }[]>();

function ensureHooks(): void {
  if (mode !== undefined) return;
  if (typeof ModuleApi.registerHooks === 'function') {
    ModuleApi.registerHooks({ resolve, load });
    mode = 'in-thread';
    return;
  }
  const { port1, port2 } = new MessageChannel();
  const acks = new Map<number, () => void>();
  port1.on('message', (m: { seq: number }) => {
    acks.get(m.seq)?.();
    acks.delete(m.seq);
    if (acks.size === 0) port1.unref();
  });
  port1.unref();
  ModuleApi.register!(pathToFileURL(join(ownDir(), 'esm-hooks.js')), {
    data: { port: port2 },
    transferList: [port2],
  });
  mode = { port: port1, seq: 0, acks };
}

/** Tells the hooks about a context (or forgets it) and waits until they know. */
function share(id: string, ctx: HookContext | undefined): Promise<void> | undefined {
  if (mode === 'in-thread' || mode === undefined) {
    if (ctx === undefined) contexts.delete(id);
    else contexts.set(id, ctx);
    return undefined;
  }
  const m = mode;
  const seq = ++m.seq;
  return new Promise<void>((done) => {
    m.acks.set(seq, done);
    m.port.ref();
    m.port.postMessage({ seq, id, ctx });
  });
}

function exportNames(name: string, value: unknown): string[] {
  const names = new Set<string>();
  if (isBuiltin(name))
    for (const k of Object.keys(process.getBuiltinModule(name) as object)) names.add(k);
  if (value !== null && (typeof value === 'object' || typeof value === 'function'))
    for (const k of Object.keys(value)) names.add(k);
  return [...names];
}

/** Loads a new copy of an ES module under `overrides` (no cache: each call is a new copy). */
async function loadFresh(filename: string, overrides: Overrides): Promise<unknown> {
  ensureHooks();
  const id = String(++lastId);
  const names: Record<string, string[]> = {};
  for (const [k, v] of overrides) names[k] = exportNames(k, v);
  const root = `${pathToFileURL(packageRoot(filename)).href}/`;
  registry.set(id, overrides);
  await share(id, { root, names });
  const cache = (Module as unknown as { _cache: Record<string, unknown> })._cache;
  const cacheBefore = new Set(Object.keys(cache));
  try {
    return await importUrl(`${pathToFileURL(filename).href}?${MARK}=${id}`);
  } catch (error) {
    registry.delete(id);
    await share(id, undefined);
    // CommonJS files of the target's package that the failed copy loaded go too, as importPatched
    // does; other packages' new entries may be another load's, so they stay.
    const own = packageRoot(filename);
    for (const k of Object.keys(cache)) {
      if (!cacheBefore.has(k) && isOwnFile(own, k)) delete cache[k];
    }
    throw error;
  }
}

/**
 * `importPatched` for ES modules (and CommonJS ones, which it hands to
 * `importPatched`): loads a fresh copy of the target whose imports of the
 * given modules, static or dynamic, even those made at run time, get the
 * given values. Async because ES modules load asynchronously. Runs on
 * `module.registerHooks` where Node has it (>= 22.15), else `module.register`.
 *
 * `T` is the module's type, as `typeof import('name')`.
 *
 * @example
 * import * as greenNet from '@verdant/green/node/net';
 * import { importPatchedAsync } from '@verdant/patcher';
 * type Undici = typeof import('undici');
 * const undici = await importPatchedAsync<Undici>('undici'); // every green face
 * const netOnly = await importPatchedAsync<Undici>('undici', { net: greenNet });
 */
export async function importPatchedAsync<T = unknown>(
  name: string,
  ...modules: unknown[]
): Promise<T> {
  const filename = resolveTarget('importPatchedAsync', name);
  if (!isEsmFile(filename)) return importPatched<T>(filename, ...modules);
  const overrides = readOverrides('importPatchedAsync', modules);
  const cached = copies.get(filename)?.find((c) => sameOverrides(c.overrides, overrides));
  if (cached !== undefined) return (await cached.namespace) as T;
  // Cached before the first await so a concurrent call with the same arguments gets this copy.
  const entry = { overrides, namespace: loadFresh(filename, overrides) };
  const list = copies.get(filename) ?? [];
  list.push(entry);
  copies.set(filename, list);
  try {
    return (await entry.namespace) as T;
  } catch (error) {
    // A failed load is not a copy: the next call tries again.
    const left = copies.get(filename)?.filter((c) => c !== entry) ?? [];
    if (left.length === 0) copies.delete(filename);
    else copies.set(filename, left);
    throw error;
  }
}
