import type { Operation } from '@verdant/hub';
import { checkPollTimeout, describeValue } from '../internal/check.js';
import {
  isSelectable,
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLNVAL,
  POLLOUT,
  type Selectable,
} from '../internal/readiness.js';
import { deadlineOf, remaining, waitReady } from '../internal/wait-ready.js';

const READABLE = POLLIN | POLLHUP | POLLERR | POLLNVAL;
const WRITABLE = POLLOUT | POLLERR | POLLNVAL;

function checkList<T>(what: string, list: unknown): T[] {
  if (!Array.isArray(list))
    throw new TypeError(`${what} must be an array, got ${describeValue(list)}`);
  list.forEach((o, i) => {
    if (!isSelectable(o)) {
      throw new TypeError(
        `${what}[${i}] must be a green socket, server, UDP socket or socket file, got ${describeValue(o)}`,
      );
    }
  });
  return list as T[];
}

/**
 * Python's `select.select`: waits until some of `rlist` can be read (data,
 * EOF, a pending connection), some of `wlist` written, or `timeoutMs`
 * passes (omit or null to wait forever, 0 to poll). Returns the ready
 * subsets; `xlist` (out-of-band data) never reports ready on Node.
 *
 * @example
 * const [a, b] = yield* socket.socketpair();
 * yield* a.sendall(Buffer.from('x'));
 * const [readable, writable] = yield* select.select([b], [a], [], 1000); // [[b], [a], []]
 * a.close();
 * b.close();
 */
export function select<R extends Selectable, W extends Selectable, X extends Selectable>(
  rlist: readonly R[],
  wlist: readonly W[],
  xlist: readonly X[] = [],
  timeoutMs?: number | null,
): Operation<[R[], W[], X[]]> {
  const r = checkList<R>('select(rlist)', rlist);
  const w = checkList<W>('select(rlist, wlist)', wlist);
  checkList<X>('select(rlist, wlist, xlist)', xlist);
  return selecting(r, w, checkPollTimeout('select(..., timeoutMs)', timeoutMs, false));
}

function* selecting<R extends Selectable, W extends Selectable, X extends Selectable>(
  r: R[],
  w: W[],
  timeoutMs: number | null,
): Operation<[R[], W[], X[]]> {
  const deadline = deadlineOf(timeoutMs);
  const all: Selectable[] = [...r, ...w];
  for (;;) {
    const readable = r.filter((o) => (o._readiness() & READABLE) !== 0);
    const writable = w.filter((o) => (o._readiness() & WRITABLE) !== 0);
    if (readable.length !== 0 || writable.length !== 0) return [readable, writable, []];
    const left = remaining(deadline);
    if (left === 0 || (all.length === 0 && left === null)) {
      if (left === null)
        throw new TypeError('select(): nothing to wait on and no timeout: it would block forever');
      return [[], [], []];
    }
    yield* waitReady(all, left, 'select');
  }
}
