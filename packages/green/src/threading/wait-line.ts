import type { Operation } from '@verdant/hub';
import { stopTimer, Waiter, WaiterList, type WaitOwner } from '@verdant/hub/internal';

// Waiter.state in a WaitLine.
const WAITING = 0;
const GRANTED = 1;
const EXPIRED = 2;
const FAILED = 3;
// Handed its turn, then interrupted before it ran (passOn handed the turn on).
const PASSED_ON = 4;

/**
 * The FIFO of threads parked on a Lock, RLock, Condition or Barrier: the
 * hub's WaiterList plus the hand-over rule they share. A waiter handed its
 * turn (`grantFirst`) but interrupted by a kill or Timeout before it ran
 * calls `passOn`, so the lock or notify goes on to the next in line.
 *
 * A wait driven by hand (a combinator) whose park another park or sleep of
 * its thread dropped left the line, its turn passed on if it had one; its
 * next step calls `retake` with the waiter's value and whether it had been
 * handed its turn: true if it takes its turn at once (the lock came free
 * meanwhile, a notify reached it), false to wait anew at the back of the
 * line, with its full timeout again. It may throw.
 */
export class WaitLine<V = undefined> extends WaiterList<V> implements WaitOwner<V> {
  constructor(
    private readonly passOn: () => void,
    private readonly retake: (value: V | undefined, served: boolean) => boolean = waitAnew,
  ) {
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
    for (;;) {
      yield* waiter.park(this, timeoutMs, label, label);
      const state = waiter.state;
      if (state === GRANTED) return true;
      if (state === EXPIRED) return false;
      // A failure its own running thread dealt it (failAll kept the error here); any other is thrown in.
      if (state === FAILED) throw waiter.value;
      if (this.retake(value, state === PASSED_ON)) return true;
      waiter.state = WAITING;
    }
  }

  /**
   * Wakes the longest waiter, handing it its turn; returns it, or undefined
   * if none waits. A waiter whose wake-up is refused belongs to the running
   * thread (a wait driven by hand): it takes its turn at its next step.
   */
  grantFirst(): Waiter<V> | undefined {
    const waiter = this.shift();
    if (waiter === undefined) return undefined;
    waiter.state = GRANTED;
    waiter.resume(true);
    return waiter;
  }

  /** Throws `error` into every waiter (a broken Barrier). */
  failAll(error: unknown): void {
    for (let waiter = this.shift(); waiter !== undefined; waiter = this.shift()) {
      waiter.state = FAILED;
      waiter.value = error as V;
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
      waiter.state = PASSED_ON;
      this.passOn();
    }
  }
}

function waitAnew(): boolean {
  return false;
}
