/**
 * A scenario's last step: the hub must be idle, then its figures go out as
 * one JSON line. The process must then exit by itself.
 */
import { assertIdle } from '@verdant/hub/testing';

export async function finish(out: Record<string, unknown>): Promise<void> {
  await assertIdle();
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

/** Milliseconds since `t0` (performance.now()), rounded: reported, never asserted tightly. */
export function since(t0: number): number {
  return Math.round(performance.now() - t0);
}
