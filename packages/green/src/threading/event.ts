import { Event as HubEvent, type Operation } from '@verdant/hub';
import { Done } from '@verdant/hub/internal';
import { checkTimeout } from '../internal/check.js';

/**
 * Python's `threading.Event`, a flag threads wait on, built on the hub's
 * Event: `set()` wakes every waiter, `clear()` resets the flag.
 *
 * @example
 * const ready = new threading.Event();
 * spawn(function* () {
 *   yield* time.sleep(10);
 *   ready.set();
 * });
 * yield* ready.wait(); // true
 * ready.clear();
 * yield* ready.wait(50); // false: nobody set it again
 */
export class Event {
  private readonly event = new HubEvent<true>();

  /** True while the flag is set. */
  isSet(): boolean {
    return this.event.ready();
  }

  /** Sets the flag and wakes every waiting thread. */
  set(): void {
    if (!this.event.ready()) this.event.send(true);
  }

  /** Clears the flag: later `wait` calls block again. */
  clear(): void {
    if (this.event.ready()) this.event.reset();
  }

  /**
   * Blocks until the flag is set or `timeoutMs` passes; returns true if it
   * was set (false on timeout).
   */
  wait(timeoutMs: number | null = null): Operation<boolean> {
    const ms = checkTimeout('Event.wait(timeoutMs): timeoutMs', timeoutMs);
    if (this.event.ready()) return new Done(true);
    return this.waitSet(ms);
  }

  private *waitSet(ms: number | null): Operation<boolean> {
    const value = ms === null ? yield* this.event.wait() : yield* this.event.wait(ms);
    return value === true;
  }
}
