import type { GreenThread } from './green-thread.js';
import { type HubHooks, hub } from './hub.js';

/** HubHooks, typed on the public GreenThread. */
export interface Hooks {
  /**
   * A thread was made, in its spawner's context: the value returned is kept
   * for the thread's life and handed to its every `aroundStep`.
   */
  spawned?(thread: GreenThread): unknown;
  /**
   * Runs `run(thread)`, the thread's step: e.g. `als.run(thread, run, thread)`;
   * `data` is what `spawned` returned (undefined for a thread made before the hooks).
   */
  aroundStep(thread: GreenThread, run: (thread: GreenThread) => void, data: unknown): void;
  /**
   * A kill or Timeout is being thrown into `thread`, parked on `blockedOn`;
   * its disposer has run. Return a function to hold the thread back until
   * that function calls its `resume` argument.
   */
  interrupted(
    thread: GreenThread,
    error: unknown,
    blockedOn: string | undefined,
  ): void | ((resume: () => void) => void);
}

/**
 * Installs the patcher's hooks (null removes them): the hub is shared by
 * every copy of this package, so one call covers them all.
 *
 * @example
 * import { AsyncLocalStorage } from 'node:async_hooks';
 * import { setHooks } from '@verdant/hub/internal';
 *
 * const current = new AsyncLocalStorage();
 * setHooks({
 *   aroundStep: (thread, run) => current.run(thread, run, thread),
 *   interrupted: () => {},
 * });
 * setHooks(null);
 */
export function setHooks(hooks: Hooks | null): void {
  hub.hooks = hooks as unknown as HubHooks | null;
}

/**
 * Real I/O started (a request written, its answer awaited): while any is in
 * flight, a virtual clock's auto-advance waits instead of jumping to the
 * next timer. Pair each call with one `ioSettled()`.
 *
 * @example
 * import { ioSettled, ioStarted } from '@verdant/hub/internal';
 *
 * ioStarted();
 * ioSettled();
 */
export function ioStarted(): void {
  hub.ioStarted();
}

/**
 * The answer to one `ioStarted()` came (or the request failed).
 *
 * @example
 * import { ioSettled, ioStarted } from '@verdant/hub/internal';
 *
 * ioStarted();
 * setTimeout(ioSettled, 5); // the reply arrived
 */
export function ioSettled(): void {
  hub.ioSettled();
}
