/**
 * One pending call on the hub's timer queue. Timers of the same duration
 * share a `TimerList`: set one after another on a clock that only goes
 * forward, they fall due in the order they were set, so the list stays
 * sorted with O(1) appends and removals (Node's own timers work this way).
 */
export class Timer {
  /** True once the timer has fired or been cancelled. */
  done = false;
  prev: Timer | undefined = undefined;
  next: Timer | undefined = undefined;
  constructor(
    /** When it falls due on the hub's clock (shifted when a virtual clock is handed back). */
    public at: number,
    /** Creation order: a timer pass fires only timers older than itself. */
    readonly seq: number,
    readonly fire: (arg: unknown) => void,
    readonly arg: unknown,
    readonly list: TimerList,
    private readonly queue: { cancel(timer: Timer): void },
  ) {}

  /** Stops the timer if it has not fired; safe to call more than once. */
  cancel(): void {
    if (!this.done) this.queue.cancel(this);
  }
}

/** The timers of one duration, earliest first; the heap orders lists by `key`. */
export class TimerList {
  head: Timer | undefined = undefined;
  tail: Timer | undefined = undefined;
  /** The deadline the heap knows this list by (its head's, when pushed). */
  key = 0;
  inHeap = false;
  constructor(readonly ms: number) {}

  append(timer: Timer): void {
    timer.prev = this.tail;
    if (this.tail === undefined) this.head = timer;
    else this.tail.next = timer;
    this.tail = timer;
  }

  remove(timer: Timer): void {
    const { prev, next } = timer;
    if (prev === undefined) this.head = next;
    else prev.next = next;
    if (next === undefined) this.tail = prev;
    else next.prev = prev;
    timer.prev = timer.next = undefined;
  }
}

export function listOrder(a: TimerList, b: TimerList): number {
  return a.key - b.key || (a.head?.seq ?? 0) - (b.head?.seq ?? 0);
}
