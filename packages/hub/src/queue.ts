import Denque from 'denque';
import { brandCheck } from './brand.js';
import { checkFlag, checkInteger, checkTimeout } from './check.js';
import { Event } from './event.js';
import type { Operation } from './operation.js';
import { GetOp, PutOp } from './queue-op.js';
import { QUEUE_EMPTY, QUEUE_FULL } from './symbols.js';
import { stopTimer, Waiter, WaiterList } from './waiter-list.js';

// Waiter states. A getter is WAITING, then HANDED an item (or EXPIRED). A
// putter is WAITING, then GRANTED a slot it fills when it runs (buffered
// queue), or HANDED to a getter it waits on (Queue(0)), then DELIVERED.
const WAITING = 0;
const GRANTED = 1;
const HANDED = 2;
const DELIVERED = 3;
const EXPIRED = 4;

/** Waiter.kind of a putter (getters keep the default 0). */
const PUTTER = 1;

/**
 * Thrown by `get` when no item came (non-blocking, or `timeoutMs` ran out);
 * Python's `queue.Empty`.
 *
 * @example
 * import { Queue, QueueEmpty } from '@verdant/hub';
 *
 * try {
 *   new Queue<string>().getNowait();
 * } catch (e) {
 *   console.log(e instanceof QueueEmpty); // true
 * }
 */
export class QueueEmpty extends Error {
  declare readonly [QUEUE_EMPTY]: true;
  constructor(message = 'the queue is empty') {
    super(message);
    this.name = 'QueueEmpty';
  }
  static override [Symbol.hasInstance](value: unknown): boolean {
    return brandCheck(this, QueueEmpty, QUEUE_EMPTY, value);
  }
}
Object.defineProperty(QueueEmpty.prototype, QUEUE_EMPTY, { value: true });

/**
 * Thrown by `put` when the item found no room (non-blocking, or `timeoutMs`
 * ran out); Python's `queue.Full`. The item was not enqueued.
 *
 * @example
 * import { Queue, QueueFull } from '@verdant/hub';
 *
 * const q = new Queue<string>(1);
 * q.putNowait('first');
 * try {
 *   q.putNowait('second');
 * } catch (e) {
 *   console.log(e instanceof QueueFull); // true: 'second' was not enqueued
 * }
 */
export class QueueFull extends Error {
  declare readonly [QUEUE_FULL]: true;
  constructor(message = 'the queue is full') {
    super(message);
    this.name = 'QueueFull';
  }
  static override [Symbol.hasInstance](value: unknown): boolean {
    return brandCheck(this, QueueFull, QUEUE_FULL, value);
  }
}
Object.defineProperty(QueueFull.prototype, QUEUE_FULL, { value: true });

/**
 * A FIFO queue between green threads (eventlet's `LightQueue`: a `Queue`
 * without `taskDone`/`join`). `maxsize` undefined, null or negative means
 * unbounded; `0` makes a channel, where `put` waits until a `get` takes
 * the item. Blocked getters and putters are served in arrival order.
 *
 * A kill or Timeout at any blocking call leaves the queue consistent: an
 * item handed to a getter that dies before it runs goes back to the head of
 * the queue (or to the next getter), and a putter only enqueues its item if
 * it runs, so a `put` that throws did not enqueue it. One window remains on
 * `Queue(0)`: a putter killed after a getter took its item still throws, and
 * the item is delivered.
 *
 * @example
 * import { LightQueue, run, spawn } from '@verdant/hub';
 *
 * const channel = new LightQueue<string>(0); // put waits for a get
 * const got = await run(function* () {
 *   spawn(function* () {
 *     yield* channel.put('job');
 *   });
 *   return yield* channel.get();
 * });
 * console.log(got); // 'job'
 */
export class LightQueue<T> {
  /** Infinity when unbounded. */
  private _max: number;
  private readonly _getters = new WaiterList<T>();
  private readonly _putters = new WaiterList<T>();
  /** Slots promised to woken putters that have not run yet. */
  private _reserved = 0;
  /** A getter done with, for the next get that parks: a ping-pong then makes none. */
  private _spareGetter: Waiter<T> | undefined = undefined;

  constructor(maxsize?: number | null) {
    this._max = normalizeMaxsize(`new ${new.target.name}(maxsize)`, maxsize);
  }

  // ---- storage: subclasses change the order -------------------------------

  private readonly _fifo = new Denque<T>();
  /** @internal */
  protected _size(): number {
    return this._fifo.length;
  }
  /** @internal */
  protected _push(item: T): void {
    this._fifo.push(item);
  }
  /** @internal */
  protected _pop(): T {
    return this._fifo.shift() as T;
  }
  /** @internal Puts back an item that a dying getter had been handed, where `_pop` finds it first. */
  protected _unpop(item: T): void {
    this._fifo.unshift(item);
  }
  /** @internal */
  protected _items(): T[] {
    return this._fifo.toArray();
  }
  /** @internal An item entered the queue (Queue counts unfinished tasks). */
  protected _entered(): void {}
  /** @internal A counted item went back to its putter. */
  protected _left(): void {}

  // ---- put ---------------------------------------------------------------

  /**
   * Puts `item` in the queue, blocking while it is full unless `block` is
   * false. Throws `QueueFull` if it could not (non-blocking, or `timeoutMs`
   * ran out). On `Queue(0)` it returns once a getter has the item.
   */
  put(item: T, block = true, timeoutMs?: number): Operation<void> {
    checkFlag('put(item, block, timeoutMs)', 'block', block);
    const ms = checkTimeout('put(item, block, timeoutMs)', 'timeoutMs', timeoutMs);
    return new PutOp(this, item, block, ms) as unknown as Operation<void>;
  }

  /** @internal put's first step: done at once (false), or parked on a putter (true). */
  _startPut(op: PutOp<T>): boolean {
    const item = op.item as T;
    const getter = this._getters.shift();
    let putter: Waiter<T>;
    if (getter !== undefined) {
      if (this._max !== 0 || !op.block) {
        this._handTo(getter, item, undefined, true);
        return false;
      }
      // A channel: hand the item over, then wait until the getter really has it.
      putter = new Waiter<T>(this);
      this._handTo(getter, item, putter, true);
    } else {
      if (this._offer(item)) return false;
      if (!op.block) throw new QueueFull();
      putter = new Waiter<T>(this);
      putter.value = item;
      putter.kind = PUTTER;
    }
    const line = putter.state === WAITING ? this._putters : undefined;
    putter.park(line, op.timeoutMs, 'queue put', 'Queue.put');
    op.waiter = putter;
    return true;
  }

  /**
   * Puts `item` without blocking; throws `QueueFull` if there is no room
   * (on `Queue(0)`: unless a getter is waiting). Callable outside green threads.
   */
  putNowait(item: T): void {
    const getter = this._getters.shift();
    if (getter !== undefined) this._handTo(getter, item, undefined, true);
    else if (!this._offer(item)) throw new QueueFull();
  }

  private _offer(item: T): boolean {
    if (this._putters.length === 0 && this._size() + this._reserved < this._max) {
      this._push(item);
      this._entered();
      return true;
    }
    return false;
  }

  private _handTo(getter: Waiter<T>, item: T, putter: Waiter<T> | undefined, count: boolean): void {
    getter.value = item;
    getter.state = HANDED;
    if (putter !== undefined) {
      getter.partner = putter;
      putter.partner = getter;
      putter.value = item;
      putter.state = HANDED;
      putter.kind = PUTTER;
    }
    if (count) this._entered();
    getter.resume(undefined);
  }

  /** Wakes putters while there is room; each gets a slot it fills when it runs. */
  private _grantPutters(): void {
    while (this._putters.length !== 0 && this._size() + this._reserved < this._max) {
      const putter = this._putters.shift()!;
      putter.state = GRANTED;
      this._reserved++;
      putter.resume(undefined);
    }
  }

  private _disposePutter(putter: Waiter<T>, interrupted: boolean): void {
    stopTimer(putter);
    const state = putter.state;
    if (!interrupted) {
      if (state === GRANTED) {
        // The putter runs: its item takes the slot it was promised.
        this._reserved--;
        const item = putter.value as T;
        putter.value = undefined;
        putter.state = DELIVERED;
        const getter = this._getters.shift();
        if (getter !== undefined) {
          this._handTo(getter, item, undefined, true);
          // The item skipped the buffer, so the slot it was promised is free again.
          this._grantPutters();
        } else {
          this._push(item);
          this._entered();
        }
      }
      return;
    }
    if (state === WAITING) this._putters.remove(putter);
    else if (state === GRANTED) {
      // Killed before it filled its slot: the slot goes to the next putter.
      this._reserved--;
      putter.state = EXPIRED;
      putter.value = undefined;
      this._grantPutters();
    } else if (state === HANDED) {
      // Queue(0): the getter keeps the item; nobody waits for its confirmation.
      const getter = putter.partner;
      if (getter !== undefined) getter.partner = undefined;
      putter.partner = undefined;
    }
  }

  // ---- get ---------------------------------------------------------------

  /**
   * Takes the next item, blocking while the queue is empty unless `block`
   * is false. Throws `QueueEmpty` if none came (non-blocking, or `timeoutMs`
   * ran out).
   */
  get(block = true, timeoutMs?: number): Operation<T> {
    checkFlag('get(block, timeoutMs)', 'block', block);
    const ms = checkTimeout('get(block, timeoutMs)', 'timeoutMs', timeoutMs);
    return new GetOp(this, block, ms) as unknown as Operation<T>;
  }

  /** @internal get's first step: an item taken into `op.item` (false), or parked on a getter (true). */
  _startGet(op: GetOp<T>): boolean {
    if (this._size() !== 0 || (this._reserved === 0 && this._putters.length !== 0)) {
      op.item = this.getNowait();
      return false;
    }
    if (!op.block) throw new QueueEmpty();
    let getter = this._spareGetter;
    if (getter === undefined) getter = new Waiter<T>(this);
    else this._spareGetter = undefined;
    getter.park(this._getters, op.timeoutMs, 'queue get', 'Queue.get');
    op.waiter = getter;
    return true;
  }

  /**
   * @internal A get's op takes the item handed to `getter`. Through `yield*`
   * the park is over by then, and the getter is kept for the next get that
   * parks. An op driven by hand may take it while still parked (in the step
   * that parked it: no putter can wait on it yet): the getter is then marked
   * delivered, so the park's end does not give the item back, and it is not
   * reused.
   */
  _takeHanded(getter: Waiter<T>): T {
    const item = getter.value as T;
    getter.value = undefined;
    if (getter.parkOver()) {
      // Not one still tied to a putter or a line (a disposer that threw): let that one go.
      if (getter.state === HANDED && getter.partner === undefined && !getter.linked) {
        getter._reset();
        this._spareGetter = getter;
      }
    } else if (getter.state === HANDED) getter.state = DELIVERED;
    return item;
  }

  /**
   * @internal A getter is served once handed an item. A putter is once its
   * item is delivered; or, on Queue(0), once a getter holds it and the
   * putter's park is over (a getter killed before it ran gives the item back
   * to a putter still parked, not to one whose park was dropped). A putter
   * granted a slot while its park stands was granted it by its own thread
   * (a `getNowait` between two steps of a put driven by hand), whose wake-up
   * found it running and was lost: it fills the slot now.
   */
  _served(waiter: Waiter<T>): boolean {
    const state = waiter.state;
    if (waiter.kind !== PUTTER) return state === HANDED;
    if (state === GRANTED && !waiter.parkOver()) {
      stopTimer(waiter);
      this._disposePutter(waiter, false);
    }
    return waiter.state === DELIVERED || (waiter.state === HANDED && waiter.parkOver());
  }

  /** Queue(0): the getter has its item; the putter waiting on it may go on. */
  private _confirmPutter(getter: Waiter<T>): void {
    const putter = getter.partner;
    if (putter === undefined) return;
    getter.partner = undefined;
    putter.partner = undefined;
    putter.state = DELIVERED;
    putter.value = undefined;
    putter.resume(undefined);
  }

  /**
   * Takes the next item without blocking; throws `QueueEmpty` if there is
   * none (on `Queue(0)`: unless a putter is waiting). Callable outside green threads.
   */
  getNowait(): T {
    if (this._size() !== 0) {
      const item = this._pop();
      if (this._putters.length !== 0) this._grantPutters();
      return item;
    }
    // Empty with a putter blocked (a channel, or a queue resized down): take its item.
    const putter = this._reserved === 0 ? this._putters.shift() : undefined;
    if (putter === undefined) throw new QueueEmpty();
    const item = putter.value as T;
    putter.value = undefined;
    putter.state = DELIVERED;
    this._entered();
    putter.resume(undefined);
    return item;
  }

  private _disposeGetter(getter: Waiter<T>, interrupted: boolean): void {
    stopTimer(getter);
    const state = getter.state;
    if (!interrupted) {
      this._confirmPutter(getter);
      return;
    }
    if (state === WAITING) {
      this._getters.remove(getter);
      return;
    }
    if (state !== HANDED) return;
    // Handed an item but killed before it ran: the item must not be lost.
    const item = getter.value as T;
    getter.value = undefined;
    getter.state = EXPIRED;
    const putter = getter.partner;
    const next = this._getters.shift();
    if (putter !== undefined) {
      // Queue(0): back to its putter, which keeps waiting for a taker.
      getter.partner = undefined;
      putter.partner = undefined;
      this._left();
      if (next !== undefined) this._handTo(next, item, putter, true);
      else {
        putter.state = WAITING;
        this._putters.unshift(putter);
        this._grantPutters();
      }
    } else if (next !== undefined) this._handTo(next, item, undefined, false);
    else this._unpop(item);
  }

  /** @internal a waiter's park ended (its disposer). */
  _endWait(waiter: Waiter<T>, interrupted: boolean): void {
    if (waiter.kind === PUTTER) this._disposePutter(waiter, interrupted);
    else this._disposeGetter(waiter, interrupted);
  }

  /** @internal a waiter's timeoutMs ran out. */
  _expire(waiter: Waiter<T>): void {
    if (waiter.state !== WAITING) return; // already served: too late to time out
    waiter.state = EXPIRED;
    if (waiter.kind === PUTTER) {
      this._putters.remove(waiter);
      waiter.value = undefined;
      waiter.fail(new QueueFull(`no room in the queue within the timeout`));
    } else {
      this._getters.remove(waiter);
      waiter.fail(new QueueEmpty(`no item came within the timeout`));
    }
  }

  // ---- state -------------------------------------------------------------

  /**
   * Changes `maxsize` (null for unbounded); growing it wakes blocked putters.
   * Items already in the queue stay even if they exceed the new size.
   */
  resize(maxsize: number | null): void {
    const old = this._max;
    this._max = normalizeMaxsize('resize(maxsize)', maxsize);
    if (this._max > old) this._grantPutters();
  }

  /** The maximum size: null when unbounded, 0 for a channel. */
  get maxsize(): number | null {
    return this._max === Number.POSITIVE_INFINITY ? null : this._max;
  }

  /** Items in the queue now. */
  qsize(): number {
    return this._size();
  }

  /** True when no item is in the queue (always, on `Queue(0)`). */
  empty(): boolean {
    return this._size() === 0;
  }

  /** True when a `put` would block (always, on `Queue(0)`). */
  full(): boolean {
    return this._size() >= this._max;
  }

  /** Threads blocked in `get`. */
  getting(): number {
    return this._getters.length;
  }

  /** Threads blocked in `put`. */
  putting(): number {
    return this._putters.length;
  }

  /** A snapshot of the items, in the order `get` would return them. */
  toArray(): T[] {
    return this._items();
  }

  toString(): string {
    return `<${this.constructor.name} maxsize=${this.maxsize} qsize=${this.qsize()} getting=${this.getting()} putting=${this.putting()}>`;
  }
}

/**
 * A FIFO queue with Python's task accounting: every item put counts as
 * unfinished until a consumer calls `taskDone()` for it, and `join()`
 * waits until none is left. Otherwise a `LightQueue`; `Queue(0)` is a channel.
 *
 * @example
 * import { Queue, run, sleep, spawn } from '@verdant/hub';
 *
 * const q = new Queue<number>();
 * const handled: number[] = [];
 * await run(function* () {
 *   const worker = spawn(function* () {
 *     for (;;) {
 *       const n = yield* q.get();
 *       yield* sleep(1);
 *       handled.push(n);
 *       q.taskDone();
 *     }
 *   });
 *   for (const n of [1, 2, 3]) yield* q.put(n);
 *   yield* q.join(); // every item handled
 *   worker.kill();
 * });
 * console.log(handled); // [1, 2, 3]
 */
export class Queue<T> extends LightQueue<T> {
  private _unfinished = 0;
  private _done: Event<boolean> | undefined = undefined;

  /** Items put and not yet marked done with `taskDone`. */
  get unfinishedTasks(): number {
    return this._unfinished;
  }

  /** @internal */
  protected override _entered(): void {
    this._unfinished++;
  }

  /** @internal */
  protected override _left(): void {
    if (--this._unfinished === 0) this._allDone();
  }

  /**
   * Marks one item got from the queue as processed. Throws a RangeError if
   * called more times than items were put.
   */
  taskDone(): void {
    if (this._unfinished <= 0) {
      throw new RangeError('taskDone() called more times than there were items put');
    }
    if (--this._unfinished === 0) this._allDone();
  }

  private _allDone(): void {
    const done = this._done;
    if (done !== undefined) {
      this._done = undefined;
      done.send(true);
    }
  }

  /**
   * Waits until every item put has been marked done. Returns true, or false
   * if `timeoutMs` ran out first.
   */
  join(timeoutMs?: number): Operation<boolean> {
    return this._join(checkTimeout('join(timeoutMs)', 'timeoutMs', timeoutMs));
  }

  private *_join(timeoutMs: number | null): Operation<boolean> {
    if (this._unfinished === 0) return true;
    this._done ??= new Event<boolean>();
    return (yield* this._done.wait(timeoutMs ?? undefined)) === true;
  }
}

function normalizeMaxsize(call: string, maxsize: unknown): number {
  if (maxsize === undefined || maxsize === null) return Number.POSITIVE_INFINITY;
  const max = checkInteger(
    call,
    'maxsize',
    maxsize,
    'an integer (0 for a channel, negative or null for unbounded)',
  );
  return max < 0 ? Number.POSITIVE_INFINITY : max;
}
