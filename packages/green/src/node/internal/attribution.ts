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
import { AsyncLocalStorage } from 'node:async_hooks';
import { type GreenThread, getCurrent } from '@verdant/hub';
import { ioSettled, ioStarted, setHooks } from '@verdant/hub/internal';

/** What a request rides on: a client socket. */
export interface Carrier {
  destroy(): unknown;
}

let context: AsyncLocalStorage<GreenThread<unknown>> | null = null;
/** Thread → the sockets carrying its in-flight requests. */
const inFlight = new WeakMap<GreenThread<unknown>, Set<Carrier>>();
/** Socket → the threads whose requests it carries (non-empty while in flight). */
const carried = new WeakMap<Carrier, Set<GreenThread<unknown>>>();
/** Run before an in-flight socket is destroyed (a PostgreSQL cancel request). */
const beforeCancel = new WeakMap<Carrier, () => void>();

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
    aroundStep(thread, run) {
      // It resumed: whatever it waited for came, its earlier requests are answered.
      if (inFlight.has(thread)) settleThread(thread);
      als.run(thread, run, thread);
      if (thread.dead && inFlight.has(thread)) settleThread(thread);
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

/** `sock` carries a request for the current thread (if any) from now until it is answered. */
export function requestSent(sock: Carrier): void {
  const t = attributedThread();
  if (t === null) return;
  let threads = carried.get(sock);
  if (threads === undefined) {
    threads = new Set();
    carried.set(sock, threads);
    ioStarted();
  }
  threads.add(t);
  let socks = inFlight.get(t);
  if (socks === undefined) {
    socks = new Set();
    inFlight.set(t, socks);
  }
  socks.add(sock);
}

/** `sock` received data or closed: no request it carried is in flight any more. */
export function answered(sock: Carrier): void {
  const threads = carried.get(sock);
  if (threads === undefined) return;
  carried.delete(sock);
  for (const t of threads) {
    const socks = inFlight.get(t);
    if (socks === undefined) continue;
    socks.delete(sock);
    if (socks.size === 0) inFlight.delete(t);
  }
  ioSettled();
}

/** Registers what to do just before `sock` is destroyed to cancel a request (once per socket). */
export function onCancel(sock: Carrier, fn: () => void): void {
  beforeCancel.set(sock, fn);
}

/** The thread no longer waits on its requests (it resumed or ended). */
function settleThread(t: GreenThread<unknown>): void {
  const socks = inFlight.get(t);
  inFlight.delete(t);
  if (socks === undefined) return;
  for (const sock of socks) {
    const threads = carried.get(sock);
    if (threads === undefined) continue;
    threads.delete(t);
    if (threads.size === 0) {
      carried.delete(sock);
      ioSettled();
    }
  }
}

/** A kill or Timeout hit `t` while parked: destroy each socket carrying its in-flight request. */
function cancelInFlight(t: GreenThread<unknown>): void {
  const socks = inFlight.get(t);
  if (socks === undefined) return;
  for (const sock of [...socks]) {
    answered(sock);
    try {
      beforeCancel.get(sock)?.();
    } catch {
      // A failed courtesy (the server-side cancel) must not keep the socket open.
    }
    sock.destroy();
  }
}
