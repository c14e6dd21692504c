/**
 * pg 200 green threads x 50 queries under monkeyPatch() against plain
 * async/await, on a real PostgreSQL this benchmark starts (Debian's
 * postgresql); a third mode runs the same green threads with nothing patched,
 * which splits the hub's own cost (wait/wake) from the patch's (faces,
 * attribution), and a fourth plain async with an AsyncLocalStorage entered,
 * the floor of the context attribution rides on (on Node 20/22, V8's promise
 * hooks for every promise pg makes). Each run warms up on one untimed pass
 * of the workload, then times five. The modes run in rotating order round after round, each run
 * in its own process; the figures are medians over rounds of throughput,
 * client CPU per query and PostgreSQL's CPU per query, and the median of
 * per-round ratios to plain async (issue 10 target: >= 0.95x throughput).
 *
 * Run: npx pnpm@10 bench:libraries   (smoke run: add --quick)
 * Writes benchmarks/results/libraries.md, libraries.svg and libraries.json.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startPostgres } from '../test/libraries/servers.ts';
import { fmt, formatSpread } from './lib/format.js';
import { median } from './lib/median.js';
import { sized } from './lib/options.js';
import { barChart, COLORS, header, npmPeer, startRun, table, writeResults } from './lib/report.js';
import { spread } from './lib/spread.js';

const ROUNDS = sized(7, 1);
const MODES = ['green', 'hub', 'async-als', 'async'] as const;
type Mode = (typeof MODES)[number];
const LABEL: Record<Mode, string> = {
  green: 'green threads under monkeyPatch()',
  hub: 'green threads, nothing patched',
  'async-als': 'plain async/await, an AsyncLocalStorage entered',
  async: 'plain async/await',
};
const run = startRun('npx pnpm@10 bench:libraries', [npmPeer('pg')]);

interface Sample {
  mode: Mode;
  queriesPerSec: number;
  cpuUsPerQuery: number;
  userUsPerQuery: number;
  serverCpuUsPerQuery: number;
}
type Key = Exclude<keyof Sample, 'mode'>;

const server = await startPostgres();
const rounds: Record<Mode, Sample>[] = [];
try {
  for (let r = 0; r < ROUNDS; r++) {
    const round: Partial<Record<Mode, Sample>> = {};
    for (let i = 0; i < MODES.length; i++) {
      const mode = MODES[(i + r) % MODES.length]!;
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
      round[mode] = JSON.parse(out.trim().split('\n').at(-1)!) as Sample;
      process.stdout.write(`round ${r + 1} ${out.trim().split('\n').at(-1)}\n`);
    }
    rounds.push(round as Record<Mode, Sample>);
  }
} finally {
  await server.stop();
}

const of = (mode: Mode, key: Key) => median(rounds.map((r) => r[mode][key]));
const ratio = (mode: Mode, key: Key) => spread(rounds.map((r) => r[mode][key] / r.async[key]));
const summary = Object.fromEntries(
  MODES.map((m) => [
    m,
    {
      queriesPerSec: of(m, 'queriesPerSec'),
      cpuUsPerQuery: of(m, 'cpuUsPerQuery'),
      userUsPerQuery: of(m, 'userUsPerQuery'),
      serverCpuUsPerQuery: of(m, 'serverCpuUsPerQuery'),
      throughputRatio: ratio(m, 'queriesPerSec'),
      cpuRatio: ratio(m, 'cpuUsPerQuery'),
    },
  ]),
) as Record<
  Mode,
  Record<Key, number> & {
    throughputRatio: ReturnType<typeof spread>;
    cpuRatio: ReturnType<typeof spread>;
  }
>;
const green = summary.green;
const md = [
  header('pg: 200 threads x 50 queries, green (monkeyPatch) vs plain async', run),
  '',
  `PostgreSQL started by the benchmark on 127.0.0.1, pool of 20; ${ROUNDS} rounds, the ${MODES.length} modes in rotating order, each run in its own process: one untimed warm-up pass of the workload, then five timed passes (one lasts about half a second). Figures are medians over rounds; "x async" is the median of per-round ratios to plain async with the lowest and highest round in brackets. Client CPU is the load process's own (user + system, process.cpuUsage); server CPU is every PostgreSQL process's (utime + stime from /proc/<pid>/stat, 10 ms ticks) over the same window.`,
  '',
  table(
    [
      'mode',
      'queries/s',
      'x async',
      'client CPU µs/query',
      'of it user',
      'x async',
      'server CPU µs/query',
    ],
    MODES.map((m) => [
      LABEL[m],
      summary[m].queriesPerSec.toFixed(0),
      m === 'async' ? '—' : formatSpread(summary[m].throughputRatio, 'x'),
      fmt(summary[m].cpuUsPerQuery),
      fmt(summary[m].userUsPerQuery),
      m === 'async' ? '—' : formatSpread(summary[m].cpuRatio, 'x'),
      fmt(summary[m].serverCpuUsPerQuery),
    ]),
    ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
  ),
  '',
  `Throughput green (monkeyPatch) / async: **${fmt(green.throughputRatio.median)}x** (target >= 0.95x). Client CPU per query green / async: ${fmt(green.cpuRatio.median)}x. The unpatched green row is the hub's share of that cost; the rest (green minus unpatched) is monkeyPatch's: the faces, attribution and AsyncLocalStorage. The AsyncLocalStorage row is that context's own cost to any program (${Number(process.versions.node.split('.')[0]) >= 24 ? 'on this Node, AsyncContextFrame: no promise hooks' : "on this Node, V8's promise hooks run for every promise"}): ${fmt(summary['async-als'].throughputRatio.median)}x async, a floor for the patched row while attribution rides on it.`,
  '',
  '## Every round',
  '',
  ...rounds.map(
    (r, i) =>
      `- round ${i + 1}: ${MODES.map((m) => `${m} ${r[m].queriesPerSec.toFixed(0)} q/s, client ${fmt(r[m].cpuUsPerQuery)} µs, server ${fmt(r[m].serverCpuUsPerQuery)} µs`).join('; ')}`,
  ),
  '',
].join('\n');
const svg = barChart({
  caption: 'pg queries per second (longer is better)',
  groups: [
    {
      title: '200 threads x 50 queries',
      bars: MODES.map((m) => ({
        label:
          m === 'green'
            ? 'Verdant (monkeyPatch)'
            : m === 'hub'
              ? 'Verdant (unpatched)'
              : m === 'async-als'
                ? 'async + AsyncLocalStorage'
                : 'plain async',
        value: summary[m].queriesPerSec,
        color: m.startsWith('async') ? COLORS.baseline : COLORS.verdant,
        text: summary[m].queriesPerSec.toFixed(0),
      })),
    },
  ],
});
writeResults('libraries', {
  md,
  svg,
  json: { node: process.version, rounds: ROUNDS, ...summary, perRound: rounds },
});
