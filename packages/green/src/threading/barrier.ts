import type { Operation } from '@verdant/hub';
import { checkInteger, checkTimeout } from '../internal/check.js';
import { isOperation } from '../internal/is-operation.js';
import { RuntimeError } from './runtime-error.js';
import { WaitLine } from './wait-line.js';

/**
 * Thrown by `Barrier.wait` when the barrier is or becomes broken (a timeout,
 * `abort()`, `reset()`, a failing action, a killed waiter).
 *
 * @example
 * const barrier = new threading.Barrier(2);
 * try {
 *   yield* barrier.wait(50); // the second party never comes
 * } catch (e) {
 *   console.log(e instanceof threading.BrokenBarrierError); // true
 * }
 */
export class BrokenBarrierError extends RuntimeError {
  constructor(message = 'the barrier is broken') {
    super(message);
    this.name = 'BrokenBarrierError';
  }
}

/** Run by the last thread to arrive, before the others are released. */
export type BarrierAction = () => unknown;

/**
 * Python's `threading.Barrier`: `parties` green threads each call `wait()`
 * and all go on once the last arrives. If one waits longer than its
 * `timeoutMs`, fails, or is killed, the barrier breaks: every waiter (and
 * every later `wait`) throws BrokenBarrierError until `reset()`.
 *
 * @example
 * const barrier = new threading.Barrier(3, () => console.log('all three are here'));
 * const parties = [0, 1, 2].map(() => spawn(function* () {
 *   return yield* barrier.wait(); // 0, 1 or 2: the order of arrival
 * }));
 * for (const p of parties) yield* p.wait();
 */
export class Barrier {
  readonly parties: number;
  private readonly action: BarrierAction | undefined;
  private readonly timeoutMs: number | null;
  private count = 0;
  private isBroken = false;
  /** Bumped each time the barrier trips or is reset: tells a party whether its round is over. */
  private generation = 0;
  /** The round the last reset ended (-1: none yet). */
  private lastReset = -1;
  // Released waiters take nothing along, so one killed before it ran has nothing to pass on.
  // A party carries its round: one whose park was dropped passes if it had been released,
  // else waits on while its round is open.
  private readonly waiters = new WaitLine<number>(
    () => {},
    (round, released) => released || this.rejoin(round as number),
  );

  constructor(parties: number, action?: BarrierAction | null, timeoutMs: number | null = null) {
    checkInteger('new Barrier(parties): parties', parties, 1);
    if (action !== undefined && action !== null && typeof action !== 'function') {
      throw new TypeError(
        `new Barrier(parties, action): action must be a function, got ${typeof action}`,
      );
    }
    this.parties = parties;
    this.action = action ?? undefined;
    this.timeoutMs = checkTimeout('new Barrier(parties, action, timeoutMs): timeoutMs', timeoutMs);
  }

  /**
   * Waits for all parties; returns this thread's arrival index (0 to
   * parties - 1). `timeoutMs` defaults to the barrier's own.
   */
  wait(timeoutMs?: number | null): Operation<number> {
    const ms =
      timeoutMs === undefined
        ? this.timeoutMs
        : checkTimeout('Barrier.wait(timeoutMs): timeoutMs', timeoutMs);
    return this.arrive(ms);
  }

  private *arrive(ms: number | null): Operation<number> {
    if (this.isBroken) throw new BrokenBarrierError();
    const index = this.count++;
    if (this.count === this.parties) {
      try {
        const result = this.action?.();
        if (isOperation(result)) yield* result;
      } catch (error) {
        this.breakBarrier();
        throw error;
      }
      if (this.isBroken) throw new BrokenBarrierError();
      this.count = 0;
      this.generation++;
      while (this.waiters.grantFirst() !== undefined);
      return index;
    }
    const generation = this.generation;
    try {
      if (!(yield* this.waiters.park(ms, 'Barrier.wait', generation))) {
        this.breakBarrier();
        throw new BrokenBarrierError(`the barrier broke: a party waited more than ${ms} ms`);
      }
    } catch (error) {
      // Any way out other than the barrier tripping breaks it (a kill, a Timeout), but only
      // while this party's round is still open: one killed after the trip (released, not yet
      // run) must not break the next round, as in Python, where only waiting parties count.
      if (!(error instanceof BrokenBarrierError) && generation === this.generation) {
        this.breakBarrier();
      }
      throw error;
    }
    return index;
  }

  /**
   * A party whose park was dropped (a wait driven by hand) waits on while its
   * round is open, passes if its round tripped meanwhile (it was counted),
   * and throws if its round broke; if a reset came since its round, whether
   * that round tripped first is not kept, so it throws too.
   */
  private rejoin(round: number): boolean {
    if (round === this.generation) {
      if (this.isBroken) throw new BrokenBarrierError();
      return false;
    }
    if (this.lastReset < round) return true;
    throw new BrokenBarrierError(
      "the barrier was reset while this party's wait was dropped by another park of its thread",
    );
  }

  private breakBarrier(): void {
    this.isBroken = true;
    this.count = 0;
    this.waiters.failAll(new BrokenBarrierError());
  }

  /** Back to the initial state; threads waiting now get BrokenBarrierError. */
  reset(): void {
    this.waiters.failAll(new BrokenBarrierError('the barrier was reset'));
    this.count = 0;
    this.lastReset = this.generation++;
    this.isBroken = false;
  }

  /** Breaks the barrier: waiting and future `wait` calls throw BrokenBarrierError. */
  abort(): void {
    this.breakBarrier();
  }

  /** How many threads are waiting now. */
  get nWaiting(): number {
    return this.waiters.length;
  }

  /** True once broken (until `reset`). */
  get broken(): boolean {
    return this.isBroken;
  }
}
