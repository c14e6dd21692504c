import { getHub } from '@verdant/hub';

/**
 * Seconds since the Unix epoch as a float, like Python's `time.time()`
 * (sub-millisecond resolution).
 *
 * @example
 * const stamp = time.time(); // e.g. 1763900000.123456
 */
export function time(): number {
  return (performance.timeOrigin + performance.now()) / 1000;
}

/**
 * Milliseconds since the Unix epoch as a float (`time() * 1000`).
 *
 * @example
 * const startedAt = new Date(time.timeMs());
 */
export function timeMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * A monotonic clock in seconds (Python's `time.monotonic()`); only
 * differences are meaningful. It is the hub's timer clock.
 *
 * @example
 * const t0 = time.monotonic();
 * yield* time.sleep(100);
 * const elapsedSeconds = time.monotonic() - t0; // about 0.1
 */
export function monotonic(): number {
  return getHub().now() / 1000;
}

/**
 * The hub's monotonic clock in milliseconds: subtract readings to get a
 * duration to hand to `sleep` or a `timeoutMs`.
 *
 * @example
 * const deadline = time.monotonicMs() + 1000;
 * yield* time.sleep(Math.max(0, deadline - time.monotonicMs()));
 */
export function monotonicMs(): number {
  return getHub().now();
}

/**
 * A high-resolution clock for measuring short intervals, in seconds
 * (Python's `time.perf_counter()`).
 *
 * @example
 * const t0 = time.perfCounter();
 * JSON.stringify(Array.from({ length: 1e5 }, (_, i) => i));
 * const seconds = time.perfCounter() - t0;
 */
export function perfCounter(): number {
  return performance.now() / 1000;
}

/**
 * `perfCounter()` in milliseconds.
 *
 * @example
 * const t0 = time.perfCounterMs();
 * yield* time.sleep(10);
 * const ms = time.perfCounterMs() - t0; // about 10
 */
export function perfCounterMs(): number {
  return performance.now();
}
