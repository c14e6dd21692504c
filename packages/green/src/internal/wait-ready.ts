import { getHub, type Operation, suspend, type TimerHandle } from '@verdant/hub';
import type { Selectable } from './readiness.js';

/**
 * Parks until one of `objects` reports a readiness change or `timeoutMs`
 * passes (null: no limit). Returns false on timeout. Watchers are removed
 * however the park ends.
 */
export function waitReady(
  objects: readonly Selectable[],
  timeoutMs: number | null,
  label: string,
): Operation<boolean> {
  return suspend<boolean>((resume) => {
    const changed = (): void => {
      resume(true);
    };
    for (const o of objects) o._watch(changed);
    let timer: TimerHandle | undefined;
    if (timeoutMs !== null) timer = getHub().callLater(timeoutMs, resume, false);
    return () => {
      for (const o of objects) o._unwatch(changed);
      timer?.cancel();
    };
  }, label);
}

/** Turns a user timeout into a deadline on the hub clock (Infinity for none). */
export function deadlineOf(timeoutMs: number | null): number {
  return timeoutMs === null ? Number.POSITIVE_INFINITY : getHub().now() + timeoutMs;
}

/** Milliseconds left until `deadline` (null for none). */
export function remaining(deadline: number): number | null {
  return deadline === Number.POSITIVE_INFINITY ? null : Math.max(0, deadline - getHub().now());
}
