import type { Operation } from '@verdant/hub';
import { stopTimer, Waiter, WaiterList, type WaitOwner } from '@verdant/hub/internal';

// Waiter.state in a WaitLine.
const WAITING = 0;
const GRANTED = 1;
const EXPIRED = 2;
const FAILED = 3;

/**
 * The FIFO of threads parked on a Lock, RLock, Condition or Barrier: the
 * hub's WaiterList plus the hand-over rule they share. A waiter handed its
 * turn (`grantFirst`) but interrupted by a kill or Timeout before it ran
 * calls `passOn`, so the lock or notify goes on to the next in line.
 */
export class WaitLine<V = undefined> extends WaiterList<V> implements WaitOwner<V> {
  constructor(private readonly passOn: () => void) {
    super();
  }

  /**
   * Parks the current thread at the back of the line, carrying `value`, until
   * `grantFirst` (true), `timeoutMs` runs out (false; null waits forever) or
   * `failAll` (throws).
   */
  *park(timeoutMs: number | null, label: string, value?: V): Operation<boolean> {
    const waiter = new Waiter<V>(this);
    waiter.value = value;
    yield* waiter.park(this, timeoutMs, label, label);
    return waiter.state === GRANTED;
  }

  /** Wakes the longest waiter, handing it its turn; returns it, or undefined if none waits. */
  grantFirst(): Waiter<V> | undefined {
    for (let waiter = this.shift(); waiter !== undefined; waiter = this.shift()) {
      waiter.state = GRANTED;
      if (waiter.resume(true)) return waiter;
      waiter.state = EXPIRED;
    }
    return undefined;
  }

  /** Throws `error` into every waiter (a broken Barrier). */
  failAll(error: unknown): void {
    for (let waiter = this.shift(); waiter !== undefined; waiter = this.shift()) {
      waiter.state = FAILED;
      waiter.fail(error);
    }
  }

  /** A waiter's `timeoutMs` ran out (called by its timer). */
  _expire(waiter: Waiter<V>): void {
    if (waiter.state !== WAITING) return;
    this.remove(waiter);
    waiter.state = EXPIRED;
    waiter.resume(false);
  }

  /** A waiter's park ended (its disposer). */
  _endWait(waiter: Waiter<V>, interrupted: boolean): void {
    stopTimer(waiter);
    if (!interrupted) return;
    if (waiter.state === WAITING) this.remove(waiter);
    else if (waiter.state === GRANTED) {
      waiter.state = EXPIRED;
      this.passOn();
    }
  }
}
