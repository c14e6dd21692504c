/**
 * Node's DEP0118 warning for `lookup('')` / `lookup(null)`: once per process
 * (shared by the ESM and CJS builds of the faces through a `Symbol.for` key).
 */
const WARNED = Symbol.for('verdant.dns.invalidHostnameWarned');
const store = globalThis as { [WARNED]?: boolean };

export function invalidHostname(hostname: unknown): void {
  if (store[WARNED] === true) return;
  store[WARNED] = true;
  process.emitWarning(
    `The provided hostname "${String(hostname)}" is not a valid hostname, and is supported in the dns module solely for compatibility.`,
    'DeprecationWarning',
    'DEP0118',
  );
}
