/**
 * pg 200 green threads x 50 queries under monkeyPatch() against plain
 * async/await, on a real PostgreSQL this benchmark starts (Debian's
 * postgresql). The two modes run in alternating rounds, each in its own
 * process; the figures are medians over rounds of throughput and client CPU
 * per query, and their green/async ratios (issue 10 target: >= 0.95x).
 *
 * Run: npx pnpm@10 bench:libraries   (smoke run: add --quick)
 * Writes benchmarks/results/libraries.md, libraries.svg and libraries.json.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startPostgres } from '../test/libraries/servers.ts';
import { sized } from './lib/options.js';
import { barChart, COLORS, header, npmPeer, startRun, table, writeResults } from './lib/report.js';

const ROUNDS = sized(5, 1);
const run = startRun('npx pnpm@10 bench:libraries', [npmPeer('pg')]);

interface Sample {
  mode: 'green' | 'async';
  queriesPerSec: number;
  cpuUsPerQuery: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const server = await startPostgres();
const samples: Sample[] = [];
try {
  for (let r = 0; r < ROUNDS; r++) {
    for (const mode of r % 2 ? ['async', 'green'] : ['green', 'async']) {
      const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', join(import.meta.dirname, 'libraries', 'pg-load.ts'), mode],
        {
          env: {
            ...process.env,
            ...server.env,
            VERDANT_LOG_LEVEL: 'silent',
            BENCH_QUICK: run.quick ? '1' : '0',
          },
          encoding: 'utf8',
        },
      );
      samples.push(JSON.parse(out.trim().split('\n').at(-1)!) as Sample);
    }
  }
} finally {
  await server.stop();
}

const of = (mode: Sample['mode'], key: 'queriesPerSec' | 'cpuUsPerQuery') =>
  median(samples.filter((s) => s.mode === mode).map((s) => s[key]));
const result = {
  node: process.version,
  rounds: ROUNDS,
  green: {
    queriesPerSec: of('green', 'queriesPerSec'),
    cpuUsPerQuery: of('green', 'cpuUsPerQuery'),
  },
  async: {
    queriesPerSec: of('async', 'queriesPerSec'),
    cpuUsPerQuery: of('async', 'cpuUsPerQuery'),
  },
};
const throughputRatio = result.green.queriesPerSec / result.async.queriesPerSec;
const cpuRatio = result.green.cpuUsPerQuery / result.async.cpuUsPerQuery;
const md = [
  header('pg: 200 threads x 50 queries, green (monkeyPatch) vs plain async', run),
  '',
  `PostgreSQL started by the benchmark on 127.0.0.1, pool of 20; medians over ${ROUNDS} alternating rounds, each mode in its own process.`,
  '',
  table(
    ['mode', 'queries/s', 'client CPU µs/query'],
    [
      [
        'green under monkeyPatch()',
        result.green.queriesPerSec.toFixed(0),
        result.green.cpuUsPerQuery.toFixed(1),
      ],
      [
        'plain async/await',
        result.async.queriesPerSec.toFixed(0),
        result.async.cpuUsPerQuery.toFixed(1),
      ],
    ],
    ['left', 'right', 'right'],
  ),
  '',
  `Throughput green/async: **${throughputRatio.toFixed(2)}x** (target >= 0.95x). Client CPU per query green/async: ${cpuRatio.toFixed(2)}x.`,
  '',
].join('\n');
const svg = barChart({
  caption: 'pg queries per second (longer is better)',
  groups: [
    {
      title: '200 threads x 50 queries',
      bars: [
        {
          label: 'Verdant (monkeyPatch)',
          value: result.green.queriesPerSec,
          color: COLORS.verdant,
          text: result.green.queriesPerSec.toFixed(0),
        },
        {
          label: 'plain async',
          value: result.async.queriesPerSec,
          color: COLORS.baseline,
          text: result.async.queriesPerSec.toFixed(0),
        },
      ],
    },
  ],
});
writeResults('libraries', { md, svg, json: { ...result, throughputRatio, cpuRatio } });
