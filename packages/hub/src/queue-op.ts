import { hub } from './hub.js';
import { PARK } from './symbols.js';
import type { Waiter } from './waiter-list.js';

const PARK_STEP: IteratorYieldResult<unknown> = Object.freeze({ value: PARK, done: false });
const DONE_STEP: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

const READY = 0;
const PARKED = 1;
const ENDED = 2;

/** What a queue does for its operations' first step; the rest is the op's. */
export interface OpQueue<T> {
  /** Takes an item into `op.item` (false), or parks the running thread on a getter it puts in `op.waiter` (true). */
  _startGet(op: GetOp<T>): boolean;
  /** Puts `op.item` at once (false), or parks the running thread on a putter it puts in `op.waiter` (true). */
  _startPut(op: PutOp<T>): boolean;
  /** Takes the item a putter handed to the getter `op` parked on. */
  _takeHanded(waiter: Waiter<T>): T;
  /** The getter or putter an op parked on has done its part: the op may finish. */
  _served(waiter: Waiter<T>): boolean;
}

/**
 * A queue's `get` or `put` as a hand-written iterator driven by `yield*`, not
 * a generator: a generator object with its registers is about 200 bytes per
 * call, and a round trip through a queue makes two gets and two puts. The
 * first step either finishes (an item or a slot was there) or parks on a
 * waiter; the second, once the waiter was woken, finishes. A put's final
 * iterator result is one shared object.
 *
 * Driven by hand (a combinator), a step taken before the waiter was served
 * parks again while the park stands; once another park or sleep of the
 * thread has dropped it, the op starts over, timeout and all, so a put it
 * never made is not reported done and a get returns an item, not nothing.
 * One served by its own thread, as it parked or between its steps, ends its
 * park there and finishes.
 */
abstract class QueueOp<T, R> {
  /** The getter or putter it parked on. */
  waiter: Waiter<T> | undefined = undefined;
  private phase = READY;

  constructor(
    readonly queue: OpQueue<T>,
    readonly block: boolean,
    readonly timeoutMs: number | null,
  ) {}

  /** The first step: true if it parked. */
  protected abstract start(): boolean;
  /** The operation's last step: its result, done. */
  protected abstract finish(): IteratorReturnResult<R>;

  next(): IteratorResult<unknown, R> {
    let phase = this.phase;
    if (phase === PARKED) {
      const waiter = this.waiter as Waiter<T>;
      if (this.queue._served(waiter)) endOwnPark(waiter);
      else {
        if (!waiter.parkOver()) return PARK_STEP;
        this.waiter = undefined;
        phase = READY;
      }
    }
    // If start throws (QueueEmpty, QueueFull, outside a thread) the op is over.
    this.phase = ENDED;
    if (phase === READY && this.start()) {
      const waiter = this.waiter as Waiter<T>;
      if (!this.queue._served(waiter)) {
        this.phase = PARKED;
        return PARK_STEP;
      }
      // Served as it parked: a park of this thread that its own replaced handed its slot or item on.
      endOwnPark(waiter);
    }
    if (phase === ENDED) return { value: undefined as R, done: true };
    return this.finish();
  }

  /** A kill or Timeout thrown in while parked (the hub ends the park): let it through. */
  throw(error: unknown): never {
    this.phase = ENDED;
    this.waiter = undefined;
    throw error;
  }

  /** Closed unfinished: a park it registered is undone by the hub at the thread's next park, sleep or end. */
  return(value?: R): IteratorResult<unknown, R> {
    this.phase = ENDED;
    this.waiter = undefined;
    return { value: value as R, done: true };
  }

  [Symbol.iterator](): this {
    return this;
  }
}

/** `Queue.get`: returns the item it took, or the one a putter handed its getter. */
export class GetOp<T> extends QueueOp<T, T> {
  /** The item, when the first step took one. */
  item: T | undefined = undefined;

  protected start(): boolean {
    return this.queue._startGet(this);
  }

  protected finish(): IteratorReturnResult<T> {
    const waiter = this.waiter;
    if (waiter === undefined) {
      const item = this.item as T;
      this.item = undefined;
      return { value: item, done: true };
    }
    this.waiter = undefined;
    return { value: this.queue._takeHanded(waiter), done: true };
  }
}

/** `Queue.put`: returns once its item is in the queue (or, on Queue(0), with a getter). */
export class PutOp<T> extends QueueOp<T, void> {
  constructor(
    queue: OpQueue<T>,
    /** The item to put, until the op ends (a start over puts it again). */
    public item: T | undefined,
    block: boolean,
    timeoutMs: number | null,
  ) {
    super(queue, block, timeoutMs);
  }

  protected start(): boolean {
    return this.queue._startPut(this);
  }

  protected finish(): IteratorReturnResult<void> {
    this.waiter = undefined;
    this.item = undefined;
    return DONE_STEP;
  }

  override throw(error: unknown): never {
    this.item = undefined;
    return super.throw(error);
  }

  override return(value?: void): IteratorResult<unknown, void> {
    this.item = undefined;
    return super.return(value);
  }
}

/**
 * A served waiter whose park still stands was served by its own running
 * thread (its wake-up was lost): end the park as a wake-up would, so its
 * timer stops and no later park of the thread drops it.
 */
function endOwnPark<T>(waiter: Waiter<T>): void {
  if (waiter.parkOver()) return;
  const t = hub.current;
  if (t !== null) hub.endOwnPark(t, waiter);
}
