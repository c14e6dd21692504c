import { type Disposer, getCurrent, getHub, type Operation, type TimerHandle } from '@verdant/hub';
import { slotPark, type ThreadRecord } from '@verdant/hub/internal';
import { SocketTimeout } from './errors.js';

const DONE_STEP: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

/**
 * One place a green thread can park on a socket (its reader, its writer, an
 * accept). It keeps the parked thread and the park's epoch and wakes it
 * through the hub: a blocking recv or send allocates nothing of its own (no
 * arm, no resume closures, no park generator), since the slot is its own
 * reusable two-step operation. A wake-up only says "look again": the woken
 * thread re-checks the socket's state, so a kill or Timeout between wake-up
 * and run never loses data.
 */
export class ParkSlot implements Operation<undefined> {
  private thread: ThreadRecord | undefined = undefined;
  private epoch = 0;
  /** True between the park's first and second step. */
  private parked = false;
  private label = '';
  private timer: TimerHandle | undefined = undefined;
  private timeoutMs: number | null = null;
  /** Run by the hub when the park ends (resumed, killed or timed out). */
  private readonly dispose: Disposer;

  constructor(private readonly what: string) {
    this.dispose = () => {
      this.thread = undefined;
      const timer = this.timer;
      if (timer !== undefined) {
        this.timer = undefined;
        timer.cancel();
      }
    };
  }

  /** True while a thread is parked here. */
  get busy(): boolean {
    return this.thread !== undefined;
  }

  /** Parks the current thread until `wake`, `fail`, or `timeoutMs` (then SocketTimeout). */
  wait(timeoutMs: number | null, label: string): Operation<undefined> {
    if (this.thread !== undefined) {
      throw new Error(
        `another green thread is already blocked in ${this.what} on this socket; use one reader and one writer per socket`,
      );
    }
    this.timeoutMs = timeoutMs;
    this.label = label;
    this.parked = false;
    return this;
  }

  next(): IteratorResult<unknown, undefined> {
    if (this.parked) {
      this.parked = false;
      return DONE_STEP;
    }
    const t = getCurrent();
    if (t === null) {
      throw new Error(
        `${this.what} must run inside a green thread: use \`yield* sock.${this.what}(...)\` in a function* started with spawn(), run() or main()`,
      );
    }
    this.epoch = slotPark.park(t, this.label, this.dispose);
    this.thread = t;
    this.parked = true;
    if (this.timeoutMs !== null) this.timer = getHub().callLater(this.timeoutMs, timeOut, this);
    return slotPark.STEP;
  }

  /** A kill, Timeout or SocketTimeout thrown in while parked: let it through. */
  throw(error: unknown): never {
    this.release();
    throw error;
  }

  return(): IteratorResult<unknown, undefined> {
    this.release();
    return DONE_STEP;
  }

  /** The park ends for the thread passing through: unless another reader has parked here since (its kill disposed the slot). */
  private release(): void {
    const t = this.thread;
    if (t === undefined || t === getCurrent()) this.parked = false;
  }

  [Symbol.iterator](): this {
    return this;
  }

  wake(): void {
    const t = this.thread;
    if (t !== undefined) slotPark.wake(t, this.epoch);
  }

  fail(error: unknown): void {
    const t = this.thread;
    if (t !== undefined) slotPark.fail(t, this.epoch, error);
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
