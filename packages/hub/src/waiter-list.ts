import { DONE } from './done.js';
import { hub } from './hub.js';
import type { Operation } from './operation.js';
import { notInThread } from './suspend.js';
import { PARK } from './symbols.js';
import { NEXT, THROW, type ThreadRecord } from './thread-record.js';
import type { Timer } from './timer.js';

const PARK_STEP: IteratorYieldResult<unknown> = Object.freeze({ value: PARK, done: false });
const DONE_STEP = DONE.next() as IteratorReturnResult<void>;

/**
 * A parked thread in a coordination primitive's wait line: the thread and
 * the epoch of its park (`resume`/`fail` wake it through the hub, no
 * closures), its state, and its own links (an intrusive list, so a killed or
 * timed-out waiter leaves the middle of the line in O(1)). `park` is the
 * waiter's own two-step operation: no arm, no disposer closure, no park
 * generator per wait; when the park ends the hub calls the owner's
 * `_endWait(waiter, interrupted)`, as a disposer.
 *
 * @example
 * import { type Operation, run, sleep, spawn } from '@verdant/hub';
 * import { startTimer, stopTimer, Waiter, WaiterList, type WaitOwner } from '@verdant/hub/internal';
 *
 * const OPEN = 1;
 * const LATE = 2;
 * // A gate threads wait at, each for at most `ms`, until it opens.
 * class Gate implements WaitOwner<boolean> {
 *   private readonly line = new WaiterList<boolean>();
 *
 *   *pass(ms: number): Operation<boolean> {
 *     const waiter = new Waiter<boolean>(this);
 *     yield* waiter.park(this.line, ms, 'gate', 'Gate.pass');
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
 *     waiter.state = LATE; // set before the wake-up, as `state` says
 *     waiter.resume(undefined);
 *   }
 *
 *   _endWait(waiter: Waiter<boolean>): void {
 *     stopTimer(waiter);
 *     this.line.remove(waiter);
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
  /** Its neighbours in the line (not `prev`/`next`: the waiter is an iterator too). */
  before: Waiter<V> | undefined = undefined;
  after: Waiter<V> | undefined = undefined;
  /** In a list right now (removal is idempotent). */
  linked = false;
  /**
   * 0 waiting; the owner sets another value (what it means is up to the
   * owner) before it wakes the waiter, so 0 after the park means dropped.
   */
  state = 0;
  /** Which line the owner put it in (a queue's getters or putters). */
  kind = 0;
  value: V | undefined = undefined;
  /** The other side of a rendezvous hand-over (Queue(0)). */
  partner: Waiter<V> | undefined = undefined;
  timer: Timer | undefined = undefined;
  /** The parked thread, from `park` until the park ends. */
  private thread: ThreadRecord | undefined = undefined;
  private epoch = 0;
  /** Between the two steps of `park`. */
  private parked = false;
  constructor(readonly owner: WaitOwner<V>) {}

  /**
   * Parks the running thread on this waiter: into `line` (if given), with
   * its timeout (null: none), labelled `label`; `call` names the blocking
   * call for the error thrown outside a green thread. Run it with `yield*`
   * (or, as a queue's operations do, yield PARK and resume yourself).
   */
  park(
    line: WaiterList<V> | undefined,
    timeoutMs: number | null,
    label: string,
    call: string,
  ): Operation<void> {
    const t = hub.current;
    if (t === null) throw notInThread(call);
    this.thread = t;
    // In line first: a park of this thread that parkInSlot drops may hand its turn
    // (a lock, a permit, a slot) back to its owner, who then hands it on to this one.
    if (line !== undefined) line.push(this);
    this.epoch = hub.parkInSlot(t, label, this);
    if (timeoutMs !== null) startTimer(this, timeoutMs);
    this.parked = false;
    return this as unknown as Operation<void>;
  }

  /** Wakes the thread, if it still waits here; false when too late. */
  resume(_value?: unknown): boolean {
    const t = this.thread;
    return t !== undefined && hub.wake(t, this.epoch, NEXT, undefined);
  }

  /** Throws `error` into the thread, if it still waits here; false when too late. */
  fail(error: unknown): boolean {
    const t = this.thread;
    return t !== undefined && hub.wake(t, this.epoch, THROW, error);
  }

  /** @internal Its park has ended (the hub ran its disposer) and its timer is gone. */
  parkOver(): boolean {
    return this.thread === undefined && this.timer === undefined;
  }

  /**
   * @internal Makes a waiter whose park is over, in no line and holding
   * nothing, new again for its owner's next park (a queue keeps one spare).
   */
  _reset(): void {
    this.state = 0;
    this.kind = 0;
    this.value = undefined;
    this.partner = undefined;
    this.timer = undefined;
    this.thread = undefined;
    this.parked = false;
  }

  /** @internal Called by the hub when the park ends, as a disposer. */
  _endPark(interrupted: boolean): void {
    this.thread = undefined;
    this.owner._endWait(this, interrupted);
  }

  /**
   * @internal Driven by `yield*`, the second step comes once the park has
   * ended. Driven by hand (a combinator), a step taken while the park stands
   * and the owner has not served the waiter (`state` still 0) parks again;
   * one the owner served meanwhile, from this very thread (so its wake-up was
   * lost), ends the park as a wake-up would. A park another park or sleep
   * dropped ends with `state` 0: the owner's operation starts over, with its
   * whole timeout again (as a queue's operations do).
   */
  next(): IteratorResult<unknown, void> {
    if (!this.parked) {
      if (this.state === 0) {
        this.parked = true;
        return PARK_STEP;
      }
      // Served as it parked: by the owner of a park of this thread that its park replaced.
      hub.endOwnPark(this.thread as ThreadRecord, this);
      return DONE_STEP;
    }
    const t = this.thread;
    if (t !== undefined) {
      if (this.state === 0) return PARK_STEP;
      hub.endOwnPark(t, this);
    }
    this.parked = false;
    return DONE_STEP;
  }

  /** @internal A kill or Timeout thrown in while parked: let it through. */
  throw(error: unknown): never {
    this.parked = false;
    throw error;
  }

  /** @internal */
  return(): IteratorResult<unknown, void> {
    this.parked = false;
    return DONE_STEP;
  }

  /** @internal */
  [Symbol.iterator](): this {
    return this;
  }
}

/** What a waiter calls on its owner: its timer ran out first; its park ended (killed or not). */
export interface WaitOwner<V> {
  _expire(waiter: Waiter<V>): void;
  _endWait(waiter: Waiter<V>, interrupted: boolean): void;
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
 * const waiter = new Waiter({ _expire: () => console.log('expired'), _endWait() {} });
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
 * const waiter = new Waiter({ _expire: () => console.log('never printed'), _endWait() {} });
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
 * const owner = { _expire() {}, _endWait() {} };
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
    w.after = undefined;
    w.before = this.tail;
    if (this.tail === undefined) this.head = w;
    else this.tail.after = w;
    this.tail = w;
    this.length++;
  }

  /** Puts `w` at the front: a waiter that must keep its turn. */
  unshift(w: Waiter<V>): void {
    w.linked = true;
    w.before = undefined;
    w.after = this.head;
    if (this.head === undefined) this.tail = w;
    else this.head.before = w;
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
    const { before: prev, after: next } = w;
    if (prev === undefined) this.head = next as Waiter<V> | undefined;
    else prev.after = next;
    if (next === undefined) this.tail = prev as Waiter<V> | undefined;
    else next.before = prev;
    w.before = w.after = undefined;
    this.length--;
  }
}
