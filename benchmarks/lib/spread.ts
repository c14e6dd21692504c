/**
 * A sample's median and spread, the one summary every benchmark prints
 * (format.ts writes it as `1.15× (1.08–1.22)`: the median of per-round
 * figures with their minimum and maximum); the quartiles go to the JSON
 * beside each report.
 */
import { median } from './median.js';

export interface Spread {
  median: number;
  min: number;
  max: number;
  /** First and third quartiles (linear interpolation between the closest ranks). */
  q1: number;
  q3: number;
  /** How many figures (rounds) the summary is over. */
  n: number;
}

function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/**
 * @example
 * spread([1.1, 1.3, 1.2]); // { median: 1.2, min: 1.1, max: 1.3, q1: 1.15, q3: 1.25, n: 3 }
 */
export function spread(xs: number[]): Spread {
  if (xs.length === 0) throw new RangeError('spread(xs): xs is empty');
  const s = [...xs].sort((a, b) => a - b);
  return {
    median: median(s),
    min: s[0]!,
    max: s[s.length - 1]!,
    q1: quantile(s, 0.25),
    q3: quantile(s, 0.75),
    n: s.length,
  };
}
