/**
 * Green `time`, Python's `time` module for green threads.
 *
 * Units: every DURATION in Verdant is in milliseconds, so `sleep(ms)` takes
 * milliseconds, not Python's seconds: `time.sleep(0.5)` ports as
 * `yield* time.sleep(500)`. Clock READINGS keep Python's unit, seconds as a
 * float (`time()`, `monotonic()`, `perfCounter()`), so timestamps port
 * unchanged; the `...Ms` variants give the same clocks in milliseconds for
 * arithmetic that ends in a duration (`sleep(deadlineMs - monotonicMs())`).
 *
 * @module
 */
export {
  monotonic,
  monotonicMs,
  perfCounter,
  perfCounterMs,
  time,
  timeMs,
} from './time/clocks.js';
export { sleep } from './time/sleep.js';
