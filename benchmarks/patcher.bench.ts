/**
 * Patched vs unpatched throughput (issue 6), each side in its own process,
 * alternating, in one run:
 *   1. a node:http server under keep-alive load, unpatched vs monkeyPatch()
 *   2. 10,000 connects to `localhost` by name (1,000 in flight), unpatched vs
 *      the socket flag (dns.lookup off libuv's thread pool)
 *   3. 1,000 Workers each echoing one message (16 alive at a time), real
 *      threads vs the thread flag (green threads in-process)
 *   4. undici requests against a local server, plain vs importPatched('undici')
 * Both sides of every pair load @verdant/patcher, so only the patching differs.
 * The ratio is the median of per-round ratios (patched / unpatched) with its
 * spread; each child also reports its CPU per operation (server and client
 * share the child, so it is the whole process's).
 *
 * Run: npx pnpm@10 bench:patcher   (smoke run: add --quick)
 * Writes benchmarks/results/patcher.md, patcher.svg and patcher.json.
 */
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importPatched, monkeyPatch } from '@verdant/patcher';
import { selfCpuUs } from './lib/cpu.js';
import { QUICK, sized } from './lib/options.js';
import { type PairRow, pairChart, pairRounds, pairTable } from './lib/pair-report.js';
import { header, startRun, writeResults } from './lib/report.js';
import { alternate, type Figure } from './lib/rounds.js';

const COMMAND = 'npx pnpm@10 bench:patcher';
const HTTP_REQUESTS = sized(20_000, 300);
const HTTP_C = 32;
const CONNECTS = sized(10_000, 200);
const CONNECTS_IN_FLIGHT = sized(1_000, 100);
const WORKERS = sized(1_000, 10);
const WORKERS_ALIVE = 16;
const CLIENT_REQUESTS = sized(5_000, 200);
const CLIENT_C = 16;

/** Operations per second, and the child's CPU µs per operation. */
type Result = Figure;

function listen(server: http.Server | net.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () =>
      resolve((server.address() as { port: number }).port),
    ),
  );
}

async function pool(total: number, width: number, one: () => Promise<void>): Promise<Result> {
  let started = 0;
  const lane = async (): Promise<void> => {
    while (started < total) {
      started++;
      await one();
    }
  };
  const cpu0 = selfCpuUs();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: width }, lane));
  return {
    value: (total / (performance.now() - t0)) * 1000,
    cpuUs: (selfCpuUs() - cpu0) / total,
  };
}

async function httpLoad(): Promise<Result> {
  const server = http.createServer((_req, res) => res.end('ok'));
  const port = await listen(server);
  const agent = new http.Agent({ keepAlive: true, maxSockets: HTTP_C });
  const r = await pool(
    HTTP_REQUESTS,
    HTTP_C,
    () =>
      new Promise((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, agent, path: '/' }, (res) => {
            res.resume();
            res.on('end', resolve);
          })
          .on('error', reject);
      }),
  );
  agent.destroy();
  server.close();
  return r;
}

async function connects(): Promise<Result> {
  const server = net.createServer((s) => s.destroy());
  const port = await listen(server);
  const r = await pool(
    CONNECTS,
    CONNECTS_IN_FLIGHT,
    () =>
      new Promise((resolve, reject) => {
        const s = net.connect(port, 'localhost', () => {
          s.destroy();
          resolve();
        });
        s.on('error', reject);
      }),
  );
  server.close();
  return r;
}

const ECHO = `const { parentPort } = require('worker_threads');
parentPort.once('message', (m) => { parentPort.postMessage(m); parentPort.close(); });`;

async function workers(): Promise<Result> {
  const { Worker } = await import('node:worker_threads');
  const r = await pool(
    WORKERS,
    WORKERS_ALIVE,
    () =>
      new Promise((resolve, reject) => {
        const w = new Worker(ECHO, { eval: true });
        w.once('message', () => undefined);
        w.once('error', reject);
        w.once('exit', () => resolve());
        w.postMessage('ping');
      }),
  );
  return r;
}

async function client(patched: boolean): Promise<Result> {
  const server = http.createServer((_req, res) => res.end('ok'));
  const port = await listen(server);
  // The little of undici's API used here (it is not a dependency of the benchmarks folder).
  type Undici = {
    Agent: new (options: { connections: number }) => { close(): Promise<void> };
    request(
      url: string,
      options: { dispatcher: unknown },
    ): Promise<{ body: { text(): Promise<string> } }>;
  };
  // undici is @verdant/patcher's dev dependency: resolve it from there.
  const where = createRequire(
    join(import.meta.dirname, '..', 'packages', 'patcher', 'package.json'),
  ).resolve('undici');
  const undici = (
    patched ? importPatched(where) : await import(pathToFileURL(where).href)
  ) as Undici;
  const dispatcher = new undici.Agent({ connections: CLIENT_C });
  const r = await pool(CLIENT_REQUESTS, CLIENT_C, async () => {
    const r = await undici.request(`http://127.0.0.1:${port}/`, { dispatcher });
    await r.body.text();
  });
  await dispatcher.close();
  server.close();
  return r;
}

async function child(mode: string): Promise<void> {
  const [what, side] = mode.split(':') as [string, 'plain' | 'patched'];
  const patched = side === 'patched';
  let r: Result;
  if (what === 'http') {
    if (patched) monkeyPatch();
    r = await httpLoad();
  } else if (what === 'connect') {
    if (patched) monkeyPatch({ socket: true });
    r = await connects();
  } else if (what === 'workers') {
    if (patched) monkeyPatch({ thread: true });
    r = await workers();
  } else {
    r = await client(patched);
  }
  process.stdout.write(`${JSON.stringify(r)}\n`);
}

async function measure(mode: string): Promise<Figure> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, mode], {
    encoding: 'utf8',
    env: { ...process.env, VERDANT_LOG_LEVEL: 'silent', BENCH_QUICK: QUICK ? '1' : '' },
    timeout: 120_000,
  });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !last.startsWith('{')) {
    throw new Error(`bench child ${mode} failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  }
  return JSON.parse(last) as Result;
}

async function main(): Promise<void> {
  const mode = process.argv.slice(2).find((a) => !a.startsWith('--'));
  if (mode !== undefined) return child(mode);
  const started = startRun(COMMAND);
  const pairs: [what: string, rounds: number, row: Omit<PairRow, 'measured' | 'better'>][] = [
    [
      'http',
      sized(5, 1),
      {
        what: `node:http server, keep-alive, C=${HTTP_C}`,
        unit: 'req/s',
        sides: ['unpatched', 'monkeyPatch()'],
        target: '≥ 0.95×',
      },
    ],
    [
      'connect',
      sized(3, 1),
      {
        what: `${CONNECTS} connects to localhost by name`,
        unit: 'conn/s',
        sides: ['unpatched', 'socket flag'],
      },
    ],
    [
      'workers',
      sized(2, 1),
      {
        what: `${WORKERS} echo Workers`,
        unit: 'workers/s',
        sides: ['real threads', 'thread flag'],
      },
    ],
    [
      'client',
      sized(3, 1),
      {
        what: `undici, C=${CLIENT_C}`,
        unit: 'req/s',
        sides: ['plain import', 'importPatched'],
        target: '≥ 0.95×',
      },
    ],
  ];
  const rows: PairRow[] = [];
  for (const [what, rounds, row] of pairs) {
    const measured = await alternate(
      what,
      [
        { key: 'floor', label: row.sides[0], warmup: false, run: () => measure(`${what}:plain`) },
        {
          key: 'verdant',
          label: row.sides[1],
          warmup: false,
          run: () => measure(`${what}:patched`),
        },
      ],
      { rounds, floor: 'floor' },
    );
    rows.push({ ...row, better: 'higher', measured });
  }
  const md = [
    header('@verdant/patcher: patched vs unpatched', started),
    '',
    'Alternating runs, each side in its own process (the order rotates each round); both sides load @verdant/patcher, only the patching differs. "Verdant / floor" is the median of per-round patched / unpatched ratios, with the lowest and highest round in brackets. CPU is the child process\'s (server and client share it) per operation.',
    '',
    pairTable(rows),
    '',
    '## Every round',
    '',
    ...pairRounds(rows),
    '',
    `Connects: ${CONNECTS_IN_FLIGHT} in flight at a time. Workers: ${WORKERS_ALIVE} alive at a time, each started with eval code that echoes one message and closes its port.`,
    '',
    '![chart](patcher.svg)',
    '',
  ].join('\n');
  writeResults('patcher', {
    md,
    svg: pairChart('patched vs unpatched, higher is better (bars scaled per scenario)', rows),
    json: { command: started.command, node: process.version, quick: started.quick, rows },
  });
}

await main();
