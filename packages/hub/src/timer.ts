/**
 * One entry of the hub's timer heap. The heap orders by `at`, then `seq`, so
 * timers due at the same moment fire in the order they were set.
 */
export class Timer {
  /** True once the timer has fired or been cancelled. */
  done = false;
  constructor(
    readonly at: number,
    readonly seq: number,
    readonly fire: (arg: unknown) => void,
    readonly arg: unknown,
    private readonly owner: { cancelTimer(timer: Timer): void },
  ) {}

  /** Stops the timer if it has not fired; safe to call more than once. */
  cancel(): void {
    if (!this.done) this.owner.cancelTimer(this);
  }
}

export function timerOrder(a: Timer, b: Timer): number {
  return a.at - b.at || a.seq - b.seq;
}
