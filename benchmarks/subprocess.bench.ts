/**
 * subprocess benchmark (issue 5): spawn + wait rate of green
 * `new Popen(args).wait()` against raw `child_process.spawn` + an 'exit'
 * promise, side by side in one process, in alternating rounds; the ratio is
 * the median of per-round ratios with its spread.
 * - sequential: one child at a time
 * - concurrent: 8 at a time (green threads / async loops)
 * - with output: `echo` + `communicate()` vs spawn + collecting stdout
 *
 * Run: npx pnpm@10 bench:subprocess   (smoke run: add --quick)
 * Writes benchmarks/results/subprocess.md, subprocess.svg and subprocess.json.
 */
import { spawn as spawnChild } from 'node:child_process';
import { subprocess } from '@verdant/green';
import { run, spawn } from '@verdant/hub';
import { sized } from './lib/options.js';
import { type PairRow, pairChart, pairRounds, pairTable } from './lib/pair-report.js';
import { header, startRun, writeResults } from './lib/report.js';
import { alternate } from './lib/rounds.js';

const COMMAND = 'npx pnpm@10 bench:subprocess';
const CHILDREN = sized(100, 10);
const CONCURRENCY = 8;
const ROUNDS = sized(7, 2);

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
  const rows: PairRow[] = [];
  for (const c of CASES) {
    rows.push({
      what: c.what,
      unit: 'children/s',
      better: 'higher',
      sides: ['child_process.spawn', 'Popen'],
      measured: await alternate(
        c.what,
        [
          {
            key: 'floor',
            label: 'raw child_process.spawn + promise',
            run: () => raw(c.args, c.concurrency, c.capture),
          },
          {
            key: 'verdant',
            label: 'Verdant Popen in green threads',
            run: () => verdant(c.args, c.concurrency, c.capture),
          },
        ],
        { rounds: ROUNDS, floor: 'floor', warmupMs: 0 },
      ),
    });
  }
  const md = `${header('subprocess benchmark', started)}

${CHILDREN} children per sample; medians of ${ROUNDS} alternating rounds after one warm-up run each; "Verdant / floor" is the median of per-round ratios, with the lowest and highest round in brackets.

${pairTable(rows)}

## Every round

${pairRounds(rows).join('\n')}

## Notes

- Both sides fork and exec the same real programs; the process start dominates (about a millisecond each), so the ratio shows what Popen adds around it: argument checks, the registry \`os.waitpid\` reads, the idle probe's set, GreenFile wrappers on pipes, and a park per wait.
- raw \`wait\` waits for 'close' (exit and stdio closed); Verdant's \`wait()\` waits for 'exit' (Python's semantics), \`communicate()\` for both.
- The machine is shared with other runs: compare the per-round ratios, not absolute rates.

![chart](subprocess.svg)
`;
  writeResults('subprocess', {
    md,
    svg: pairChart('subprocess: children/s, higher is better (bars scaled per row)', rows),
    json: { command: started.command, node: process.version, quick: started.quick, rows },
  });
}

await main();
