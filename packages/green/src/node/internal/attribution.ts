/**
 * Which green thread a socket request is for, across ticks, and what a kill
 * or Timeout cancels (issue 10, "What kill and Timeout cancel" in the
 * patcher README).
 *
 * A write on a client socket (one this process connected) is a request on
 * behalf of the thread whose work runs: the running thread, or the thread
 * an AsyncLocalStorage context carries into nextTicks, promise continuations
 * and callbacks of requests it started. The request is in flight until the
 * socket receives data or closes, or the thread resumes (what it waited for
 * came). A thread interrupted while parked (killed, or its Timeout fired)
 * has each socket that carries its in-flight request destroyed: the library
 * fails that request and drops the connection. Nothing else is touched, so
 * a pooled connection survives the thread that opened it.
 *
 * The context costs every `await` (promise hooks on Node 20/22), so it is
 * enabled only once something is patched; until then every function here
 * returns at its first check.
 */
import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { type GreenThread, getCurrent } from '@verdant/hub';
import { emptyKeepingRoom, ioSettled, ioStarted, setHooks } from '@verdant/hub/internal';

/** What a request rides on: a client socket. */
export interface Carrier {
  destroy(): unknown;
  readonly closed?: boolean;
  once(event: 'close', listener: () => void): unknown;
}

let context: AsyncLocalStorage<GreenThread<unknown>> | null = null;
// Both maps keep their (emptied) arrays for the key's life, emptied by
// popping (emptyKeepingRoom): a request per query would otherwise add and
// delete WeakMap entries, and a Set's clear() allocates a new table. Each
// array holds a few entries at most (a socket carries one request at a time
// for most protocols), so a linear search is the fastest lookup.
/** Thread → the sockets carrying its in-flight requests (empty: none). */
const inFlight = new WeakMap<GreenThread<unknown>, Carrier[]>();
/** Socket → the threads whose requests it carries (non-empty while in flight). */
const carried = new WeakMap<Carrier, GreenThread<unknown>[]>();
/**
 * A protocol's own way to cancel the request in flight on a socket while
 * keeping the connection (PostgreSQL's cancel request); true if it did.
 */
const cancellers = new WeakMap<Carrier, () => boolean>();

/**
 * A thread's async context. This module's own class: the hub is shared by
 * every copy of this package (the ESM and CJS builds), each with its own
 * store, and a scope made by another copy's hooks must not pass for one of
 * this copy's (its threads step under `als.run` instead).
 */
class ThreadScope extends AsyncResource {}

function newThreadScope(): ThreadScope {
  return new ThreadScope('GreenThread');
}

/** True once `enableAttribution` ran. */
export function attributionEnabled(): boolean {
  return context !== null;
}

/**
 * Starts attributing work to green threads across ticks and cancelling
 * their in-flight requests on interrupt. Idempotent; called when a face
 * that needs it is patched in or handed to a patched copy.
 */
export function enableAttribution(): void {
  if (context !== null) return;
  const als = new AsyncLocalStorage<GreenThread<unknown>>();
  context = als;
  setHooks({
    // A thread's steps run in the async context it was spawned in, as an
    // async function's continuations run in the one it was called in, with
    // the thread as this store. Captured once: entering a store per step
    // copies the context twice on Node 24 (AsyncContextFrame is a Map).
    spawned: (thread) => als.run(thread, newThreadScope),
    aroundStep(thread, run, scope) {
      // It resumed: whatever it waited for came, its earlier requests are answered.
      settleThread(thread);
      if (scope instanceof ThreadScope) scope.runInAsyncScope(run, null, thread);
      else als.run(thread, run, thread); // made before these hooks
      if (thread.dead) settleThread(thread);
    },
    interrupted: cancelInFlight,
  });
}

/** The green thread the current work is for, or null. */
export function attributedThread(): GreenThread<unknown> | null {
  if (context === null) return null;
  const t = getCurrent() ?? context.getStore() ?? null;
  return t === null || t.dead ? null : t;
}

/**
 * Calls `fn` as work for no green thread, whatever context it runs in: a
 * Node timer restores its setter's async context (for the user's own
 * AsyncLocalStorage), but a timer belongs to no thread, so a library's
 * back-off or reconnect it fires is not a request of the thread that armed it.
 */
export function callUnattributed(
  fn: (...args: unknown[]) => void,
  thisArg: unknown,
  args: unknown[],
): void {
  if (context === null) Reflect.apply(fn, thisArg, args);
  else context.exit(Reflect.apply, fn, thisArg, args);
}

/** `sock` carries a request for the current thread (if any) from now until it is answered. */
export function requestSent(sock: Carrier): void {
  const t = attributedThread();
  if (t === null) return;
  let threads = carried.get(sock);
  if (threads === undefined) {
    threads = [];
    carried.set(sock, threads);
  } else if (threads.includes(t)) {
    // Already in flight for t (the two maps agree): pg writes a query as four messages.
    return;
  }
  if (threads.length === 0) ioStarted();
  threads.push(t);
  let socks = inFlight.get(t);
  if (socks === undefined) {
    socks = [];
    inFlight.set(t, socks);
  }
  socks.push(sock);
}

/** `sock` received data or closed: no request it carried is in flight any more. */
export function answered(sock: Carrier): void {
  const threads = carried.get(sock);
  if (threads === undefined || threads.length === 0) return;
  for (let i = 0; i < threads.length; i++) {
    const socks = inFlight.get(threads[i]!);
    if (socks !== undefined) removeFrom(socks, sock);
  }
  emptyKeepingRoom(threads);
  ioSettled();
}

/** Takes `item` out of `list` (order does not matter); false if it was not there. */
function removeFrom<T>(list: T[], item: T): boolean {
  const at = list.indexOf(item);
  if (at < 0) return false;
  const last = list.pop()!;
  if (at < list.length) list[at] = last;
  return true;
}

/** Registers the protocol's canceller for `sock` (see `cancellers`). */
export function setCanceller(sock: Carrier, cancel: () => boolean): void {
  cancellers.set(sock, cancel);
}

// A canceller that throws falls back to destroying the socket.
function cancelledInProtocol(sock: Carrier): boolean {
  try {
    return cancellers.get(sock)?.() === true;
  } catch {
    return false;
  }
}

/** The thread no longer waits on its requests (it resumed or ended). */
function settleThread(t: GreenThread<unknown>): void {
  const socks = inFlight.get(t);
  if (socks === undefined || socks.length === 0) return;
  for (let i = 0; i < socks.length; i++) {
    const threads = carried.get(socks[i]!);
    if (threads !== undefined && removeFrom(threads, t) && threads.length === 0) ioSettled();
  }
  emptyKeepingRoom(socks);
}

/**
 * A kill or Timeout hit `t` while parked: cancel each request it has in
 * flight, by the protocol's own cancel where there is one, else by
 * destroying the socket; then hold `t` back until the destroyed sockets
 * have closed, so that the library has dropped the connection before the
 * thread's `finally` hands it back to a pool.
 */
function cancelInFlight(t: GreenThread<unknown>): ((resume: () => void) => void) | undefined {
  const socks = inFlight.get(t);
  if (socks === undefined || socks.length === 0) return undefined;
  const closing: Carrier[] = [];
  for (const sock of [...socks]) {
    answered(sock);
    if (cancelledInProtocol(sock)) continue;
    sock.destroy();
    if (sock.closed !== true) closing.push(sock);
  }
  if (closing.length === 0) return undefined;
  return (resume) => {
    let open = closing.length;
    for (const sock of closing) {
      sock.once('close', () => {
        if (--open === 0) resume();
      });
    }
  };
}
