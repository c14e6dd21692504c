import { getHub } from './get-hub.js';
import { hub } from './hub.js';
import type { Operation } from './operation.js';

/**
 * Resolves when the hub is idle (no live thread, no pending timer, every
 * probe at 0) and rejects, naming what is left, if it is not within `ms`.
 * Tests call it after each case: `afterEach(() => assertIdle())`.
 *
 * @example
 * import { afterEach } from 'node:test';
 * afterEach(() => assertIdle());
 */
export async function assertIdle(ms = 2000): Promise<void> {
  const hub = getHub();
  const until = Date.now() + ms;
  // Killed threads unwind on the next drain and sockets close a loop turn
  // later: give them a few turns before judging.
  for (;;) {
    await new Promise((resolve) => setImmediate(resolve));
    const problems = hub.idleProblems();
    if (problems.length === 0) return;
    if (Date.now() > until) {
      throw new Error(`the hub is not idle:\n  ${problems.join('\n  ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * `assert.rejects` for operations: runs `op` in the current thread and fails
 * unless it throws an error that `check` accepts.
 *
 * @example
 * yield* assertThrows(gt.wait(), (e) => e instanceof GreenletExit);
 */
export function* assertThrows(
  op: Operation<unknown>,
  check: (error: unknown) => boolean,
): Operation<void> {
  let value: unknown;
  try {
    value = yield* op;
  } catch (error) {
    if (!check(error))
      throw new Error(`the operation threw an unexpected error: ${String(error)}`, {
        cause: error,
      });
    return;
  }
  throw new Error(`the operation returned ${String(value)} instead of throwing`);
}

/** The hub's clock, stopped for a test: see `useVirtualClock`. */
export interface VirtualClock {
  /** The virtual time, in ms. */
  now(): number;
  /** Moves time `ms` forward, firing every timer due on the way, in order. */
  advance(ms: number): void;
  /** Back to real time; pending timers keep the time they had left. */
  restore(): void;
}

/**
 * Puts the hub on a virtual clock, so a program that sleeps an hour is tested
 * in milliseconds. Every hub timer follows it: `sleep`, `Timeout`,
 * `spawnAfter`, queue and lock timeouts, and the green timer faces. With
 * `autoAdvance` (the default), whenever no green thread can run the clock
 * jumps straight to the next timer; without it, only `advance(ms)` moves
 * time. Auto-advance does not wait for real I/O: a thread blocked on a socket
 * sees its timeouts fire at once if nothing else is pending first.
 *
 * @example
 * const clock = useVirtualClock();
 * try {
 *   await run(function* () { yield* sleep(3_600_000) }); // returns at once
 * } finally {
 *   clock.restore();
 * }
 */
export function useVirtualClock(options: { autoAdvance?: boolean } = {}): VirtualClock {
  const autoAdvance = options.autoAdvance ?? true;
  if (typeof autoAdvance !== 'boolean') {
    throw new TypeError('useVirtualClock(options): options.autoAdvance must be a boolean');
  }
  hub.useVirtualClock(autoAdvance);
  return {
    now: () => hub.now(),
    advance(ms: number) {
      if (typeof ms !== 'number' || !(ms >= 0) || ms === Number.POSITIVE_INFINITY) {
        throw new TypeError(`advance(ms): ms must be a finite number >= 0, got ${String(ms)}`);
      }
      hub.advanceClock(ms);
    },
    restore: () => hub.useRealClock(),
  };
}
