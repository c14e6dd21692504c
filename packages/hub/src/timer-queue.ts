import { BinaryHeap, type Heap } from './binary-heap.js';
import type { Clock, Timeline } from './clock.js';
import { nodeClearTimeout, nodeSetTimeout } from './node-timers.js';
import { listOrder, Timer, TimerList } from './timer.js';

/**
 * Every hub timer (sleeps, Timeouts, spawnAfter, wait timeouts, the green
 * timer faces) behind one armed Node timer, as Node's own timers work:
 * timers of one duration share a list that stays sorted by itself, and a
 * heap orders the lists by their earliest deadline. Setting or cancelling a
 * timer is O(1) in its list; the heap moves only when a list's head changes.
 * When nothing is pending, no Node timer is armed and the process may exit.
 */
export class TimerQueue implements Timeline {
  private readonly lists = new Map<number, TimerList>();
  private readonly heap: Heap<TimerList> = new BinaryHeap<TimerList>([], listOrder);
  private pending = 0;
  private seq = 0;
  private nodeTimer: NodeJS.Timeout | undefined = undefined;
  private armedAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    /** Told when a timer's callback throws; the other timers still fire. */
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Timers set and neither fired nor cancelled. */
  get size(): number {
    return this.pending;
  }

  /**
   * Calls `fire(arg)` after `ms`, from Node's timer phase (outside any thread).
   * Returns the timer, which `cancel()` stops.
   */
  add<A>(ms: number, fire: (arg: A) => void, arg: A): Timer {
    let list = this.lists.get(ms);
    if (list === undefined) {
      list = new TimerList(ms);
      this.lists.set(ms, list);
    }
    const timer = new Timer(
      this.clock.now() + ms,
      ++this.seq,
      fire as (a: unknown) => void,
      arg,
      list,
      this,
    );
    list.append(timer);
    this.pending++;
    if (!list.inHeap) {
      list.key = timer.at;
      list.inHeap = true;
      this.heap.push(list);
    }
    if (timer.at < this.armedAt) this.arm(timer.at);
    return timer;
  }

  /** Called by `timer.cancel()`, once. */
  cancel(timer: Timer): void {
    timer.done = true;
    timer.list.remove(timer);
    if (--this.pending === 0) {
      // Nothing pending: drop the heap and the Node timer so the process may exit.
      this.heap.data.length = 0;
      this.heap.length = 0;
      for (const list of this.lists.values()) list.inHeap = false;
      this.lists.clear();
      this.disarm();
    }
    // Otherwise the list keeps its place in the heap; a stale, early key only
    // costs one look when it comes up.
  }

  nextDeadline(): number | undefined {
    return this.heap.peek()?.key;
  }

  shiftDeadlines(ms: number): void {
    for (const list of this.heap.data) {
      list.key += ms;
      for (let t = list.head; t !== undefined; t = t.next) t.at += ms;
    }
  }

  rearm(): void {
    const next = this.heap.peek();
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
    this.nodeTimer = nodeSetTimeout(this.fireDue, Math.max(1, Math.ceil(at - this.clock.now())));
  }

  private disarm(): void {
    if (this.nodeTimer !== undefined) nodeClearTimeout(this.nodeTimer);
    this.nodeTimer = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
  }

  /**
   * Fires every due timer in deadline order, across lists. Timers set by the
   * callbacks of this pass wait for the next one (as in Node), so a 0 ms
   * timer that sets itself again cannot keep the pass from ending.
   */
  readonly fireDue = (): void => {
    this.nodeTimer = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
    const heap = this.heap;
    const now = this.clock.now();
    const newest = this.seq;
    let deferred: TimerList[] | undefined;
    for (let list = heap.peek(); list !== undefined && list.key <= now; list = heap.peek()) {
      heap.pop();
      list.inHeap = false;
      for (let timer = list.head; timer !== undefined; timer = list.head) {
        if (timer.at > now || timer.seq > newest) break;
        // Another list's timer falls due first: go back to the heap for it.
        const other = heap.peek();
        if (other !== undefined && other.key < timer.at) break;
        list.remove(timer);
        timer.done = true;
        this.pending--;
        try {
          timer.fire(timer.arg);
        } catch (error) {
          this.onError(error);
        }
      }
      const head = list.head;
      if (head === undefined) {
        if (!list.inHeap && this.lists.get(list.ms) === list) this.lists.delete(list.ms);
      } else if (!list.inHeap) {
        // A callback may have set a timer of this duration and put the list back already.
        list.key = head.at;
        list.inHeap = true;
        if (head.seq > newest && head.at <= now) (deferred ??= []).push(list);
        else heap.push(list);
      }
    }
    if (deferred !== undefined) {
      for (const list of deferred) if (list.head !== undefined && list.inHeap) heap.push(list);
    }
    const first = heap.peek();
    if (first !== undefined && this.nodeTimer === undefined) this.arm(first.key);
  };
}
