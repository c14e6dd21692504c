import { hub } from './hub.js';
import type { Timer } from './timer.js';

/**
 * A parked thread in a coordination primitive's wait line: the wake-up
 * callbacks `suspend` handed out, its state, and its own links (an intrusive
 * list, so a killed or timed-out waiter leaves the middle of the line in O(1)).
 *
 * @example
 * import { type Operation, run, sleep, spawn, suspend } from '@verdant/hub';
 * import { startTimer, stopTimer, Waiter, WaiterList, type WaitOwner } from '@verdant/hub/internal';
 *
 * const OPEN = 1;
 * // A gate threads wait at, each for at most `ms`, until it opens.
 * class Gate implements WaitOwner<boolean> {
 *   private readonly line = new WaiterList<boolean>();
 *
 *   *pass(ms: number): Operation<boolean> {
 *     const waiter = new Waiter<boolean>(this);
 *     yield* suspend((resume, fail) => {
 *       waiter.resume = resume;
 *       waiter.fail = fail;
 *       this.line.push(waiter);
 *       startTimer(waiter, ms);
 *       return () => {
 *         stopTimer(waiter);
 *         this.line.remove(waiter);
 *       };
 *     }, 'gate');
 *     return waiter.state === OPEN;
 *   }
 *
 *   open(): void {
 *     for (let w = this.line.shift(); w !== undefined; w = this.line.shift()) {
 *       w.state = OPEN;
 *       w.resume(undefined);
 *     }
 *   }
 *
 *   _expire(waiter: Waiter<boolean>): void {
 *     this.line.remove(waiter);
 *     waiter.resume(undefined);
 *   }
 * }
 *
 * const gate = new Gate();
 * await run(function* () {
 *   const patient = spawn(function* () {
 *     return yield* gate.pass(1000);
 *   });
 *   const hasty = spawn(function* () {
 *     return yield* gate.pass(10);
 *   });
 *   yield* sleep(50);
 *   gate.open();
 *   console.log(yield* patient.wait(), yield* hasty.wait()); // true false
 * });
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
 * Arms `waiter`'s own timeout on the hub's timer queue (no Timeout object, no
 * closure): when `ms` runs out first, `waiter.owner._expire(waiter)` is called.
 *
 * @example
 * import { startTimer, Waiter } from '@verdant/hub/internal';
 *
 * const waiter = new Waiter({ _expire: () => console.log('expired') });
 * startTimer(waiter, 10); // 'expired', 10 ms later
 */
export function startTimer<V>(waiter: Waiter<V>, ms: number): void {
  waiter.timer = hub.timers.add(ms, expire as (w: Waiter<V>) => void, waiter);
}

/**
 * Cancels the waiter's timeout, if still pending (call it from the park's disposer).
 *
 * @example
 * import { startTimer, stopTimer, Waiter } from '@verdant/hub/internal';
 *
 * const waiter = new Waiter({ _expire: () => console.log('never printed') });
 * startTimer(waiter, 10);
 * stopTimer(waiter);
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
 * import { Waiter, WaiterList } from '@verdant/hub/internal';
 *
 * const owner = { _expire() {} };
 * const [a, b, c] = [new Waiter(owner), new Waiter(owner), new Waiter(owner)];
 * const line = new WaiterList();
 * line.push(a);
 * line.push(b);
 * line.push(c);
 * line.remove(b); // from the middle, in O(1)
 * console.log(line.shift() === a, line.shift() === c, line.length); // true true 0
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
