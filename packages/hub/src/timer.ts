/** What a timer needs from the queue it lives on. */
export interface TimerHome {
  cancel(timer: Timer): void;
  refresh(timer: Timer): void;
  refChanged(timer: Timer): void;
}

/**
 * One pending call on the hub's timer queue. Timers of the same duration
 * share a `TimerList`: set one after another on a clock that only goes
 * forward, they fall due in the order they were set, so the list stays
 * sorted with O(1) appends and removals (Node's own timers work this way).
 */
export class Timer {
  /** True once the timer has fired or been cancelled (until `refresh()` sets it again). */
  done = false;
  /** Keeps the process alive while pending (Node's `ref`); an unref'd timer still fires. */
  refed = true;
  prev: Timer | undefined = undefined;
  next: Timer | undefined = undefined;
  /** When it falls due on the hub's clock (shifted when a virtual clock is handed back). */
  at = 0;
  /** Creation order: a timer pass fires only timers older than itself. */
  seq = 0;
  list: TimerList | undefined = undefined;
  constructor(
    readonly ms: number,
    readonly fire: (arg: unknown) => void,
    readonly arg: unknown,
    /** A throw from `fire` leaves the timer pass as an uncaught exception, as a Node timer's does. */
    readonly uncaught: boolean,
    private readonly home: TimerHome,
  ) {}

  /** Stops the timer if it has not fired; safe to call more than once. */
  cancel(): void {
    if (!this.done) this.home.cancel(this);
  }

  /** Restarts the countdown from now with the same duration, pending or fired (Node's `refresh`). */
  refresh(): void {
    this.home.refresh(this);
  }

  /** Lets the process exit while only unref'd timers are pending; the timer still fires if it stays up. */
  unref(): void {
    if (!this.refed) return;
    this.refed = false;
    if (!this.done) this.home.refChanged(this);
  }

  ref(): void {
    if (this.refed) return;
    this.refed = true;
    if (!this.done) this.home.refChanged(this);
  }

  hasRef(): boolean {
    return this.refed;
  }
}

/** The timers of one duration, earliest first; the heap orders lists by `key`. */
export class TimerList {
  head: Timer | undefined = undefined;
  tail: Timer | undefined = undefined;
  /** The deadline the heap knows this list by: its head's, or earlier when the head changed since. */
  key = 0;
  inHeap = false;
  constructor(readonly ms: number) {}

  append(timer: Timer): void {
    timer.prev = this.tail;
    timer.list = this;
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
    timer.list = undefined;
  }
}

export function listOrder(a: TimerList, b: TimerList): number {
  return a.key - b.key || (a.head?.seq ?? 0) - (b.head?.seq ?? 0);
}
