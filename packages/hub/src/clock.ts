import { nodeSetImmediate, nodeSetTimeout } from './node-timers.js';

/** What a virtual clock moves forward: the hub's timer queue. */
export interface Timeline {
  /** The earliest pending deadline, undefined when none is pending. */
  nextDeadline(): number | undefined;
  /**
   * Fires every timer due by the clock's now, in deadline order; `fromLoop`
   * when called from Node's loop (not from code advancing the clock).
   */
  fireDue(fromLoop?: boolean): void;
  /** A ref'd timer is pending: the timeline keeps the process alive. */
  keepsAlive(): boolean;
  /** Moves every pending deadline `ms` later. */
  shiftDeadlines(ms: number): void;
  /** Arms the next deadline again, for the clock's current mode. */
  rearm(): void;
}

/**
 * The hub's time, in milliseconds. Real: `performance.now()`, and a Node
 * timer wakes the timeline. Virtual (for tests): time stands still and
 * moves only by `advance(ms)`, or, with auto-advance, jumps to the next
 * deadline whenever no green thread can run.
 */
export class Clock {
  private virtual = false;
  private virtualNow = 0;
  private autoAdvance = false;
  private stepScheduled = false;
  /** The auto-advance step while only unref'd timers are pending: a Node timer that lets the process exit. */
  private unrefStep: NodeJS.Timeout | undefined = undefined;
  private timeline: Timeline | undefined = undefined;

  /**
   * `busy`: a green thread can still run at this time. `awaitingIo`: real
   * I/O is in flight, whose answer may come before the next deadline.
   */
  constructor(
    private readonly busy: () => boolean,
    private readonly awaitingIo: () => boolean,
  ) {}

  /** The timeline this clock moves while virtual. */
  drive(timeline: Timeline): void {
    this.timeline = timeline;
  }

  now(): number {
    return this.virtual ? this.virtualNow : performance.now();
  }

  get isVirtual(): boolean {
    return this.virtual;
  }

  /** Stops the clock at the real time now. */
  useVirtual(autoAdvance: boolean): void {
    if (this.virtual) throw new Error('useVirtualClock(): the hub is already on a virtual clock');
    // A whole ms, as timer deadlines are: sleep(10) then advance(10) wakes it.
    this.virtualNow = Math.ceil(performance.now());
    this.virtual = true;
    this.autoAdvance = autoAdvance;
    this.timeline?.rearm();
  }

  /** Back to real time; pending deadlines keep the time they had left. */
  useReal(): void {
    if (!this.virtual) return;
    const shift = performance.now() - this.virtualNow;
    this.virtual = false;
    this.timeline?.shiftDeadlines(shift);
    this.timeline?.rearm();
  }

  /** Moves virtual time `ms` forward, firing every timer due on the way, in order. */
  advance(ms: number): void {
    if (!this.virtual) {
      throw new Error(
        'advanceClock(ms): the hub is on the real clock; call useVirtualClock() first',
      );
    }
    const timeline = this.timeline;
    const target = this.virtualNow + ms;
    let rounds = 0;
    if (timeline !== undefined) {
      for (
        let next = timeline.nextDeadline();
        next !== undefined && next <= target;
        next = timeline.nextDeadline()
      ) {
        if (next > this.virtualNow) {
          this.virtualNow = next;
          rounds = 0;
        } else if (++rounds > 10_000) {
          throw new Error(
            `advanceClock(ms): timers keep setting new timers due at the same virtual time (${this.virtualNow} ms); stopped after 10000 rounds`,
          );
        }
        timeline.fireDue();
      }
    }
    this.virtualNow = target;
  }

  /**
   * The timeline armed a deadline (or a ref'd timer came up) while virtual:
   * with auto-advance, jump to it once nothing can run. While only unref'd
   * timers are pending, the jump waits on an unref'd Node timer, so it
   * happens only if something else keeps the process alive, as the timers
   * would fire in real time only then.
   */
  deadlineArmed(): void {
    if (!this.autoAdvance) return;
    const keepsAlive = this.timeline?.keepsAlive() ?? true;
    if (this.stepScheduled) {
      if (keepsAlive && this.unrefStep !== undefined) this.unrefStep.ref();
      return;
    }
    this.stepScheduled = true;
    if (keepsAlive) nodeSetImmediate(this.autoStep);
    else this.unrefStep = nodeSetTimeout(this.autoStep, 1).unref();
  }

  /** The last real I/O in flight was answered: an auto-advance that waited for it may go on. */
  ioSettled(): void {
    if (this.virtual && this.timeline?.nextDeadline() !== undefined) this.deadlineArmed();
  }

  private readonly autoStep = (): void => {
    this.stepScheduled = false;
    this.unrefStep = undefined;
    const timeline = this.timeline;
    if (!this.virtual || !this.autoAdvance || timeline === undefined) return;
    if (this.busy()) {
      // Threads can still run at this time: jump only once they are all blocked.
      this.deadlineArmed();
      return;
    }
    // A reply on its way would beat the timer in real life: wait for it
    // (ioSettled() steps again) rather than poll.
    if (this.awaitingIo()) return;
    const next = timeline.nextDeadline();
    if (next === undefined) return;
    if (next > this.virtualNow) this.virtualNow = next;
    timeline.fireDue(true);
  };
}
