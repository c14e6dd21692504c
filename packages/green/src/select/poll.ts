import type { Operation } from '@verdant/hub';
import { checkInteger, checkPollTimeout, describeValue } from '../internal/check.js';
import {
  isSelectable,
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLNVAL,
  POLLOUT,
  POLLPRI,
  type Selectable,
} from '../internal/readiness.js';
import { deadlineOf, remaining, waitReady } from '../internal/wait-ready.js';

const ALWAYS = POLLERR | POLLHUP | POLLNVAL;
const ALL_EVENTS = POLLIN | POLLPRI | POLLOUT | ALWAYS;

function checkMask(what: string, mask: unknown): number {
  // ALL_EVENTS has every bit from 0 up set, so the range is exactly the valid masks.
  return checkInteger(
    what,
    mask,
    0,
    ALL_EVENTS,
    'a mask of POLLIN, POLLPRI, POLLOUT, POLLERR, POLLHUP, POLLNVAL',
  );
}

/** What no poll could watch is a TypeError, as in Python; KeyError is for a watchable one not registered. */
function checkObj(what: string, obj: unknown): void {
  if (!isSelectable(obj)) {
    throw new TypeError(
      `${what}: obj must be a green socket, server, UDP socket or socket file, got ${describeValue(obj)}`,
    );
  }
}

/**
 * Python's `select.poll` object: register objects with an event mask, then
 * `poll(timeoutMs)` returns `[object, events]` pairs that are ready. Results
 * carry the registered object itself (Python returns its fd).
 *
 * @example
 * const [a, b] = yield* socket.socketpair();
 * const p = select.poll<socket.GreenSocket>();
 * p.register(b, select.POLLIN);
 * yield* a.sendall(Buffer.from('x'));
 * for (const [obj, events] of yield* p.poll(1000)) {
 *   if (events & select.POLLIN) console.log((yield* obj.recv(1)).toString()); // 'x'
 * }
 * a.close();
 * b.close();
 */
export class Poll<T extends Selectable = Selectable> {
  private readonly registered = new Map<T, number>();

  /**
   * Watches `obj` for `eventmask` (default POLLIN | POLLPRI | POLLOUT);
   * registering again changes the mask.
   */
  register(obj: T, eventmask = POLLIN | POLLPRI | POLLOUT): void {
    checkObj('poll.register(obj)', obj);
    this.registered.set(obj, checkMask('poll.register(obj, eventmask): eventmask', eventmask));
  }

  /** Changes the mask of a registered object; throws if it is not registered. */
  modify(obj: T, eventmask: number): void {
    checkObj('poll.modify(obj)', obj);
    if (!this.registered.has(obj)) throw notRegistered('poll.modify(obj)');
    this.registered.set(obj, checkMask('poll.modify(obj, eventmask): eventmask', eventmask));
  }

  /** Stops watching `obj`; throws if it is not registered. */
  unregister(obj: T): void {
    checkObj('poll.unregister(obj)', obj);
    if (!this.registered.delete(obj)) throw notRegistered('poll.unregister(obj)');
  }

  /**
   * Waits until a registered object is ready or `timeoutMs` passes (omit,
   * null or negative: forever; 0: just look). POLLHUP, POLLERR and POLLNVAL
   * are always reported.
   */
  poll(timeoutMs?: number | null): Operation<[T, number][]> {
    return this.polling(checkPollTimeout('poll(timeoutMs)', timeoutMs));
  }

  private *polling(timeoutMs: number | null): Operation<[T, number][]> {
    const deadline = deadlineOf(timeoutMs);
    for (;;) {
      const ready: [T, number][] = [];
      for (const [obj, mask] of this.registered) {
        const events = obj._readiness() & (mask | ALWAYS);
        if (events !== 0) ready.push([obj, events]);
      }
      if (ready.length !== 0) return ready;
      const left = remaining(deadline);
      if (left === 0) return ready;
      yield* waitReady([...this.registered.keys()], left, 'poll');
    }
  }
}

function notRegistered(what: string): Error {
  const error = new Error(`${what}: the object is not registered`);
  error.name = 'KeyError';
  return error;
}

/**
 * A new poll object (Python's `select.poll()`).
 *
 * @example
 * const p = select.poll<socket.GreenSocket>();
 * const [a, b] = yield* socket.socketpair();
 * p.register(a, select.POLLOUT);
 * yield* p.poll(0); // [[a, select.POLLOUT]]: the send buffer has room
 * a.close();
 * b.close();
 */
export function poll<T extends Selectable = Selectable>(): Poll<T> {
  return new Poll<T>();
}
