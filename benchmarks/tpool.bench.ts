/**
 * tpool benchmark (issue 5): what going through a green thread and the tpool
 * pool adds over calling a worker_threads pool directly with promises.
 * Same worker count, same task module, side by side in one process, in
 * alternating rounds; the ratio is the median of per-round ratios, with the
 * process's CPU (every thread, the workers' too) per job beside it.
 * - throughput: 2000 small jobs, 8 callers in flight (green threads / async loops)
 * - latency: one job at a time, 1000 round trips, µs per call
 *
 * Run: npx pnpm@10 bench:tpool   (smoke run: add --quick)
 * Writes benchmarks/results/tpool.md, tpool.svg and tpool.json.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { tpool } from '@verdant/green';
import { run, spawn } from '@verdant/hub';
import { selfCpuUs } from './lib/cpu.js';
import { sized } from './lib/options.js';
import { type PairRow, pairChart, pairRounds, pairTable } from './lib/pair-report.js';
import { header, startRun, writeResults } from './lib/report.js';
import { alternate, byKey, type Figure } from './lib/rounds.js';

const COMMAND = 'npx pnpm@10 bench:tpool';
const WORKERS = 2;
const JOBS = sized(2000, 100);
const CALLERS = 8;
const LATENCY_CALLS = sized(1000, 50);
const ROUNDS = sized(7, 2);

const dir = mkdtempSync(join(tmpdir(), 'verdant-tpool-bench-'));
const taskPath = join(dir, 'task.mjs');
// A small job: ~20 µs of arithmetic, so the pool's own cost is visible.
writeFileSync(
  taskPath,
  'export function work(n) { let s = 0; for (let i = 0; i < n; i++) s = (s + i * i) % 1000003; return s; }\n',
);
const taskUrl = pathToFileURL(taskPath).href;
const N = 20_000;

/** The baseline: a plain promise-based pool over worker_threads, no green threads. */
class RawPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waiting: (() => void)[] = [];
  private readonly pending = new Map<Worker, (v: unknown) => void>();
  constructor(size: number) {
    const src = `const { parentPort, workerData } = require('node:worker_threads');
      let mod; parentPort.on('message', async (a) => { mod ??= await import(workerData); parentPort.postMessage(mod.work(a)); });`;
    for (let i = 0; i < size; i++) {
      const w = new Worker(src, { eval: true, workerData: taskUrl });
      w.on('message', (v) => {
        const done = this.pending.get(w)!;
        this.pending.delete(w);
        this.release(w);
        done(v);
      });
      this.workers.push(w);
      this.idle.push(w);
    }
  }
  private release(w: Worker): void {
    this.idle.push(w);
    this.waiting.shift()?.();
  }
  async call(arg: number): Promise<unknown> {
    while (this.idle.length === 0) await new Promise<void>((r) => this.waiting.push(r));
    const w = this.idle.pop()!;
    return new Promise((resolve) => {
      this.pending.set(w, resolve);
      w.postMessage(arg);
    });
  }
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** jobs/s, and the process's CPU µs per job. */
function rate(jobs: number, t0: number, cpu0: number): Figure {
  return {
    value: (jobs / (performance.now() - t0)) * 1000,
    cpuUs: (selfCpuUs() - cpu0) / jobs,
  };
}

/** µs per call, and the process's CPU µs per call. */
function latency(calls: number, t0: number, cpu0: number): Figure {
  return {
    value: ((performance.now() - t0) * 1000) / calls,
    cpuUs: (selfCpuUs() - cpu0) / calls,
  };
}

async function rawThroughput(pool: RawPool): Promise<Figure> {
  let next = 0;
  const cpu0 = selfCpuUs();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (next++ < JOBS) await pool.call(N);
    }),
  );
  return rate(JOBS, t0, cpu0);
}

async function verdantThroughput(): Promise<Figure> {
  return run(function* () {
    let next = 0;
    const cpu0 = selfCpuUs();
    const t0 = performance.now();
    const callers = Array.from({ length: CALLERS }, () =>
      spawn(function* () {
        while (next++ < JOBS) yield* tpool.execute(taskUrl, 'work', N);
      }),
    );
    for (const c of callers) yield* c.wait();
    return rate(JOBS, t0, cpu0);
  });
}

async function rawLatency(pool: RawPool): Promise<Figure> {
  const cpu0 = selfCpuUs();
  const t0 = performance.now();
  for (let i = 0; i < LATENCY_CALLS; i++) await pool.call(1);
  return latency(LATENCY_CALLS, t0, cpu0);
}

async function verdantLatency(): Promise<Figure> {
  return run(function* () {
    const cpu0 = selfCpuUs();
    const t0 = performance.now();
    for (let i = 0; i < LATENCY_CALLS; i++) yield* tpool.execute(taskUrl, 'work', 1);
    return latency(LATENCY_CALLS, t0, cpu0);
  });
}

async function main(): Promise<void> {
  const started = startRun(COMMAND);
  tpool.configure({ size: WORKERS, idleTimeoutMs: 60_000 });
  const raw = new RawPool(WORKERS);
  /** The two pools head to head, in alternating rounds. */
  const pools = (title: string, floor: () => Promise<Figure>, verdant: () => Promise<Figure>) =>
    alternate(
      title,
      [
        { key: 'floor', label: 'raw promise pool over worker_threads', run: floor },
        { key: 'verdant', label: 'Verdant yield* tpool.execute', run: verdant },
      ],
      { rounds: ROUNDS, floor: 'floor', warmupMs: 0 },
    );
  const sides: PairRow['sides'] = ['raw promise pool', 'tpool.execute'];
  const rows: PairRow[] = [
    {
      what: `throughput, ${JOBS} jobs, ${CALLERS} callers, ${WORKERS} workers`,
      unit: 'jobs/s',
      better: 'higher',
      sides,
      measured: await pools('throughput', () => rawThroughput(raw), verdantThroughput),
    },
    {
      what: 'latency, one job at a time',
      unit: 'µs',
      better: 'lower',
      sides,
      measured: await pools('latency', () => rawLatency(raw), verdantLatency),
    },
  ];
  await raw.close();
  await run(tpool.killall);
  rmSync(dir, { recursive: true, force: true });

  const lat = rows[1]!.measured;
  const added = byKey(lat, 'verdant').value.median - byKey(lat, 'floor').value.median;
  const md = `${header('tpool benchmark', started)}

Medians of ${ROUNDS} alternating rounds after one warm-up run each; "Verdant / floor" is the median of per-round ratios, with the lowest and highest round in brackets. CPU is the whole process's (every thread, the pool's workers too) per job. One job at a time, Verdant adds ${added.toFixed(1)} µs per call (difference of the medians).

${pairTable(rows)}

## Every round

${pairRounds(rows).join('\n')}

## Notes

- Both pools run the same module (\`work(n)\`: a ${N}-step arithmetic loop, a few µs to tens of µs per job) in ${WORKERS} workers started with \`eval\`; arguments and results are small numbers, so the figures are dominated by the round trip: postMessage to the worker, the reply, and on the Verdant side the green thread's park and resume (one hub drain per loop turn).
- The raw pool is the least a promise user would write: an idle-worker stack, a waiting list, one promise per call. Verdant's pool also records the caller's stack for error reports, keeps its idle probe and supports cancelling a queued or running job when the caller is killed.
- Samples vary with the machine's load (shared with other runs); compare the per-round ratios, not the absolute figures.

![chart](tpool.svg)
`;
  writeResults('tpool', {
    md,
    svg: pairChart('tpool: Verdant vs a raw promise pool (bars scaled per row)', rows),
    json: { command: started.command, node: process.version, quick: started.quick, rows },
  });
}

await main();
