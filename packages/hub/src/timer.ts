/** What a timer needs from the queue it lives on. */
export interface TimerHome {
  cancel(timer: Timer): void;
  refresh(timer: Timer): void;
  refChanged(timer: Timer): void;
}

/**
 * A link of a timer list's ring. The list itself is the ring's sentinel, so
 * an entry leaves its list through its two neighbours alone: no pointer to
 * the list, one field less on every sleeping thread.
 */
export interface TimerLink {
  _tprev: TimerLink | undefined;
  _tnext: TimerLink | undefined;
}

/**
 * What a timer list holds: a `Timer`, or a green thread asleep (or waiting
 * for `spawnAfter`), which is its own entry so a sleep allocates nothing.
 * `_at` is whole milliseconds on the hub's clock (counted from the whole ms
 * the clock read, as Node's timers count from libuv's loop time in whole ms):
 * a small integer, stored unboxed.
 */
export interface TimerEntry extends TimerLink {
  _at: number;
}

/**
 * One pending call on the hub's timer queue. Timers of the same duration
 * share a `TimerList`: set one after another on a clock that only goes
 * forward, they fall due in the order they were set, so the list stays
 * sorted with O(1) appends and removals (Node's own timers work this way).
 */
export class Timer implements TimerEntry {
  /** True once the timer has fired or been cancelled (until `refresh()` sets it again). */
  done = false;
  /** Keeps the process alive while pending (Node's `ref`); an unref'd timer still fires. */
  refed = true;
  _tprev: TimerLink | undefined = undefined;
  _tnext: TimerLink | undefined = undefined;
  /** When it falls due on the hub's clock (shifted when a virtual clock is handed back). */
  _at = 0;
  /** Creation order: a timer pass fires only timers older than itself. */
  seq = 0;
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
export class TimerList implements TimerLink {
  _tprev: TimerLink | undefined = this;
  _tnext: TimerLink | undefined = this;
  /** The deadline the heap knows this list by: its head's, or earlier when the head changed since. */
  key = 0;
  inHeap = false;
  /** Its tail holds entries queued in a drain and not yet stamped (on the queue's `staged`). */
  staged = false;
  constructor(readonly ms: number) {}

  /** The earliest entry, or undefined when the list is empty. */
  get head(): TimerEntry | undefined {
    const first = this._tnext;
    return first === this ? undefined : (first as TimerEntry);
  }

  append(entry: TimerEntry): void {
    const last = this._tprev!;
    entry._tprev = last;
    entry._tnext = this;
    last._tnext = entry;
    this._tprev = entry;
  }
}

/** Takes an entry off whichever list holds it (a no-op when it is on none). */
export function unlinkTimer(entry: TimerLink): void {
  const prev = entry._tprev;
  const next = entry._tnext;
  if (next === undefined) return;
  prev!._tnext = next;
  next._tprev = prev;
  entry._tprev = entry._tnext = undefined;
}

/**
 * Earliest deadline first. On a tie, the entry set first: two Timers know
 * their creation order; otherwise the longer duration was set earlier (same
 * deadline, so its start was earlier).
 */
export function listOrder(a: TimerList, b: TimerList): number {
  if (a.key !== b.key) return a.key - b.key;
  const x = a._tnext;
  const y = b._tnext;
  if (x instanceof Timer && y instanceof Timer) return x.seq - y.seq;
  return b.ms - a.ms;
}
