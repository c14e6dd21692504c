/**
 * TCP echo, 64-byte ping-pong on 127.0.0.1 at C = 1, 10, 100, 1000
 * connections: raw Node `net` callbacks (the floor), Verdant's green server
 * (`socket.serve` + `recv` / `sendall`), Effect 4's socket server
 * (@effect/platform-node), and gevent's and eventlet's (Debian's
 * python3-gevent / python3-eventlet, when installed). Each server is its own
 * process; the load client is benchmarks/echo-client.c, compiled here with
 * `cc`. By default every server and the client are pinned to one CPU with
 * `taskset -c` (unpinned placement varies the same code by 30% on a 2-core
 * machine); `--unpinned` leaves placement to the kernel, `--cpu N` picks the
 * CPU. Every server must pass a correctness probe (echo/probe.ts) before it
 * is timed. The servers run in alternating rounds at each C; the figure is
 * the server's CPU time per round trip, as the median of per-round ratios to
 * the raw floor, with its spread; round trips per second beside it.
 *
 * Run: npx pnpm@10 bench:echo   (smoke run: add --quick; also --unpinned, --cpu N)
 * Writes benchmarks/results/echo.md, echo.svg and echo.json.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { probe } from './echo/probe.js';
import { EVENTLET, GEVENT, serveIfAsked } from './echo/servers.js';
import { allowedCpus } from './lib/cpu.js';
import { fmt, formatSpread } from './lib/format.js';
import { flag, option, sized } from './lib/options.js';
import {
  barChart,
  COLORS,
  header,
  npmPeer,
  type Run,
  startRun,
  table,
  writeResults,
} from './lib/report.js';
import { alternate, byKey, type Figure, type Measured } from './lib/rounds.js';

const COMMAND = 'npx pnpm@10 bench:echo';
const CONCURRENCY = [1, 10, 100, 1000];
const SECONDS = sized(1, 0.1);
const WARMUP = sized(0.3, 0.05);
const ROUNDS = sized(7, 1);
/** Before the first C, each server runs this long at C = 100, unrecorded (JIT). */
const PREWARM = sized(1, 0);
/** After each run, so the server that just ran has closed its connections before the next starts. */
const SETTLE_MS = sized(100, 10);
const SIZE = 64;
const PINNED = !flag('unpinned');
const CPU = option('cpu') ?? String(availableParallelism() - 1);
const PYTHON = '/usr/bin/python3';
const TARGET = 1.0;

const run$ = promisify(execFile);

interface Server {
  key: string;
  /** The column's name: Verdant, Effect, gevent. */
  short: string;
  label: string;
  command: [string, string[]];
}

/** The command, pinned to CPU when pinning. */
function pinned(file: string, args: string[]): [string, string[]] {
  return PINNED ? ['taskset', ['-c', CPU, file, ...args]] : [file, args];
}

function pythonModuleVersion(module: string): string | undefined {
  if (!existsSync(PYTHON)) return undefined;
  try {
    const code = `import ${module}; print(${module}.__version__)`;
    return execFileSync(PYTHON, ['-c', code], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

function startServer(s: Server): Promise<{ child: ChildProcess; port: number }> {
  const [file, args] = pinned(...s.command);
  const child = spawn(file, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, VERDANT_LOG_LEVEL: 'warn' },
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`echo server ${s.key} exited (${code}) before listening`)),
    );
    child.stdout!.once('data', (d: Buffer) =>
      resolve({ child, port: Number(d.toString().trim()) }),
    );
  });
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One client run: round trips/s, and the server's CPU µs per round trip over the measured window. */
async function load(
  client: string,
  pid: number,
  port: number,
  conns: number,
  secs = SECONDS,
): Promise<Figure> {
  const [file, args] = pinned(client, [
    String(port),
    String(conns),
    String(secs),
    String(SIZE),
    String(WARMUP),
    String(pid),
  ]);
  const { stdout } = await run$(file, args, { encoding: 'utf8' });
  const [rate, , measured, cpuNs] = stdout.trim().split(' ').map(Number) as [
    number,
    number,
    number,
    number,
  ];
  await pause(SETTLE_MS);
  return { value: rate, cpuUs: measured > 0 ? cpuNs / 1000 / measured : Number.NaN };
}

interface AtC {
  conns: number;
  measured: Measured[];
}

function report(
  run: Run,
  servers: Server[],
  skipped: string[],
  results: AtC[],
  pinning: string,
): void {
  const others = servers.filter((s) => s.key !== 'raw');
  const cell = (m: Measured, what: 'cpu' | 'value'): string =>
    what === 'cpu' ? `${fmt(m.cpu!.median)}` : Math.round(m.value.median).toLocaleString('en-US');
  const ratio = (m: Measured, what: 'cpu' | 'value'): string => {
    const s = what === 'cpu' ? m.cpuRatio : m.ratio;
    return s ? formatSpread(s, '×') : '—';
  };
  const tableOf = (what: 'cpu' | 'value'): string =>
    table(
      [
        'C',
        'raw Node net',
        ...others.flatMap((s) => [s.label, `${s.short} × raw`]),
        ...(what === 'cpu' ? ['target (Verdant)', 'met?'] : []),
      ],
      results.map(({ conns, measured }) => {
        const green = byKey(measured, 'green');
        const met = (green.cpuRatio?.median ?? Number.POSITIVE_INFINITY) <= TARGET;
        return [
          String(conns),
          cell(byKey(measured, 'raw'), what),
          ...others.flatMap((s) => [
            cell(byKey(measured, s.key), what),
            ratio(byKey(measured, s.key), what),
          ]),
          ...(what === 'cpu' ? [`≤ ${TARGET.toFixed(1)}× raw`, met ? 'yes' : '**no**'] : []),
        ];
      }),
      ['right', 'right', ...others.flatMap(() => ['right', 'right'] as const), 'left', 'left'],
    );
  const md = [
    header('TCP echo: Verdant vs raw Node callbacks vs Effect 4, gevent, eventlet', run),
    '',
    `64-byte ping-pong on 127.0.0.1, one message in flight per connection. ${pinning} Each server is its own process and passed a correctness probe first (every byte back in order, 1 B to 256 KiB, 10 connections at once, closes after the client). ${ROUNDS} alternating round(s) per C (the servers' order rotates each round); each round is ${SECONDS} s measured after ${WARMUP} s of warm-up on fresh connections; before the first C every server ran ${PREWARM} s at C = 100 unrecorded. Load client: benchmarks/echo-client.c (C, epoll, one thread).`,
    '',
    skipped.length ? `Not measured: ${skipped.join('; ')}.` : 'Every peer was measured.',
    '',
    '## Server CPU per round trip (µs), the figure',
    '',
    'The server process\'s CPU time (every thread, from /proc/<pid>/task/*/schedstat, read by the client at the start and the end of exactly the measured window) divided by the round trips in that window. "× raw" is the median of per-round ratios to the raw Node server, with the lowest and highest round in brackets: below 1, the server spends less CPU per message than raw Node callbacks.',
    '',
    tableOf('cpu'),
    '',
    '## Round trips per second',
    '',
    'Medians; "× raw" is the median of per-round ratios (above 1: faster than raw Node). With both processes on one CPU, the rate is bounded by the server and the client together.',
    '',
    tableOf('value'),
    '',
    '## Every round',
    '',
    ...results.flatMap(({ conns, measured }) =>
      measured.map(
        (m) =>
          `- C = ${conns}, ${m.label}: rt/s ${m.values.map((v) => Math.round(v)).join(', ')}; CPU µs/rt ${m.cpuUs.map(fmt).join(', ')}`,
      ),
    ),
    '',
    '![chart](echo.svg)',
    '',
  ].join('\n');
  const svg = barChart({
    caption: 'TCP echo, 64 B ping-pong: server CPU µs per round trip (lower is better)',
    subtitle: `${run.quick ? 'QUICK SMOKE RUN, figures mean nothing; ' : ''}${PINNED ? `server and client pinned to CPU ${CPU}` : 'unpinned'}; Node ${process.version}`,
    width: 760,
    groups: results.map(({ conns, measured }) => ({
      title: `C = ${conns}`,
      bars: measured.map((m) => ({
        label: m.key,
        value: m.cpu!.median,
        color: COLOR[m.key] ?? '#999',
        text: `${fmt(m.cpu!.median)} µs${m.cpuRatio ? ` = ${formatSpread(m.cpuRatio, '×')} raw` : ''}`,
      })),
    })),
  });
  const json = {
    command: run.command,
    node: process.version,
    peers: run.peers,
    quick: run.quick,
    pinning,
    skipped,
    results,
  };
  writeResults('echo', { md, svg, json });
}

const COLOR: Record<string, string> = {
  raw: COLORS.baseline,
  green: COLORS.verdant,
  effect: COLORS.effect,
  gevent: COLORS.gevent,
  eventlet: COLORS.eventlet,
};

async function bench(): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  const node = (name: string): [string, string[]] => [
    process.execPath,
    ['--import', 'tsx', self, '--server', name],
  ];
  const servers: Server[] = [
    { key: 'raw', short: 'raw', label: 'raw Node net (callbacks)', command: node('raw') },
    {
      key: 'green',
      short: 'Verdant',
      label: 'Verdant (serve + recv/sendall)',
      command: node('green'),
    },
    {
      key: 'effect',
      short: 'Effect',
      label: 'Effect 4 (NodeSocketServer)',
      command: node('effect'),
    },
  ];
  const peers = [npmPeer('effect'), npmPeer('@effect/platform-node')];
  const skipped: string[] = [];
  for (const [key, label, script] of [
    ['gevent', 'gevent StreamServer', GEVENT],
    ['eventlet', 'eventlet.serve', EVENTLET],
  ] as const) {
    const version = pythonModuleVersion(key);
    if (version === undefined) {
      skipped.push(`${key} (Debian's python3-${key} is not installed)`);
      continue;
    }
    servers.push({ key, short: key, label, command: [PYTHON, ['-c', script]] });
    peers.push(`${key} ${version}`);
  }
  if (servers.length > 3) {
    peers.push(
      `Python ${execFileSync(PYTHON, ['-c', 'import platform; print(platform.python_version())'], { encoding: 'utf8' }).trim()}`,
    );
  }
  const run = startRun(COMMAND, peers);
  for (const s of skipped) process.stdout.write(`skipping ${s}\n`);
  if (PINNED && !/^\d+$/.test(CPU)) throw new RangeError(`--cpu ${CPU}: expected one CPU number`);

  const client = join(mkdtempSync(join(tmpdir(), 'verdant-echo-')), 'echo-client');
  execFileSync('cc', [
    '-O2',
    '-o',
    client,
    fileURLToPath(new URL('echo-client.c', import.meta.url)),
  ]);

  const started = new Map<string, { child: ChildProcess; port: number }>();
  try {
    for (const s of servers) {
      const server = await startServer(s);
      started.set(s.key, server);
      const where = allowedCpus(server.child.pid!);
      if (PINNED && where !== CPU)
        throw new Error(`echo server ${s.key} runs on CPUs ${where}, not ${CPU}`);
      await probe(s.key, server.port);
    }
    const pinning = PINNED
      ? `Every server and the client pinned to CPU ${CPU} with \`taskset -c ${CPU}\` (checked in /proc/<pid>/status).`
      : 'Unpinned (`--unpinned`): the kernel places the servers and the client.';
    process.stdout.write(
      `${pinning}\nall ${servers.length} servers passed the correctness probe\n`,
    );
    if (PREWARM > 0) {
      for (const s of servers) {
        const { child, port } = started.get(s.key)!;
        await load(client, child.pid!, port, 100, PREWARM);
      }
    }
    const results: AtC[] = [];
    for (const conns of CONCURRENCY) {
      const measured = await alternate(
        `C=${conns}`,
        servers.map((s) => ({
          key: s.key,
          label: s.label,
          warmup: false,
          run: () => {
            const { child, port } = started.get(s.key)!;
            if (child.exitCode !== null)
              throw new Error(`echo server ${s.key} died (${child.exitCode})`);
            return load(client, child.pid!, port, conns);
          },
        })),
        { rounds: ROUNDS, floor: 'raw' },
      );
      results.push({ conns, measured });
    }
    report(run, servers, skipped, results, pinning);
  } finally {
    for (const { child } of started.values()) child.kill();
  }
}

if (!(await serveIfAsked())) await bench();
