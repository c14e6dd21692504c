import { hub } from './hub.js';
import { notInThread } from './suspend.js';
import { PARK } from './symbols.js';
import { DEAD, NEXT, type ThreadRecord } from './thread-record.js';

const PARK_STEP: IteratorYieldResult<unknown> = Object.freeze({ value: PARK, done: false });

const READY = 0;
const PARKED = 1;
const ENDED = 2;

/**
 * `GreenThread.wait` as a hand-written iterator driven by `yield*`: a
 * generator with its registers, `suspend`'s park generator and its closures
 * cost about 500 bytes per join, and a program that spawns 100k threads joins
 * 100k. Its first step returns the result of a thread already dead, or parks
 * in the thread's waiters; its second, once the thread has ended, returns the
 * result or rethrows the error (the op reads both from the dead thread, so
 * `resume` and `fail` wake it alike). Driven by hand, a step taken before
 * the thread ended parks still, or, once another park or sleep of the
 * waiting thread has dropped the park, parks anew.
 */
export class JoinOp<T> {
  private phase = READY;
  /** The thread parked here, until the park ends. */
  private waiting: ThreadRecord | undefined = undefined;
  private epoch = 0;

  constructor(private readonly target: ThreadRecord<T>) {}

  next(): IteratorResult<unknown, T> {
    let phase = this.phase;
    const target = this.target;
    if (phase === PARKED && target._state !== DEAD) {
      // Driven by hand before the thread ended: parked still, or (its park
      // dropped by another park or sleep of the thread) waiting anew.
      if (this.waiting !== undefined) return PARK_STEP;
      phase = READY;
    }
    this.phase = ENDED;
    if (phase === READY) {
      if (target._state !== DEAD) {
        const t = hub.current;
        if (t === null) throw notInThread('GreenThread.wait');
        if (t === target)
          throw new Error(`${target.name} cannot wait for itself: that would block forever`);
        this.waiting = t;
        this.epoch = hub.parkInSlot(t, `wait for ${target.name}`, this);
        (target._waiters ??= []).push(this);
        this.phase = PARKED;
        return PARK_STEP;
      }
    } else if (phase === ENDED) return { value: undefined as T, done: true };
    if (!target._ok) throw target._result;
    return { value: target._result as T, done: true };
  }

  /** A kill or Timeout thrown in while parked (the hub ends the park): let it through. */
  throw(error: unknown): never {
    this.phase = ENDED;
    throw error;
  }

  /** Closed unfinished: a park it registered is undone by the hub at the thread's next park, sleep or end. */
  return(value?: T): IteratorResult<unknown, T> {
    this.phase = ENDED;
    return { value: value as T, done: true };
  }

  [Symbol.iterator](): this {
    return this;
  }

  /** @internal The thread ended: wake the waiting one, if it still waits here. */
  resume(_value: unknown): boolean {
    const t = this.waiting;
    return t !== undefined && hub.wake(t, this.epoch, NEXT, undefined);
  }

  /** @internal The thread failed: the second step rethrows its error. */
  fail(_error: unknown): boolean {
    return this.resume(undefined);
  }

  /** @internal Called by the hub when the park ends, as a disposer. */
  _endPark(interrupted: boolean): void {
    this.waiting = undefined;
    if (!interrupted) return; // woken by the thread's end, which took its waiters
    const list = this.target._waiters;
    const at = list === undefined ? -1 : list.indexOf(this);
    if (at >= 0) list!.splice(at, 1);
  }
}
