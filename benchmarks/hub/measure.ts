/** Helpers shared by the hub benchmarks: the clock, gc, heap, a loop turn, the idle check. */
import { getHub } from '@verdant/hub';

export const now = (): number => performance.now();

/** gc() is exposed by hub.bench.ts (it re-executes itself with --expose-gc). */
export function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc (hub.bench.ts re-executes itself)');
  gc();
  gc();
}

export function heapUsed(): number {
  collect();
  return process.memoryUsage().heapUsed;
}

/** Lets Node's loop turn once (timers, immediates). */
export function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Fails the run if a Verdant measurement left anything behind in the hub. */
export async function assertHubIdle(what: string): Promise<void> {
  for (let i = 0; i < 3; i++) await turn();
  const problems = getHub().idleProblems();
  if (problems.length !== 0) {
    throw new Error(`${what} left the hub busy: ${problems.slice(0, 5).join('; ')}`);
  }
}
