/**
 * The median of a benchmark's samples (the mean of the two middle ones for
 * an even count). Shared by every benchmark, which all report medians of
 * interleaved rounds.
 *
 * @example
 * median([3, 1, 2]); // 2
 */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
