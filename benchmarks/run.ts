/**
 * Runs benchmarks one after another, each in its own process:
 * `node --import tsx benchmarks/run.ts [name...] [--quick] [--unpinned] ...`.
 * Names are the files' `<name>.bench.ts` (default: every one in this
 * folder, the hub's first); everything from the first `--flag` on goes to
 * each benchmark.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const FIRST = ['hub', 'coordination', 'echo'];

/** Every benchmark in this folder, by name: the issue-13 ones first, then the rest in order. */
export function benchmarks(): string[] {
  const all = readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.slice(0, -'.bench.ts'.length))
    .sort();
  return [...FIRST.filter((n) => all.includes(n)), ...all.filter((n) => !FIRST.includes(n))];
}

function main(): void {
  const args = process.argv.slice(2);
  // Names first, then the switches (and their values: `--cpu 0`) for every benchmark.
  const firstFlag = args.findIndex((a) => a.startsWith('--'));
  const names = firstFlag < 0 ? args : args.slice(0, firstFlag);
  const passThrough = firstFlag < 0 ? [] : args.slice(firstFlag);
  const known = benchmarks();
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length) {
    throw new RangeError(
      `run.ts: no benchmark ${unknown.join(', ')}; there are ${known.join(', ')}`,
    );
  }
  // A smoke run's reports go to one temporary folder (each benchmark would make its own).
  const quick =
    passThrough.includes('--quick') || !['', '0', undefined].includes(process.env.BENCH_QUICK);
  const env = { ...process.env };
  if (quick && !env.BENCH_RESULTS_DIR) {
    env.BENCH_RESULTS_DIR = mkdtempSync(join(tmpdir(), 'verdant-bench-quick-'));
  }
  const failed: string[] = [];
  for (const name of names.length ? names : known) {
    process.stdout.write(`\n=== ${name}\n`);
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', `${here}${name}.bench.ts`, ...passThrough],
      { stdio: 'inherit', env },
    );
    if (r.status !== 0) failed.push(`${name} (exit ${r.status ?? r.signal})`);
  }
  if (failed.length) {
    process.stderr.write(`failed: ${failed.join(', ')}\n`);
    process.exit(1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
