import { hub } from './hub.js';
import type { Timer } from './timer.js';

/**
 * A parked thread in a coordination primitive's wait line: the wake-up
 * callbacks `suspend` handed out, its state, and its own links (an intrusive
 * list, so a killed or timed-out waiter leaves the middle of the line in O(1)).
 *
 * @example
 * const line = new WaiterList<number>();
 * const w = new Waiter<number>(owner);
 * line.push(w);
 * line.remove(w); // O(1), wherever it is
 */
export class Waiter<V = unknown> {
  prev: Waiter<V> | undefined = undefined;
  next: Waiter<V> | undefined = undefined;
  /** In a list right now (removal is idempotent). */
  linked = false;
  /** 0 waiting; what other values mean is up to the owner. */
  state = 0;
  /** Which line the owner put it in (a queue's getters or putters). */
  kind = 0;
  value: V | undefined = undefined;
  /** The other side of a rendezvous hand-over (Queue(0)). */
  partner: Waiter<V> | undefined = undefined;
  timer: Timer | undefined = undefined;
  resume: (value: unknown) => boolean = noWake;
  fail: (error: unknown) => boolean = noWake;
  constructor(readonly owner: WaitOwner<V>) {}
}

/** What a waiter's timer calls when `timeoutMs` runs out before a wake-up. */
export interface WaitOwner<V> {
  _expire(waiter: Waiter<V>): void;
}

function noWake(): boolean {
  return false;
}

function expire<V>(waiter: Waiter<V>): void {
  waiter.timer = undefined;
  waiter.owner._expire(waiter);
}

/**
 * Arms `waiter`'s own timeout on the hub's heap (no Timeout object, no
 * closure): when `ms` runs out first, `waiter.owner._expire(waiter)` is called.
 *
 * @example
 * if (timeoutMs !== undefined) startTimer(waiter, timeoutMs);
 */
export function startTimer<V>(waiter: Waiter<V>, ms: number): void {
  waiter.timer = hub.callLater(ms, expire as (w: Waiter<V>) => void, waiter);
}

/**
 * Cancels the waiter's timeout, if still pending (call it from the park's disposer).
 *
 * @example
 * return (interrupted) => { stopTimer(waiter); ... };
 */
export function stopTimer<V>(waiter: Waiter<V>): void {
  const timer = waiter.timer;
  if (timer !== undefined) {
    waiter.timer = undefined;
    timer.cancel();
  }
}

/**
 * A FIFO line of waiters: push at the back, shift from the front, remove from
 * anywhere, all O(1) and allocation-free (the links live in the waiters).
 *
 * @example
 * const line = new WaiterList<string>();
 * line.push(a); line.push(b);
 * line.shift(); // a
 */
export class WaiterList<V> {
  private head: Waiter<V> | undefined = undefined;
  private tail: Waiter<V> | undefined = undefined;
  length = 0;

  push(w: Waiter<V>): void {
    w.linked = true;
    w.next = undefined;
    w.prev = this.tail;
    if (this.tail === undefined) this.head = w;
    else this.tail.next = w;
    this.tail = w;
    this.length++;
  }

  /** Puts `w` at the front: a waiter that must keep its turn. */
  unshift(w: Waiter<V>): void {
    w.linked = true;
    w.prev = undefined;
    w.next = this.head;
    if (this.head === undefined) this.tail = w;
    else this.head.prev = w;
    this.head = w;
    this.length++;
  }

  shift(): Waiter<V> | undefined {
    const w = this.head;
    if (w !== undefined) this.remove(w);
    return w;
  }

  peek(): Waiter<V> | undefined {
    return this.head;
  }

  /** Unlinks `w`; a no-op if it is not in a list. */
  remove(w: Waiter<V>): void {
    if (!w.linked) return;
    w.linked = false;
    const { prev, next } = w;
    if (prev === undefined) this.head = next as Waiter<V> | undefined;
    else prev.next = next;
    if (next === undefined) this.tail = prev as Waiter<V> | undefined;
    else next.prev = prev;
    w.prev = w.next = undefined;
    this.length--;
  }
}

/** Checks an optional `timeoutMs` argument at the call, so the error points at the caller. */
export function checkTimeout(what: string, timeoutMs: unknown): void {
  if (timeoutMs === undefined || timeoutMs === null) return;
  if (
    typeof timeoutMs !== 'number' ||
    !(timeoutMs >= 0) ||
    timeoutMs === Number.POSITIVE_INFINITY
  ) {
    throw new TypeError(
      `${what}: timeoutMs must be a finite number >= 0 (milliseconds) or undefined, got ${String(timeoutMs)}`,
    );
  }
}

/** Checks an optional boolean flag (`block`, `blocking`). */
export function checkFlag(what: string, name: string, value: unknown): void {
  if (typeof value !== 'boolean') {
    throw new TypeError(`${what}: ${name} must be a boolean, got ${typeof value}`);
  }
}
