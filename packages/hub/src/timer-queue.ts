import { BinaryHeap, type Heap } from './binary-heap.js';
import type { Clock, Timeline } from './clock.js';
import { emptyKeepingRoom } from './keep-room.js';
import { hubNodeTimer, nodeClearTimeout } from './node-timers.js';
import {
  listOrder,
  Timer,
  type TimerEntry,
  type TimerHome,
  TimerList,
  unlinkTimer,
} from './timer.js';

/** The longest delay a Node timer takes; a longer deadline is slept towards in steps of it. */
const NODE_TIMEOUT_MAX = 2 ** 31 - 1;

/**
 * A real-clock deadline: `ms` (rounded up) from the whole ms the clock
 * reads, as Node's timers count from libuv's loop time, which Node updates
 * and reads, in whole ms, when a timer is set. Counting from the exact read
 * instead (rounded up) put every deadline up to 1 ms after Node's, and the
 * Node timer behind it one ms later: `setTimeout(f, 1)` then 1 ms of work
 * ran `f` a loop turn after Node does, behind the immediates queued
 * meanwhile. A small integer, which V8 keeps unboxed.
 */
function deadline(now: number, ms: number): number {
  return Math.floor(now) + Math.ceil(ms);
}

/** The `_at` of a sleeping thread queued in a drain and not yet given its deadline (see `batch`). */
const UNSTAMPED = -1;

/** How many emptied per-duration lists `clear()` keeps for reuse. */
const KEPT_LISTS = 64;

// Node's way to run the nextTick and microtask queues by hand (it does so
// between timer callbacks); absent on a runtime without it.
const runTicks = (process as { _tickCallback?: () => void })._tickCallback?.bind(process);

/**
 * Every hub timer (sleeps, Timeouts, spawnAfter, wait timeouts, the green
 * timer faces) behind one armed Node timer, as Node's own timers work:
 * timers of one duration share a list that stays sorted by itself, and a
 * heap orders the lists by their earliest deadline. Setting or cancelling a
 * timer is O(1) in its list; a list whose head changed is re-keyed in the
 * heap when it comes up. The Node timer is ref'd while a ref'd timer is
 * pending; once nothing is pending it stays armed but unref'd, so the
 * process may exit and the next timer reuses it instead of making another.
 * A sleeping green thread is an entry itself (`addEntry`): no Timer, no
 * closure; when due it is handed to `onEntryDue`, with no nextTick run
 * after it, since a wake-up only queues the thread.
 */
export class TimerQueue implements Timeline, TimerHome {
  private readonly lists = new Map<number, TimerList>();
  private readonly heap: Heap<TimerList> = new BinaryHeap<TimerList>([], listOrder);
  private pending = 0;
  private refed = 0;
  private seq = 0;
  private nodeTimer: NodeJS.Timeout | undefined = undefined;
  private armedAt = Number.POSITIVE_INFINITY;
  /** Inside a hub drain (real clock): sleeps are stamped by the next clock read, not one read each. */
  private batching = false;
  /** Lists whose tail holds sleeping threads not yet stamped (`_at === UNSTAMPED`). */
  private readonly staged: TimerList[] = [];

  constructor(
    private readonly clock: Clock,
    /** Told when a timer's callback throws; the other timers still fire. */
    private readonly onError: (error: unknown) => void,
    /** Told when an entry added with `addEntry` falls due (a sleeping thread). */
    private readonly onEntryDue: (entry: TimerEntry) => void,
  ) {}

  /** Timers set and neither fired nor cancelled, ref'd or not. */
  get size(): number {
    return this.pending;
  }

  /** Pending timers that keep the process alive. */
  get refedSize(): number {
    return this.refed;
  }

  keepsAlive(): boolean {
    return this.refed !== 0;
  }

  /**
   * Calls `fire(arg)` after `ms`, from Node's timer phase (outside any
   * thread). Returns the timer, which `cancel()` stops. With `uncaught`, a
   * throw from `fire` leaves the pass as an uncaught exception (the rest of
   * the due timers fire right after), as a Node timer's callback does;
   * otherwise it is reported to `onError`.
   */
  add<A>(ms: number, fire: (arg: A) => void, arg: A, uncaught = false): Timer {
    const timer = new Timer(ms, fire as (a: unknown) => void, arg, uncaught, this);
    this.insertTimer(timer);
    return timer;
  }

  /**
   * Queues `entry` (a green thread) to fall due after `ms`, ref'd, moving it
   * if it was queued already (a sleep started and abandoned unyielded).
   * `removeEntry` takes it off before then.
   */
  addEntry(entry: TimerEntry, ms: number): void {
    if (entry._tnext !== undefined) this.removeEntry(entry);
    this.insert(entry, ms, true);
  }

  /** Takes an entry added with `addEntry` off its list; false if it was on none. */
  removeEntry(entry: TimerEntry): boolean {
    if (entry._tnext === undefined) return false;
    unlinkTimer(entry);
    this.pending--;
    if (--this.refed === 0) this.keepAlive(false);
    if (this.pending === 0) this.clear();
    return true;
  }

  private insertTimer(timer: Timer): void {
    timer.seq = ++this.seq;
    timer.done = false;
    this.insert(timer, timer.ms, timer.refed);
  }

  /**
   * The hub's drain begins (`on`) or ends. In between, on the real clock, a
   * sleeping thread joins its list unstamped, and `stamp()` (the drain calls
   * it every 128 steps and at its end) gives every such entry its deadline
   * from one clock read: 100k sleeps in a drain cost a few reads, not 100k.
   * The read comes after each sleep began, so no deadline is early; it is
   * late by at most the steps run between the sleep and the read (and
   * since no timer fires before the drain ends, a slow drain delays a wake-up
   * by at most the sleep's own duration more than an exact stamp would).
   */
  batch(on: boolean): void {
    this.batching = on;
    if (!on) this.stamp();
  }

  /** Stamps the staged entries from one clock read; returns the read, or -1 when nothing was staged. */
  stamp(): number {
    const staged = this.staged;
    if (staged.length === 0) return -1;
    const now = this.clock.now();
    for (let i = 0; i < staged.length; i++) {
      const list = staged[i]!;
      list.staged = false;
      const at = deadline(now, list.ms);
      // The unstamped entries are the list's tail: every other insert stamps first.
      let e = list._tprev!;
      for (; e !== list && (e as TimerEntry)._at === UNSTAMPED; e = e._tprev!) {
        (e as TimerEntry)._at = at;
      }
      if (list.inHeap) continue;
      if (list._tnext === list) {
        // Emptied (killed) before its stamp and never in the heap: top() would never drop it.
        if (this.lists.get(list.ms) === list) this.lists.delete(list.ms);
        continue;
      }
      list.key = list.head!._at;
      list.inHeap = true;
      this.heap.push(list);
      if (list.key < this.armedAt) this.arm(list.key);
    }
    emptyKeepingRoom(staged);
    return now;
  }

  private insert(entry: TimerEntry, ms: number, refed: boolean): void {
    let list = this.lists.get(ms);
    if (list === undefined) {
      list = new TimerList(ms);
      this.lists.set(ms, list);
    }
    this.pending++;
    if (refed && this.refed++ === 0) this.keepAlive(true);
    const virtual = this.clock.isVirtual;
    if (this.batching && !virtual && !(entry instanceof Timer)) {
      entry._at = UNSTAMPED;
      list.append(entry);
      if (!list.staged) {
        list.staged = true;
        this.staged.push(list);
      }
      return;
    }
    // Whole ms (see `deadline`); not on a virtual clock, whose now a
    // fractional advance() may leave between two ms: sleep(n) then
    // advance(n) must wake the thread there too. Staged entries are stamped
    // first (from the same read), so lists stay sorted.
    let now = this.stamp();
    if (now < 0) now = this.clock.now();
    const at = virtual ? now + ms : deadline(now, ms);
    entry._at = at;
    list.append(entry);
    if (!list.inHeap) {
      list.key = at;
      list.inHeap = true;
      this.heap.push(list);
    }
    if (at < this.armedAt) this.arm(at);
  }

  /** Takes a pending timer off its list; the list's heap key may go stale (see `top`). */
  private detach(timer: Timer): void {
    unlinkTimer(timer);
    timer.done = true;
    this.pending--;
    if (timer.refed && --this.refed === 0) this.keepAlive(false);
  }

  /** Called by `timer.cancel()`, once. */
  cancel(timer: Timer): void {
    this.detach(timer);
    if (this.pending === 0) this.clear();
  }

  /** Called by `timer.refresh()`: re-queued from now, at the end of its list. */
  refresh(timer: Timer): void {
    if (!timer.done) this.detach(timer);
    this.insertTimer(timer);
  }

  /** Called when a pending timer is ref'd or unref'd. */
  refChanged(timer: Timer): void {
    if (timer.refed) {
      if (this.refed++ === 0) this.keepAlive(true);
    } else if (--this.refed === 0) this.keepAlive(false);
  }

  /**
   * Nothing pending: drop the heap. The Node timer stays armed, unref'd (it
   * was when the last ref'd timer left), so the process may still exit: a
   * pool whose one idle timer is cancelled and set again per request would
   * otherwise make a Node timer each time. If it fires first, it finds
   * nothing due and re-arms for what is pending then. A virtual clock has no
   * Node timer, and must hear of the next deadline armed: it is disarmed.
   */
  private clear(): void {
    const staged = this.staged;
    for (let i = 0; i < staged.length; i++) staged[i]!.staged = false;
    emptyKeepingRoom(staged);
    const heap = this.heap;
    for (let i = 0; i < heap.length; i++) heap.data[i]!.inHeap = false;
    emptyKeepingRoom(heap.data);
    heap.length = 0;
    // The emptied lists stay for the next timers of their durations (a pool's
    // idle timer set and cleared per request would otherwise make a list and
    // rehash the map each time), unless a program used many durations.
    if (this.lists.size > KEPT_LISTS) this.lists.clear();
    if (this.clock.isVirtual || this.nodeTimer === undefined) this.disarm();
  }

  private keepAlive(on: boolean): void {
    if (on) {
      this.nodeTimer?.ref();
      if (this.clock.isVirtual) this.clock.deadlineArmed();
    } else this.nodeTimer?.unref();
  }

  /**
   * The list with the earliest pending timer, its key exact. Lists emptied
   * by cancels leave the heap here, and a list whose head was cancelled is
   * re-keyed, so no stale deadline is ever armed.
   */
  private top(): TimerList | undefined {
    const heap = this.heap;
    for (let list = heap.peek(); list !== undefined; list = heap.peek()) {
      const head = list.head;
      if (head === undefined) {
        heap.pop();
        list.inHeap = false;
        if (this.lists.get(list.ms) === list) this.lists.delete(list.ms);
      } else if (head._at !== list.key) {
        heap.pop();
        list.key = head._at;
        heap.push(list);
      } else return list;
    }
    return undefined;
  }

  nextDeadline(): number | undefined {
    this.stamp();
    return this.top()?.key;
  }

  shiftDeadlines(ms: number): void {
    // Whole ms, as every deadline is; rounded up, so nothing falls due early.
    const shift = Math.ceil(ms);
    this.stamp();
    for (const list of this.heap.data) {
      list.key += shift;
      for (let e = list._tnext!; e !== list; e = e._tnext!) (e as TimerEntry)._at += shift;
    }
  }

  rearm(): void {
    this.stamp();
    const next = this.top();
    this.disarm();
    if (next !== undefined) this.arm(next.key);
  }

  private arm(at: number): void {
    if (this.nodeTimer !== undefined) nodeClearTimeout(this.nodeTimer);
    this.armedAt = at;
    if (this.clock.isVirtual) {
      this.nodeTimer = undefined;
      this.clock.deadlineArmed();
      return;
    }
    // Node turns a delay past 2^31-1 ms into 1 ms (and warns): a far
    // deadline is approached in steps instead, silently.
    const delay = Math.min(NODE_TIMEOUT_MAX, Math.max(1, Math.ceil(at - this.clock.now())));
    const timer = hubNodeTimer(this.onNodeTimer, delay);
    if (this.refed === 0) timer.unref();
    this.nodeTimer = timer;
  }

  private disarm(): void {
    if (this.nodeTimer !== undefined) nodeClearTimeout(this.nodeTimer);
    this.nodeTimer = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
  }

  /** From the Node timer: as Node does, the nextTick and microtask queues run between callbacks. */
  private readonly onNodeTimer = (): void => {
    this.firePass(runTicks);
  };

  /**
   * Fires every timer due by the clock's now, in deadline order (the virtual
   * clock's entry). `fromLoop`: called from Node's loop rather than from
   * code that advances the clock, so ticks may run between callbacks.
   */
  fireDue(fromLoop = false): void {
    this.firePass(fromLoop ? runTicks : undefined);
  }

  /**
   * Fires every due timer in deadline order, across lists. Timers set (or
   * refreshed) by the callbacks of this pass wait for the next one, as in
   * Node, so a 0 ms timer that sets itself again cannot keep the pass from
   * ending. An `uncaught` timer's throw ends the pass once the queue is
   * armed again for what is left.
   */
  private firePass(between: (() => void) | undefined): void {
    this.nodeTimer = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
    const heap = this.heap;
    this.stamp();
    // A pass run inside a drain (advance() from a thread) stamps its own inserts:
    // a staged entry must never meet top() unstamped.
    const batching = this.batching;
    this.batching = false;
    const now = this.clock.now();
    const newest = this.seq;
    let deferred: TimerList[] | undefined;
    let called = false;
    try {
      for (;;) {
        if (called && between !== undefined) {
          called = false;
          between();
        }
        const list = this.top();
        if (list === undefined || list.key > now) break;
        const entry = list._tnext as TimerEntry;
        if (!(entry instanceof Timer)) {
          // A thread: never set during a pass (threads run in the hub's drain).
          this.removeEntry(entry);
          this.onEntryDue(entry);
          continue;
        }
        const timer = entry;
        if (timer.seq > newest) {
          // Set during this pass, and so is the rest of its list: next pass.
          heap.pop();
          (deferred ??= []).push(list);
          continue;
        }
        this.detach(timer);
        called = true;
        if (timer.uncaught) timer.fire(timer.arg);
        else {
          try {
            timer.fire(timer.arg);
          } catch (error) {
            this.onError(error);
          }
        }
      }
    } finally {
      this.batching = batching;
      if (deferred !== undefined) {
        // Still flagged inHeap, so that add() during the pass left them alone.
        for (const list of deferred) {
          if (list.inHeap) heap.push(list);
        }
      }
      if (this.pending === 0) this.clear();
      else {
        // Callbacks may have armed a later deadline than what a throw left due.
        const first = this.top();
        if (first !== undefined && first.key !== this.armedAt) this.arm(first.key);
      }
    }
  }
}
