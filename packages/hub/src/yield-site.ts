import { findSourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

// `yield op` (no star) is found by the hub after the generator has suspended,
// so no user frame is on the stack when the TypeError is built, and a
// suspended generator's position is not visible to JavaScript. V8's
// inspector reports it ([[GeneratorLocation]]); this asks it, on this error
// path only, and maps the position through the file's source map (tsx's).

type Post = (method: string, params?: object) => Record<string, unknown> | undefined;

interface Location {
  scriptId: string;
  lineNumber: number;
  columnNumber: number;
}

/** Adds the generator's suspended position as the error's first stack frame. */
export function pointAtYield(error: Error, gen: object, name: string): void {
  let where: string | undefined;
  try {
    where = yieldSite(gen);
  } catch {
    // No inspector in this build, or it refused: the message still says what to fix.
  }
  if (where === undefined || error.stack === undefined) return;
  const nl = error.stack.indexOf('\n    at ');
  const head = nl < 0 ? error.stack : error.stack.slice(0, nl);
  const tail = nl < 0 ? '' : error.stack.slice(nl);
  error.stack = `${head}\n    at ${name || '<anonymous>'} (${where})${tail}`;
}

let inspector: typeof import('node:inspector') | undefined;
const PROBE = '__verdantYieldSiteProbe';

function yieldSite(gen: object): string | undefined {
  inspector ??= process.getBuiltinModule?.('node:inspector');
  if (inspector === undefined) return undefined;
  const session = new inspector.Session();
  session.connect();
  // A session on this thread answers synchronously.
  const post: Post = (method, params) => {
    let out: Record<string, unknown> | undefined;
    let failure: unknown;
    session.post(method, params ?? {}, (err: unknown, res: unknown) => {
      failure = err;
      out = res as Record<string, unknown>;
    });
    if (failure !== null && failure !== undefined) throw failure;
    return out;
  };
  const g = globalThis as Record<string, unknown>;
  try {
    g[PROBE] = gen;
    const found = post('Runtime.evaluate', {
      expression: `globalThis.${PROBE}`,
      objectGroup: PROBE,
    });
    const objectId = (found?.result as { objectId?: string } | undefined)?.objectId;
    if (objectId === undefined) return undefined;
    const props = post('Runtime.getProperties', { objectId, ownProperties: true });
    const internal = props?.internalProperties as
      | { name: string; value: { value?: Location } }[]
      | undefined;
    const at = internal?.find((p) => p.name === '[[GeneratorLocation]]')?.value.value;
    if (at === undefined) return undefined;
    const urls = new Map<string, string>();
    session.on('Debugger.scriptParsed', (m: { params: { scriptId: string; url: string } }) => {
      urls.set(m.params.scriptId, m.params.url);
    });
    post('Debugger.enable');
    post('Debugger.disable');
    const url = urls.get(at.scriptId);
    return url === undefined ? undefined : mapped(url, at.lineNumber, at.columnNumber);
  } finally {
    delete g[PROBE];
    try {
      post('Runtime.releaseObjectGroup', { objectGroup: PROBE });
    } finally {
      session.disconnect();
    }
  }
}

/** `file:line:column` (1-based), through the source map when Node holds one. */
function mapped(url: string, line: number, column: number): string {
  const path = url.startsWith('file:') ? fileURLToPath(url) : url;
  const map = findSourceMap(url) ?? findSourceMap(path);
  const entry = map?.findEntry(line, column) as
    | { originalSource?: string; originalLine?: number; originalColumn?: number }
    | undefined;
  if (entry?.originalSource !== undefined && entry.originalLine !== undefined) {
    const source = entry.originalSource.startsWith('file:')
      ? fileURLToPath(entry.originalSource)
      : entry.originalSource;
    return `${source}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}`;
  }
  return `${path}:${line + 1}:${column + 1}`;
}
