/** How the benchmarks print figures: a figure, a spread, a count. */
import type { Spread } from './spread.js';

/**
 * A figure with 3 significant digits or so: 1234, 123.4, 12.34, 1.234, 0.123.
 *
 * @example
 * fmt(0.12345); // '0.123'
 */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1000) return x.toFixed(0);
  if (a >= 100) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toFixed(3);
}

/**
 * `median (min–max)` of a spread, with a unit after each figure
 * (`'×'` for ratios); a single round prints its one figure.
 *
 * @example
 * formatSpread(spread([1.1, 1.3, 1.2]), '×'); // '1.20× (1.10–1.30)'
 */
export function formatSpread(s: Spread, unit = ''): string {
  const m = `${fmt(s.median)}${unit}`;
  return s.n < 2 ? m : `${m} (${fmt(s.min)}–${fmt(s.max)})`;
}

/**
 * A count as the reports name it: 200, 2k, 100k.
 *
 * @example
 * count(100_000); // '100k'
 */
export function count(n: number): string {
  return n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n);
}
