import type { Operation } from '@verdant/hub';

/**
 * True when `value` looks like a generator (has `next` and `throw`), i.e. a
 * callback returned an operation the caller must run with `yield*` rather
 * than a plain value.
 */
export function isOperation(value: unknown): value is Operation<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Operation<unknown>).next === 'function' &&
    typeof (value as Operation<unknown>).throw === 'function'
  );
}
