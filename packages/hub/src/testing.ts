import { checkDuration, checkFlag, checkFunction, describeValue } from './check.js';
import { getHub } from './get-hub.js';
import { hub } from './hub.js';
import type { Operation } from './operation.js';

/**
 * Resolves when the hub is idle (no live thread, no pending timer, every
 * probe at 0) and rejects, naming what is left, if it is not within `ms`.
 * Tests call it after each case: `afterEach(() => assertIdle())`.
 *
 * @example
 * import { run, sleep, spawn } from '@verdant/hub';
 * import { assertIdle } from '@verdant/hub/testing';
 *
 * await run(function* () {
 *   spawn(function* () {
 *     yield* sleep(5); // outlives run()'s thread
 *   });
 * });
 * await assertIdle(); // resolves once that thread has finished too
 */
export function assertIdle(ms = 2000): Promise<void> {
  // Checked at the call, so a bad bound throws at once rather than never settling.
  return waitIdle(checkDuration('assertIdle(ms)', 'ms', ms));
}

async function waitIdle(ms: number): Promise<void> {
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
 * import { GreenletExit, run, sleep, spawn } from '@verdant/hub';
 * import { assertThrows } from '@verdant/hub/testing';
 *
 * await run(function* () {
 *   const gt = spawn(function* () {
 *     yield* sleep(1000);
 *   });
 *   gt.kill();
 *   yield* assertThrows(gt.wait(), (e) => e instanceof GreenletExit);
 * });
 */
export function assertThrows(
  op: Operation<unknown>,
  check: (error: unknown) => boolean,
): Operation<void> {
  // `assertThrows(gt.wait, ...)`: a function where its operation was meant
  // would otherwise "throw" only by accident, or pass without running.
  if (
    op === null ||
    typeof op !== 'object' ||
    typeof (op as Partial<Operation<unknown>>).next !== 'function' ||
    typeof (op as Partial<Operation<unknown>>)[Symbol.iterator] !== 'function'
  ) {
    const hint = typeof op === 'function' ? ' (call it: write op(), with the parentheses)' : '';
    throw new TypeError(
      `assertThrows(op, check): op must be an operation, e.g. gt.wait()${hint}, got ${describeValue(op)}`,
    );
  }
  checkFunction('assertThrows(op, check)', 'check', check);
  return expectThrow(op, check);
}

function* expectThrow(op: Operation<unknown>, check: (error: unknown) => boolean): Operation<void> {
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
 * time. Unref'd timers follow it too (they only stop keeping the process
 * alive). Auto-advance never jumps while real I/O is in flight: while a
 * request a green thread sent (a connect, a write on a client socket, under
 * `monkeyPatch` or a green net face) is unanswered, the clock waits for the
 * answer, as a reply some real milliseconds away would beat a virtual
 * timeout. So a test whose server never answers moves time with
 * `advance(ms)` (`autoAdvance: false`) instead.
 *
 * @example
 * import { run, sleep } from '@verdant/hub';
 * import { useVirtualClock } from '@verdant/hub/testing';
 *
 * const clock = useVirtualClock();
 * try {
 *   await run(function* () {
 *     yield* sleep(3_600_000); // an hour, over at once
 *   });
 *   console.log(clock.now() >= 3_600_000); // true
 * } finally {
 *   clock.restore();
 * }
 */
export function useVirtualClock(options: { autoAdvance?: boolean } = {}): VirtualClock {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(
      `useVirtualClock(options): options must be an object ({ autoAdvance?: boolean }), got ${describeValue(options)}`,
    );
  }
  const autoAdvance = checkFlag(
    'useVirtualClock(options)',
    'options.autoAdvance',
    options.autoAdvance ?? true,
  );
  const clock = hub.clock;
  clock.useVirtual(autoAdvance);
  return {
    now: () => clock.now(),
    advance: (ms: number) => clock.advance(checkDuration('advance(ms)', 'ms', ms)),
    restore: () => clock.useReal(),
  };
}
