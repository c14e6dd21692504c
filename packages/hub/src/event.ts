import { checkTimeout } from './check.js';
import type { Operation } from './operation.js';
import { stopTimer, Waiter, WaiterList } from './waiter-list.js';

const NOT_SENT = 0;
const VALUE = 1;
const ERROR = 2;
// A waiter's timeoutMs ran out (the event's own state is never this).
const EXPIRED = 3;

/**
 * A one-shot broadcast (eventlet's `Event`): any number of threads `wait`
 * until one `send`s a value (or `sendException`s an error), then every
 * waiter, and every later `wait`, gets it. `reset` makes it reusable.
 *
 * @example
 * import { Event, run, sleep, spawn } from '@verdant/hub';
 *
 * const done = new Event<number>();
 * const n = await run(function* () {
 *   spawn(function* () {
 *     yield* sleep(10);
 *     done.send(42);
 *   });
 *   return yield* done.wait();
 * });
 * console.log(n, done.ready()); // 42 true
 */
export class Event<T = void> {
  private _state = NOT_SENT;
  private _value: unknown = undefined;
  private readonly _waiters = new WaiterList<unknown>();

  /**
   * Waits until the event is sent and returns its value (rethrows its error).
   * With `timeoutMs`, returns `undefined` if it was not sent in time.
   */
  wait(): Operation<T>;
  wait(timeoutMs: number | undefined): Operation<T | undefined>;
  wait(timeoutMs?: number): Operation<T | undefined> {
    return this._wait(checkTimeout('Event.wait(timeoutMs)', 'timeoutMs', timeoutMs));
  }

  private *_wait(timeoutMs: number | null): Operation<T | undefined> {
    while (this._state === NOT_SENT) {
      const waiter = new Waiter<unknown>(this);
      yield* waiter.park(this._waiters, timeoutMs, 'event wait', 'Event.wait');
      if (waiter.state === EXPIRED) return undefined;
      if (waiter.state === ERROR) throw waiter.value;
      if (waiter.state === VALUE) return waiter.value as T;
      // Driven by hand, its park was dropped by another park or sleep: wait anew.
    }
    if (this._state === ERROR) throw this._value;
    return this._value as T;
  }

  /** @internal the park ended: a broadcast value needs no hand-back, just leave the line. */
  _endWait(waiter: Waiter<unknown>): void {
    stopTimer(waiter);
    this._waiters.remove(waiter);
  }

  /** @internal the waiter's timeoutMs ran out. */
  _expire(waiter: Waiter<unknown>): void {
    if (!waiter.linked) return;
    this._waiters.remove(waiter);
    waiter.state = EXPIRED;
    waiter.resume(undefined);
  }

  /**
   * Sends `value` to every waiter, now and later. Throws if already sent
   * (call `reset` first). Never blocks; callable from outside green threads.
   */
  send(value: T): void {
    this._settle(VALUE, value, 'send');
  }

  /** Makes every waiter, now and later, throw `error`. */
  sendException(error: unknown): void {
    this._settle(ERROR, error, 'sendException');
  }

  private _settle(state: number, value: unknown, what: string): void {
    if (this._state !== NOT_SENT) {
      throw new Error(`Event.${what}: the event was already sent; reset() it first`);
    }
    this._state = state;
    this._value = value;
    for (let w = this._waiters.shift(); w !== undefined; w = this._waiters.shift()) {
      // The value rides on the waiter, so a reset before it runs cannot take it away.
      w.state = state;
      w.value = value;
      w.resume(undefined);
    }
  }

  /**
   * Makes a sent event unsent again, so it can be sent anew. Throws if it
   * was not sent (eventlet asserts the same).
   */
  reset(): void {
    if (this._state === NOT_SENT) {
      throw new Error('Event.reset: the event was not sent yet; nothing to reset');
    }
    this._state = NOT_SENT;
    this._value = undefined;
  }

  /** True once sent (a value or an error). */
  ready(): boolean {
    return this._state !== NOT_SENT;
  }

  /** True if sent with `sendException`. */
  hasException(): boolean {
    return this._state === ERROR;
  }

  /** True if sent with `send`. */
  hasResult(): boolean {
    return this._state === VALUE;
  }

  /**
   * The value if sent (throws the error if sent with one), else `notReady`;
   * never blocks.
   */
  poll(): T | undefined;
  poll<D>(notReady: D): T | D;
  poll<D>(notReady?: D): T | D | undefined {
    if (this._state === NOT_SENT) return notReady;
    if (this._state === ERROR) throw this._value;
    return this._value as T;
  }

  /** Threads blocked in `wait`. */
  waiting(): number {
    return this._waiters.length;
  }
}
