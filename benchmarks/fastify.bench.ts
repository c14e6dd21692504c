/**
 * An HTTP server built on fastify, served under monkeyPatch() in one process
 * and unpatched in another (issue 10 target: patched >= 0.95x), with the
 * same route: GET / answers a small JSON body. The load client (here, plain
 * Node net, keep-alive, one request in flight per connection) sends a fixed
 * number of requests over C connections to each server in turn, round after
 * round, the order rotating. Figures: requests per second and the server's
 * CPU µs per request (every thread, from /proc/<pid>/task/<tid>/schedstat,
 * over exactly the measured requests), as medians of per-round ratios
 * patched / unpatched with their spread.
 *
 * Run: npx pnpm@10 bench:fastify   (smoke run: add --quick)
 * Writes benchmarks/results/fastify.md, fastify.svg and fastify.json.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { fmt, formatSpread } from './lib/format.js';
import { sized } from './lib/options.js';
import { barChart, COLORS, header, npmPeer, startRun, table, writeResults } from './lib/report.js';
import { alternate, byKey, type Figure } from './lib/rounds.js';

const CONCURRENCY = [10, 100];
const REQUESTS = sized(20_000, 500);
const WARMUP_REQUESTS = sized(2_000, 100);
const ROUNDS = sized(7, 1);
/** The server runs on this CPU, the client on the other (a Node client is as busy as the server). */
const SERVER_CPU = '1';
const CLIENT_CPU = '0';
const REQUEST = Buffer.from('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');

/** CPU ns a process has used so far, every thread. */
function cpuNs(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended meanwhile
    }
  }
  return ns;
}

/** Sends `n` requests over `conns` keep-alive connections, one in flight on each; resolves when all were answered. */
function requests(port: number, conns: number, n: number): Promise<void> {
  let toSend = n;
  let toAnswer = n;
  return new Promise((resolve, reject) => {
    const open = (): void => {
      const sock = connect(port, '127.0.0.1');
      sock.setNoDelay(true);
      let buf: Buffer = Buffer.alloc(0);
      const next = (): void => {
        if (toSend === 0) {
          sock.end();
          return;
        }
        toSend--;
        sock.write(REQUEST);
      };
      sock.on('connect', next);
      sock.on('error', reject);
      sock.on('data', (chunk: Buffer) => {
        buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
        for (;;) {
          const end = buf.indexOf('\r\n\r\n');
          if (end < 0) return;
          const head = buf.subarray(0, end).toString('latin1');
          if (!head.startsWith('HTTP/1.1 200')) {
            reject(new Error(`fastify bench: unexpected response ${head.split('\r\n')[0]}`));
            sock.destroy();
            return;
          }
          const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? Number.NaN);
          if (!Number.isFinite(length)) {
            reject(new Error('fastify bench: response without content-length'));
            sock.destroy();
            return;
          }
          if (buf.length < end + 4 + length) return;
          buf = buf.subarray(end + 4 + length);
          if (--toAnswer === 0) resolve();
          next();
        }
      });
    };
    for (let i = 0; i < conns; i++) open();
  });
}

/** One measured run: requests/s and the server's CPU µs per request. */
async function load(pid: number, port: number, conns: number): Promise<Figure> {
  await requests(port, conns, WARMUP_REQUESTS);
  const cpu0 = cpuNs(pid);
  const t0 = performance.now();
  await requests(port, conns, REQUESTS);
  const wallMs = performance.now() - t0;
  const cpuUs = (cpuNs(pid) - cpu0) / 1000 / REQUESTS;
  return { value: (REQUESTS / wallMs) * 1000, cpuUs };
}

function startServer(patched: boolean): Promise<{ child: ChildProcess; port: number }> {
  const self = fileURLToPath(import.meta.url);
  const args = ['-c', SERVER_CPU, process.execPath, '--import', 'tsx', self, '--server'];
  if (patched) args.push('--patched');
  const child = spawn('taskset', args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, VERDANT_LOG_LEVEL: 'warn' },
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`fastify server exited (${code}) before listening`)),
    );
    child.stdout!.once('data', (d: Buffer) =>
      resolve({ child, port: Number(d.toString().trim()) }),
    );
  });
}

/** The server: fastify, one JSON route; patched first when asked. */
async function serve(patched: boolean): Promise<void> {
  if (patched) (await import('@verdant/patcher')).monkeyPatch();
  const { default: Fastify } = await import('fastify');
  const app = Fastify({ logger: false });
  app.get('/', async () => ({ hello: 'world' }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`${(app.server.address() as { port: number }).port}\n`);
}

async function bench(): Promise<void> {
  const run = startRun('npx pnpm@10 bench:fastify', [npmPeer('fastify')]);
  const { execFileSync } = await import('node:child_process');
  // The client runs here: pin this process to the client's CPU.
  execFileSync('taskset', ['-p', '-c', CLIENT_CPU, String(process.pid)], { stdio: 'ignore' });
  const servers = {
    unpatched: await startServer(false),
    patched: await startServer(true),
  };
  try {
    const rows: { conns: number; measured: Awaited<ReturnType<typeof alternate>> }[] = [];
    for (const conns of CONCURRENCY) {
      const measured = await alternate(
        `C=${conns}`,
        (['unpatched', 'patched'] as const).map((key) => ({
          key,
          label: key === 'patched' ? 'fastify under monkeyPatch()' : 'fastify, unpatched',
          run: () => {
            const { child, port } = servers[key];
            if (child.exitCode !== null) throw new Error(`fastify ${key} died (${child.exitCode})`);
            return load(child.pid!, port, conns);
          },
        })),
        { rounds: ROUNDS, floor: 'unpatched' },
      );
      rows.push({ conns, measured });
    }
    const md = [
      header('fastify: served under monkeyPatch() vs unpatched', run),
      '',
      `One fastify route (GET / answers {"hello":"world"}), each server in its own process pinned to CPU ${SERVER_CPU}; the patched one calls monkeyPatch() before it imports fastify. The load client (plain Node net, keep-alive, one request in flight per connection, every response checked for status 200 and its full body) runs pinned to CPU ${CLIENT_CPU}: ${WARMUP_REQUESTS} warm-up requests, then ${REQUESTS} measured, per run. ${ROUNDS} rounds per C, the servers' order rotating. Server CPU from /proc/<pid>/task/<tid>/schedstat over exactly the measured requests. "patched / unpatched" is the median of per-round ratios, lowest and highest round in brackets.`,
      '',
      table(
        [
          'C',
          'unpatched req/s',
          'patched req/s',
          'patched / unpatched (rate)',
          'unpatched CPU µs/req',
          'patched CPU µs/req',
          'patched / unpatched (CPU)',
        ],
        rows.map(({ conns, measured }) => {
          const u = byKey(measured, 'unpatched');
          const p = byKey(measured, 'patched');
          return [
            String(conns),
            Math.round(u.value.median).toLocaleString('en-US'),
            Math.round(p.value.median).toLocaleString('en-US'),
            formatSpread(p.ratio!, '×'),
            fmt(u.cpu!.median),
            fmt(p.cpu!.median),
            formatSpread(p.cpuRatio!, '×'),
          ];
        }),
        ['right', 'right', 'right', 'right', 'right', 'right', 'right'],
      ),
      '',
      'Target (issue 10): patched rate >= 0.95x unpatched.',
      '',
      '## Every round',
      '',
      ...rows.flatMap(({ conns, measured }) =>
        measured.map(
          (m) =>
            `- C = ${conns}, ${m.label}: req/s ${m.values.map((v) => Math.round(v)).join(', ')}; CPU µs/req ${m.cpuUs.map(fmt).join(', ')}`,
        ),
      ),
      '',
    ].join('\n');
    const svg = barChart({
      caption: 'fastify requests per second (longer is better)',
      groups: rows.map(({ conns, measured }) => ({
        title: `C = ${conns}`,
        bars: measured.map((m) => ({
          label: m.label,
          value: m.value.median,
          color: m.key === 'patched' ? COLORS.verdant : COLORS.baseline,
          text: Math.round(m.value.median).toLocaleString('en-US'),
        })),
      })),
    });
    writeResults('fastify', {
      md,
      svg,
      json: { node: process.version, rounds: ROUNDS, results: rows },
    });
  } finally {
    servers.unpatched.child.kill();
    servers.patched.child.kill();
  }
}

if (process.argv.includes('--server')) await serve(process.argv.includes('--patched'));
else await bench();
