import { hub } from './hub.js';
import { PARK } from './symbols.js';
import { type Disposer, NEXT, THROW, type ThreadRecord } from './thread-record.js';

/**
 * Parking on a long-lived wait slot (a socket's reader) without the
 * closures `suspend` makes per park. The slot is its own two-step
 * operation: on its first `next()` it calls `park(t, label, disposer)` for
 * the running thread `t` and returns `STEP`; it keeps `t` and the epoch
 * `park` returned, and wakes it with `wake(t, epoch)` or `fail(t, epoch,
 * error)` (false when too late). `disposer` runs when the park ends, as an
 * arm's disposer would.
 *
 * @example
 * import { getCurrent, run, sleep, spawn } from '@verdant/hub';
 * import { slotPark } from '@verdant/hub/internal';
 *
 * // A doorbell one thread waits on: wait() parks it, ring() wakes it.
 * const bell = {
 *   thread: undefined as ReturnType<typeof getCurrent> | undefined,
 *   epoch: 0,
 *   parked: false,
 *   wait() {
 *     this.parked = false;
 *     return this;
 *   },
 *   next() {
 *     if (this.parked) {
 *       this.parked = false;
 *       return { done: true as const, value: undefined };
 *     }
 *     const t = getCurrent()!;
 *     this.epoch = slotPark.park(t, 'doorbell', () => (this.thread = undefined));
 *     this.thread = t;
 *     this.parked = true;
 *     return slotPark.STEP;
 *   },
 *   throw(error: unknown): never {
 *     this.parked = false;
 *     throw error;
 *   },
 *   return() {
 *     this.parked = false;
 *     return { done: true as const, value: undefined };
 *   },
 *   [Symbol.iterator]() {
 *     return this;
 *   },
 *   ring() {
 *     if (this.thread) slotPark.wake(this.thread, this.epoch);
 *   },
 * };
 * await run(function* () {
 *   spawn(function* () {
 *     yield* sleep(5);
 *     bell.ring();
 *   });
 *   yield* bell.wait();
 *   console.log('rung'); // rung
 * });
 */
export const slotPark = Object.freeze({
  /** What the slot's first `next()` returns after `park`. */
  STEP: Object.freeze({ value: PARK, done: false }) as IteratorYieldResult<unknown>,
  park(t: ThreadRecord, label: string, disposer: Disposer): number {
    if (t !== hub.current) throw new Error('slotPark.park(t): t must be the running green thread');
    return hub.parkInSlot(t, label, disposer);
  },
  wake(t: ThreadRecord, epoch: number): boolean {
    return hub.wake(t, epoch, NEXT, undefined);
  },
  fail(t: ThreadRecord, epoch: number, error: unknown): boolean {
    return hub.wake(t, epoch, THROW, error);
  },
});
