/**
 * Readiness bits, shared by `select`, `poll` and the selectors; the values are
 * Linux's `POLL*` constants so Python code ports over unchanged.
 */
export const POLLIN = 0x001;
export const POLLPRI = 0x002;
export const POLLOUT = 0x004;
export const POLLERR = 0x008;
export const POLLHUP = 0x010;
export const POLLNVAL = 0x020;

/**
 * What `select`, `poll` and `DefaultSelector` can wait on: green sockets,
 * servers, UDP sockets and socket files.
 */
export interface Selectable {
  /** The OS descriptor, or a negative number when there is none. */
  fileno(): number;
  /** @internal POLL* bits that hold right now. */
  _readiness(): number;
  /** @internal Calls `fn` whenever readiness may have changed, until `_unwatch(fn)`. */
  _watch(fn: () => void): void;
  /** @internal */
  _unwatch(fn: () => void): void;
}

/** True for objects `select`/`poll` can wait on. */
export function isSelectable(value: unknown): value is Selectable {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Selectable)._readiness === 'function' &&
    typeof (value as Selectable)._watch === 'function'
  );
}

/**
 * The readiness watchers of one object. Kept `undefined` until someone
 * selects, so the recv/send hot path pays a single field check.
 */
export class Watchers {
  private readonly fns = new Set<() => void>();
  add(fn: () => void): void {
    this.fns.add(fn);
  }
  delete(fn: () => void): boolean {
    this.fns.delete(fn);
    return this.fns.size === 0;
  }
  notify(): void {
    for (const fn of this.fns) fn();
  }
}

let nextFakeFd = -2;
/** A stable negative id for objects without an OS descriptor (Python needs a hashable fd). */
export function fakeFd(): number {
  return nextFakeFd--;
}
