/**
 * Module hooks behind `importPatchedAsync`. A patched copy's modules carry a
 * marker query (`?verdant-patched=<id>`) on their URLs: the marker makes
 * Node load fresh instances, and because every import a marked module makes
 * (static, or `import()` at run time) has a marked parent URL, the hooks
 * keep redirecting for the copy's whole life. Runs in-thread through
 * `module.registerHooks` (Node >= 22.15) or off-thread through
 * `module.register` (Node 20), fed over a MessagePort.
 */
import { builtinName } from '@verdant/green/node/pristine';
import { ESM_REGISTRY } from './symbols.js';

/** What the hooks know of one patched copy. */
export interface HookContext {
  /** File URL of the target package's root, with a trailing slash. */
  root: string;
  /** Overridden module name → the export names its stand-in module has. */
  names: Record<string, string[]>;
}

export const MARK = 'verdant-patched';
const OVERRIDE = 'verdant-override:';
export const contexts = new Map<string, HookContext>();

type Resolved = { url: string; format?: string | null; shortCircuit?: boolean };
type Next<T> = (specifier: string, context: unknown) => T | Promise<T>;
type Loaded = { format?: string | null; source?: unknown; shortCircuit?: boolean };

function markOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const at = url.indexOf(`${MARK}=`);
  if (at < 0) return undefined;
  const end = url.indexOf('&', at);
  return url.slice(at + MARK.length + 1, end < 0 ? undefined : end);
}

function withMark(url: string, id: string): string {
  if (markOf(url) !== undefined) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${MARK}=${id}`;
}

function isOwn(root: string, url: string): boolean {
  return url.startsWith(root) && !url.slice(root.length).includes('/node_modules/');
}

function then<T, U>(value: T | Promise<T>, fn: (v: T) => U): U | Promise<U> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}

/**
 * Resolve hook: overridden names go to a stand-in module; the target's own
 * files get the copy's marker.
 */
export function resolve(
  specifier: string,
  context: { parentURL?: string },
  next: Next<Resolved>,
): Resolved | Promise<Resolved> {
  const id = markOf(context.parentURL);
  const ctx = id === undefined ? undefined : contexts.get(id);
  if (ctx === undefined || id === undefined) return next(specifier, context);
  const k = builtinName(specifier);
  if (ctx.names[k] !== undefined) {
    return { url: `${OVERRIDE}${id}/${encodeURIComponent(k)}`, shortCircuit: true };
  }
  return then(next(specifier, context), (r) =>
    r.url.startsWith('file:') && isOwn(ctx.root, r.url) ? { ...r, url: withMark(r.url, id) } : r,
  );
}

/**
 * Load hook: a stand-in module re-exports the value handed to
 * `importPatchedAsync`, kept on the main thread's registry.
 */
export function load(url: string, context: unknown, next: Next<Loaded>): Loaded | Promise<Loaded> {
  if (!url.startsWith(OVERRIDE)) return next(url, context);
  const [id, encoded] = url.slice(OVERRIDE.length).split('/') as [string, string];
  const k = decodeURIComponent(encoded);
  const names = (contexts.get(id)?.names[k] ?? []).filter(
    (n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== 'default',
  );
  const source = [
    `const v = globalThis[Symbol.for(${JSON.stringify(ESM_REGISTRY.description)})].get(${JSON.stringify(id)}).get(${JSON.stringify(k)});`,
    'export default v;',
    ...names.map((n) => `export const ${n} = v.${n};`),
  ].join('\n');
  return { format: 'module', source, shortCircuit: true };
}

type PortLike = {
  on(event: 'message', fn: (m: Message) => void): void;
  postMessage(m: unknown): void;
  unref(): void;
};
type Message = { seq: number; id: string; ctx?: HookContext };

/**
 * `module.register`'s entry: context updates arrive on `data.port`, each
 * acknowledged so the main thread imports only once the hooks know.
 */
export function initialize(data: { port: PortLike }): void {
  data.port.on('message', (m) => {
    if (m.ctx === undefined) contexts.delete(m.id);
    else contexts.set(m.id, m.ctx);
    data.port.postMessage({ seq: m.seq });
  });
  data.port.unref();
}
