import type { Operation } from '@verdant/hub';
import { checkInteger, checkPollTimeout, describeValue } from '../internal/check.js';
import {
  fakeFd,
  isSelectable,
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLNVAL,
  POLLOUT,
  type Selectable,
} from '../internal/readiness.js';
import { deadlineOf, remaining, waitReady } from '../internal/wait-ready.js';

/** Selector event: readable. */
export const EVENT_READ = 1;
/** Selector event: writable. */
export const EVENT_WRITE = 2;

/** What no selector could watch is a TypeError; KeyError is for a watchable one not registered. */
function checkFileobj(what: string, fileobj: unknown): void {
  if (!isSelectable(fileobj)) {
    throw new TypeError(
      `${what}: fileobj must be a green socket, server, UDP socket or socket file, got ${describeValue(fileobj)}`,
    );
  }
}

/** What a selector knows about a registered object (Python's `SelectorKey`). */
export interface SelectorKey<T extends Selectable = Selectable, D = unknown> {
  readonly fileobj: T;
  readonly fd: number;
  readonly events: number;
  readonly data: D;
}

function keyError(message: string): Error {
  const error = new Error(message);
  error.name = 'KeyError';
  return error;
}

/**
 * Python's `selectors.DefaultSelector` over green sockets, servers and UDP
 * sockets: `register`, `modify`, `unregister`, `select(timeoutMs)`.
 *
 * @example
 * const server = yield* socket.listen(['127.0.0.1', 0]);
 * const sel = new selectors.DefaultSelector<socket.GreenServer, string>();
 * sel.register(server, selectors.EVENT_READ, 'accept');
 * const client = yield* socket.connect(server.getsockname());
 * for (const [key] of yield* sel.select(1000)) {
 *   if (key.data === 'accept') (yield* key.fileobj.accept())[0].close();
 * }
 * sel.close();
 * client.close();
 * server.close();
 */
export class DefaultSelector<T extends Selectable = Selectable, D = unknown> {
  private readonly keys = new Map<T, SelectorKey<T, D>>();
  private closedFlag = false;

  /**
   * Watches `fileobj` for `events` (EVENT_READ | EVENT_WRITE), with `data`
   * carried back in its key. Throws a KeyError if already registered.
   */
  register(fileobj: T, events: number, data?: D): SelectorKey<T, D> {
    this.checkOpen();
    checkFileobj('register(fileobj)', fileobj);
    checkEvents('register(fileobj, events)', events);
    if (this.keys.has(fileobj))
      throw keyError(`register(fileobj): ${String(fileobj)} is already registered`);
    const fd = fileobj.fileno();
    const key: SelectorKey<T, D> = {
      fileobj,
      fd: fd >= 0 ? fd : fakeFd(),
      events,
      data: data as D,
    };
    this.keys.set(fileobj, key);
    return key;
  }

  /** Stops watching `fileobj` and returns its key; KeyError if unknown. */
  unregister(fileobj: T): SelectorKey<T, D> {
    this.checkOpen();
    checkFileobj('unregister(fileobj)', fileobj);
    const key = this.keys.get(fileobj);
    if (key === undefined)
      throw keyError(`unregister(fileobj): ${String(fileobj)} is not registered`);
    this.keys.delete(fileobj);
    return key;
  }

  /** Changes the events and data of a registered object. */
  modify(fileobj: T, events: number, data?: D): SelectorKey<T, D> {
    this.checkOpen();
    checkFileobj('modify(fileobj)', fileobj);
    const old = this.keys.get(fileobj);
    if (old === undefined) throw keyError(`modify(fileobj): ${String(fileobj)} is not registered`);
    checkEvents('modify(fileobj, events)', events);
    const key: SelectorKey<T, D> = { ...old, events, data: data as D };
    this.keys.set(fileobj, key);
    return key;
  }

  /**
   * Waits until registered objects are ready; returns `[key, events]` pairs.
   * `timeoutMs`: omit or null to wait forever, 0 or less to just look.
   */
  select(timeoutMs?: number | null): Operation<[SelectorKey<T, D>, number][]> {
    this.checkOpen();
    // Python: a timeout <= 0 (-Infinity too) just looks.
    if (typeof timeoutMs === 'number' && timeoutMs < 0) return this.selecting(0);
    return this.selecting(checkPollTimeout('select(timeoutMs)', timeoutMs));
  }

  private *selecting(timeoutMs: number | null): Operation<[SelectorKey<T, D>, number][]> {
    const deadline = deadlineOf(timeoutMs);
    for (;;) {
      const ready: [SelectorKey<T, D>, number][] = [];
      for (const key of this.keys.values()) {
        const bits = key.fileobj._readiness();
        let events = 0;
        if (key.events & EVENT_READ && bits & (POLLIN | POLLHUP | POLLERR | POLLNVAL))
          events |= EVENT_READ;
        if (key.events & EVENT_WRITE && bits & (POLLOUT | POLLERR | POLLNVAL))
          events |= EVENT_WRITE;
        if (events !== 0) ready.push([key, events]);
      }
      if (ready.length !== 0) return ready;
      const left = remaining(deadline);
      if (left === 0) return ready;
      yield* waitReady([...this.keys.keys()], left, 'selector.select');
    }
  }

  /** The key of a registered object; KeyError if unknown. */
  getKey(fileobj: T): SelectorKey<T, D> {
    this.checkOpen();
    checkFileobj('getKey(fileobj)', fileobj);
    const key = this.keys.get(fileobj);
    if (key === undefined) throw keyError(`getKey(fileobj): ${String(fileobj)} is not registered`);
    return key;
  }

  /** Every registered object and its key. */
  getMap(): ReadonlyMap<T, SelectorKey<T, D>> {
    return this.keys;
  }

  /** Forgets every registration (does not close the objects). */
  close(): void {
    this.keys.clear();
    this.closedFlag = true;
  }

  private checkOpen(): void {
    if (this.closedFlag) throw new Error('the selector is closed');
  }
}

function checkEvents(what: string, events: unknown): void {
  checkInteger(
    `${what}: events`,
    events,
    EVENT_READ,
    EVENT_READ | EVENT_WRITE,
    'EVENT_READ, EVENT_WRITE or both',
  );
}
