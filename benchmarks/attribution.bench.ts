/**
 * What monkeyPatch() costs a socket server (issue 10: attribution is paid
 * only while patched; issue 13: the unpatched hot path stays as it is): the
 * echo benchmark's raw Node server and Verdant green server, each run plain
 * and under monkeyPatch() (patched net prototypes: attribution's
 * write/push/_destroy, and AsyncLocalStorage's hooks on). 64-byte ping-pong
 * at C = 10, 100 and 1000, each server its own process, the server and the
 * load client (benchmarks/echo-client.c) pinned to one CPU as in the echo
 * benchmark. The figure is the server's CPU µs per round trip, as the median
 * of per-round ratios patched / unpatched, with its spread.
 *
 * Run: npx pnpm@10 bench:attribution   (smoke run: add --quick)
 * Writes benchmarks/results/attribution.md, attribution.svg and attribution.json.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { probe } from './echo/probe.js';
import { serveIfAsked } from './echo/servers.js';
import { allowedCpus } from './lib/cpu.js';
import { fmt, formatSpread } from './lib/format.js';
import { sized } from './lib/options.js';
import { barChart, COLORS, header, startRun, table, writeResults } from './lib/report.js';
import { alternate, byKey, type Figure, pairRatio } from './lib/rounds.js';

const CONCURRENCY = [10, 100, 1000];
const SECONDS = sized(1, 0.1);
const WARMUP = sized(0.3, 0.05);
const ROUNDS = sized(7, 1);
const SIZE = 64;
const CPU = String(availableParallelism() - 1);
const run$ = promisify(execFile);

const SERVERS = [
  { key: 'raw', label: 'raw Node net (callbacks)', server: 'raw', patched: false },
  { key: 'raw-patched', label: 'raw Node net, monkeyPatch()', server: 'raw', patched: true },
  { key: 'green', label: 'Verdant green (serve + recv/sendall)', server: 'green', patched: false },
  { key: 'green-patched', label: 'Verdant green, monkeyPatch()', server: 'green', patched: true },
] as const;

function startServer(
  name: string,
  patched: boolean,
): Promise<{ child: ChildProcess; port: number }> {
  const self = fileURLToPath(import.meta.url);
  const args = ['-c', CPU, process.execPath, '--import', 'tsx', self, '--server', name];
  if (patched) args.push('--patched');
  const child = spawn('taskset', args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, VERDANT_LOG_LEVEL: 'warn' },
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`echo server ${name} exited (${code}) before listening`)),
    );
    child.stdout!.once('data', (d: Buffer) =>
      resolve({ child, port: Number(d.toString().trim()) }),
    );
  });
}

/** One client run: round trips/s and the server's CPU µs per round trip (echo-client.c reads /proc). */
async function load(client: string, pid: number, port: number, conns: number): Promise<Figure> {
  const args = [
    '-c',
    CPU,
    client,
    String(port),
    String(conns),
    String(SECONDS),
    String(SIZE),
    String(WARMUP),
    String(pid),
  ];
  const { stdout } = await run$('taskset', args, { encoding: 'utf8' });
  const [rate, , measured, cpuNs] = stdout.trim().split(' ').map(Number) as [
    number,
    number,
    number,
    number,
  ];
  await new Promise((r) => setTimeout(r, sized(100, 10)));
  return { value: rate, cpuUs: measured > 0 ? cpuNs / 1000 / measured : Number.NaN };
}

async function bench(): Promise<void> {
  const run = startRun('npx pnpm@10 bench:attribution');
  const client = join(mkdtempSync(join(tmpdir(), 'verdant-attribution-')), 'echo-client');
  execFileSync('cc', [
    '-O2',
    '-o',
    client,
    fileURLToPath(new URL('echo-client.c', import.meta.url)),
  ]);
  const started = new Map<string, { child: ChildProcess; port: number }>();
  try {
    for (const s of SERVERS) {
      const server = await startServer(s.server, s.patched);
      started.set(s.key, server);
      const where = allowedCpus(server.child.pid!);
      if (where !== CPU) throw new Error(`echo server ${s.key} runs on CPUs ${where}, not ${CPU}`);
      await probe(s.key, server.port);
    }
    const rows: { conns: number; measured: Awaited<ReturnType<typeof alternate>> }[] = [];
    for (const conns of CONCURRENCY) {
      const measured = await alternate(
        `C=${conns}`,
        SERVERS.map((s) => ({
          key: s.key,
          label: s.label,
          run: () => {
            const { child, port } = started.get(s.key)!;
            if (child.exitCode !== null)
              throw new Error(`echo server ${s.key} died (${child.exitCode})`);
            return load(client, child.pid!, port, conns);
          },
        })),
        { rounds: ROUNDS, floor: 'raw' },
      );
      rows.push({ conns, measured });
    }
    const cost = (conns: number, base: string, patched: string, field: 'cpuUs' | 'value') => {
      const m = rows.find((r) => r.conns === conns)!.measured;
      return pairRatio(byKey(m, patched), byKey(m, base), field)!;
    };
    const cpuOf = (conns: number, key: string) =>
      fmt(byKey(rows.find((r) => r.conns === conns)!.measured, key).cpu!.median);
    const md = [
      header('What monkeyPatch() costs a socket server: echo, patched vs unpatched', run),
      '',
      `64-byte ping-pong on 127.0.0.1, one message in flight per connection; every server and the client pinned to CPU ${CPU} with \`taskset -c ${CPU}\`. Each server is its own process (the patched ones call monkeyPatch() before they start) and passed the echo benchmark's correctness probe first. ${ROUNDS} rounds per C, the servers' order rotating; each round ${SECONDS} s measured after ${WARMUP} s of warm-up. Server CPU per round trip from /proc/<pid>/task/*/schedstat over exactly the measured window (benchmarks/echo-client.c). "patched / unpatched" is the median of per-round ratios with the lowest and highest round in brackets: above 1, monkeyPatch() costs that much more server CPU per message.`,
      '',
      '## Server CPU per round trip (µs)',
      '',
      table(
        [
          'C',
          'raw',
          'raw, patched',
          'patched / unpatched',
          'Verdant',
          'Verdant, patched',
          'patched / unpatched',
        ],
        rows.map(({ conns }) => [
          String(conns),
          cpuOf(conns, 'raw'),
          cpuOf(conns, 'raw-patched'),
          formatSpread(cost(conns, 'raw', 'raw-patched', 'cpuUs'), '×'),
          cpuOf(conns, 'green'),
          cpuOf(conns, 'green-patched'),
          formatSpread(cost(conns, 'green', 'green-patched', 'cpuUs'), '×'),
        ]),
        ['right', 'right', 'right', 'right', 'right', 'right', 'right'],
      ),
      '',
      '## Round trips per second (patched / unpatched, median of per-round ratios)',
      '',
      table(
        ['C', 'raw', 'Verdant'],
        rows.map(({ conns }) => [
          String(conns),
          formatSpread(cost(conns, 'raw', 'raw-patched', 'value'), '×'),
          formatSpread(cost(conns, 'green', 'green-patched', 'value'), '×'),
        ]),
        ['right', 'right', 'right'],
      ),
      '',
      '## Every round',
      '',
      ...rows.flatMap(({ conns, measured }) =>
        measured.map(
          (m) =>
            `- C = ${conns}, ${m.label}: rt/s ${m.values.map((v) => Math.round(v)).join(', ')}; CPU µs/rt ${m.cpuUs.map(fmt).join(', ')}`,
        ),
      ),
      '',
    ].join('\n');
    const svg = barChart({
      caption: 'echo server CPU µs per round trip (shorter is better)',
      groups: rows.map(({ conns, measured }) => ({
        title: `C = ${conns}`,
        bars: measured.map((m) => ({
          label: m.label,
          value: m.cpu!.median,
          color: m.key.startsWith('green') ? COLORS.verdant : COLORS.baseline,
          text: fmt(m.cpu!.median),
        })),
      })),
    });
    writeResults('attribution', {
      md,
      svg,
      json: { node: process.version, rounds: ROUNDS, cpu: CPU, results: rows },
    });
  } finally {
    for (const { child } of started.values()) child.kill();
  }
}

if (
  !(await serveIfAsked(async () => {
    if (process.argv.includes('--patched')) (await import('@verdant/patcher')).monkeyPatch();
  }))
)
  await bench();
