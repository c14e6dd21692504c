/**
 * subprocess benchmark (issue 5): spawn + wait rate of green
 * `new Popen(args).wait()` against raw `child_process.spawn` + an 'exit'
 * promise, side by side in one process, interleaved rounds, medians.
 * - sequential: one child at a time
 * - concurrent: 8 at a time (green threads / async loops)
 * - with output: `echo` + `communicate()` vs spawn + collecting stdout
 *
 * Run: npx --yes pnpm@10 build && node --import tsx benchmarks/subprocess.bench.ts
 * Writes benchmarks/results/subprocess.md and subprocess.svg.
 */
import { spawn as spawnChild } from 'node:child_process';
import { subprocess } from '@verdant/green';
import { run, spawn } from '@verdant/hub';
import { median } from './lib/median.js';
import { barChart, header, startRun, table, versus, writeResults } from './lib/report.js';

const COMMAND = 'npx --yes pnpm@10 build && node --import tsx benchmarks/subprocess.bench.ts';
const CHILDREN = 100;
const CONCURRENCY = 8;
const ROUNDS = 5;

function rawOne(args: string[], capture: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawnChild(args[0]!, args.slice(1), {
      stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    });
    const chunks: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? -1));
  });
}

async function raw(args: string[], concurrency: number, capture: boolean): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < CHILDREN) await rawOne(args, capture);
    }),
  );
  return (CHILDREN / (performance.now() - t0)) * 1000;
}

function verdant(args: string[], concurrency: number, capture: boolean): Promise<number> {
  return run(function* () {
    let next = 0;
    const t0 = performance.now();
    const threads = Array.from({ length: concurrency }, () =>
      spawn(function* () {
        while (next++ < CHILDREN) {
          if (capture) {
            yield* new subprocess.Popen(args, { stdout: subprocess.PIPE }).communicate();
          } else yield* new subprocess.Popen(args).wait();
        }
      }),
    );
    for (const t of threads) yield* t.wait();
    return (CHILDREN / (performance.now() - t0)) * 1000;
  });
}

interface Case {
  what: string;
  args: string[];
  concurrency: number;
  capture: boolean;
}

const CASES: Case[] = [
  { what: '`true`, one at a time, wait()', args: ['true'], concurrency: 1, capture: false },
  {
    what: `\`true\`, ${CONCURRENCY} at a time, wait()`,
    args: ['true'],
    concurrency: CONCURRENCY,
    capture: false,
  },
  {
    what: `\`echo hi\`, ${CONCURRENCY} at a time, communicate()`,
    args: ['echo', 'hi'],
    concurrency: CONCURRENCY,
    capture: true,
  },
];

async function main(): Promise<void> {
  const started = startRun(COMMAND);
  const results: { c: Case; v: number; r: number }[] = [];
  for (const c of CASES) {
    await raw(c.args, c.concurrency, c.capture); // warm-up
    await verdant(c.args, c.concurrency, c.capture);
    const vs: number[] = [];
    const rs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) {
        rs.push(await raw(c.args, c.concurrency, c.capture));
        vs.push(await verdant(c.args, c.concurrency, c.capture));
      } else {
        vs.push(await verdant(c.args, c.concurrency, c.capture));
        rs.push(await raw(c.args, c.concurrency, c.capture));
      }
    }
    const v = median(vs);
    const r = median(rs);
    results.push({ c, v, r });
    console.log(
      `${c.what}: verdant ${v.toFixed(0)}/s, raw ${r.toFixed(0)}/s, ratio ${(v / r).toFixed(2)}×`,
    );
  }
  const md = `${header('subprocess benchmark', started)}
${CHILDREN} children per sample; medians of ${ROUNDS} interleaved rounds after one warm-up each.

${table(
  [
    'what',
    'Verdant (`Popen` in green threads)',
    'raw (`child_process.spawn` + promise)',
    'ratio (Verdant / raw)',
  ],
  results.map(({ c, v, r }) => [
    c.what,
    `${v.toFixed(0)} /s`,
    `${r.toFixed(0)} /s`,
    `${(v / r).toFixed(2)}×`,
  ]),
)}

## Notes

- Both sides fork and exec the same real programs; the process start dominates (about a millisecond each), so the ratio shows what Popen adds around it: argument checks, the registry \`os.waitpid\` reads, the idle probe's set, GreenFile wrappers on pipes, and a park per wait.
- raw \`wait\` waits for 'close' (exit and stdio closed); Verdant's \`wait()\` waits for 'exit' (Python's semantics), \`communicate()\` for both.
- The machine is shared with other runs: compare ratios, not absolute rates.

![chart](subprocess.svg)
`;
  const svg = barChart({
    caption: 'subprocess: children/s, higher is better (bars scaled per row)',
    groups: results.map(({ c, v, r }) =>
      versus(`${c.what} (children/s)`, (x) => x.toFixed(0), ['Verdant', v], ['raw', r]),
    ),
  });
  writeResults('subprocess', { md, svg });
}

await main();
