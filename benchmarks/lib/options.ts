/**
 * The switches every benchmark reads: `--quick` (or BENCH_QUICK=1) for a
 * smoke run with small counts, and any `--name` flag a benchmark adds (echo's
 * `--unpinned`). Quick mode proves that a benchmark runs end to end and writes
 * its report; its figures mean nothing.
 */

/** Whether `--<name>` is on the command line. */
export function flag(name: string): boolean {
  return process.argv.slice(2).includes(`--${name}`);
}

/** The value after `--<name>` on the command line, if any. */
export function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

/** Smoke mode: `--quick` or BENCH_QUICK=1 (anything but empty or 0). */
export const QUICK = flag('quick') || !['', '0', undefined].includes(process.env.BENCH_QUICK);

/**
 * A count or duration: `full` for a real run, `quick` in smoke mode.
 *
 * @example
 * const ROUNDS = sized(7, 1);
 */
export function sized<T>(full: T, quick: T): T {
  return QUICK ? quick : full;
}
