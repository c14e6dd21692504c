/**
 * Green `time`, Python's `time` module for green threads.
 *
 * Units: every DURATION in Verdant is in milliseconds, so `sleep(ms)` takes
 * milliseconds, not Python's seconds: `time.sleep(0.5)` ports as
 * `yield* time.sleep(500)`. Clock READINGS keep Python's unit, seconds as a
 * float (`time()`, `monotonic()`, `perfCounter()`), so timestamps port
 * unchanged; the `...Ms` variants give the same clocks in milliseconds for
 * arithmetic that ends in a duration (`sleep(deadlineMs - monotonicMs())`).
 */
import { getHub, sleep as hubSleep, type Operation } from '@verdant/hub';

/**
 * Blocks the current green thread for `ms` MILLISECONDS (not seconds);
 * `sleep(0)` lets every other runnable thread run once.
 *
 * @example
 * yield* time.sleep(250); // a quarter of a second
 */
export function sleep(ms = 0): Operation<void> {
  return hubSleep(ms);
}

/**
 * Seconds since the Unix epoch as a float, like Python's `time.time()`
 * (sub-millisecond resolution).
 *
 * @example
 * const stamp = time.time(); // 1763900000.123456
 */
export function time(): number {
  return (performance.timeOrigin + performance.now()) / 1000;
}

/**
 * Milliseconds since the Unix epoch as a float (`time() * 1000`).
 *
 * @example
 * const started = time.timeMs();
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
 * const elapsedSeconds = time.monotonic() - t0; // ~0.1
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
 * work();
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
 */
export function perfCounterMs(): number {
  return performance.now();
}
