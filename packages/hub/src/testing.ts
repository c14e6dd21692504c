import { getHub } from './get-hub.js';
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
