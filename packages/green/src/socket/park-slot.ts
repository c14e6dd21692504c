import { type Disposer, getHub, type Operation, suspend, type TimerHandle } from '@verdant/hub';
import { SocketTimeout } from './errors.js';

/**
 * One place a green thread can park on a socket (its reader, its writer, an
 * accept). Made once per socket with its arm and disposer pre-bound, so a
 * blocking recv or send allocates no closure of its own. A wake-up only says
 * "look again": the woken thread re-checks the socket's state, so a kill or
 * Timeout between wake-up and run never loses data.
 */
export class ParkSlot {
  private resumeFn: ((value: undefined) => boolean) | undefined = undefined;
  private failFn: ((error: unknown) => boolean) | undefined = undefined;
  private timer: TimerHandle | undefined = undefined;
  private timeoutMs: number | null = null;
  private readonly arm: (
    resume: (value: undefined) => boolean,
    fail: (error: unknown) => boolean,
  ) => Disposer;
  private readonly dispose: Disposer;

  constructor(private readonly what: string) {
    this.arm = (resume, fail) => {
      this.resumeFn = resume;
      this.failFn = fail;
      if (this.timeoutMs !== null) this.timer = getHub().callLater(this.timeoutMs, timeOut, this);
      return this.dispose;
    };
    this.dispose = () => {
      this.resumeFn = undefined;
      this.failFn = undefined;
      const timer = this.timer;
      if (timer !== undefined) {
        this.timer = undefined;
        timer.cancel();
      }
    };
  }

  /** True while a thread is parked here. */
  get busy(): boolean {
    return this.resumeFn !== undefined;
  }

  /** Parks the current thread until `wake`, `fail`, or `timeoutMs` (then SocketTimeout). */
  wait(timeoutMs: number | null, label: string): Operation<undefined> {
    if (this.resumeFn !== undefined) {
      throw new Error(
        `another green thread is already blocked in ${this.what} on this socket; use one reader and one writer per socket`,
      );
    }
    this.timeoutMs = timeoutMs;
    return suspend(this.arm, label, this.what);
  }

  wake(): void {
    const resume = this.resumeFn;
    if (resume !== undefined) resume(undefined);
  }

  fail(error: unknown): void {
    const fail = this.failFn;
    if (fail !== undefined) fail(error);
  }

  /** Called by the hub's timer heap. */
  _timedOut(): void {
    this.timer = undefined;
    this.fail(new SocketTimeout());
  }
}

function timeOut(slot: ParkSlot): void {
  slot._timedOut();
}
