import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

type CallSite = { getFileName(): string | null | undefined };

function frames(): string[] {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (_error, sites) => sites;
  const holder: { stack?: CallSite[] } = {};
  Error.captureStackTrace(holder);
  const sites = holder.stack ?? [];
  Error.prepareStackTrace = previous;
  const files: string[] = [];
  for (const site of sites) {
    const name = site.getFileName();
    if (!name || name.startsWith('node:')) continue;
    const file = name.startsWith('file:') ? fileURLToPath(name) : name;
    // Code with no file (`node -e`'s [eval], stdin's [stdin]) resolves from the working
    // directory, as its own require does.
    files.push(isAbsolute(file) ? file : join(process.cwd(), file));
  }
  return files;
}

/**
 * The file of the code that called into the patcher: relative and bare
 * names are resolved from there, as that code's own `require` would.
 */
export function callerFile(): string | undefined {
  const files = frames();
  // The first frame is this file: skip every frame in this package's build (dist/esm, dist/cjs).
  const ours = dirname(dirname(files[0] ?? '/'));
  return files.find((f) => !f.startsWith(`${ours}/`));
}

/**
 * The folder of this package's build that holds this file (dist/esm or
 * dist/cjs), found without `import.meta` or `__dirname` so one source serves both.
 */
export function ownDir(): string {
  return dirname(frames()[0] ?? '/');
}
