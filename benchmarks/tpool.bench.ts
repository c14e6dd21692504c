/**
 * tpool benchmark (issue 5): what going through a green thread and the tpool
 * pool adds over calling a worker_threads pool directly with promises.
 * Same worker count, same task module, side by side in one process,
 * interleaved rounds, medians.
 * - throughput: 2000 small jobs, 8 callers in flight (green threads / async loops)
 * - latency: one job at a time, 1000 round trips, µs per call
 *
 * Run: npx --yes pnpm@10 build && node --import tsx benchmarks/tpool.bench.ts
 * Writes benchmarks/results/tpool.md and tpool.svg.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { tpool } from '@verdant/green';
import { run, spawn } from '@verdant/hub';
import { median } from './lib/median.js';
import { barChart, header, startRun, table, versus, writeResults } from './lib/report.js';

const COMMAND = 'npx --yes pnpm@10 build && node --import tsx benchmarks/tpool.bench.ts';
const WORKERS = 2;
const JOBS = 2000;
const CALLERS = 8;
const LATENCY_CALLS = 1000;
const ROUNDS = 5;

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

async function rawThroughput(pool: RawPool): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (next++ < JOBS) await pool.call(N);
    }),
  );
  return (JOBS / (performance.now() - t0)) * 1000;
}

async function verdantThroughput(): Promise<number> {
  return run(function* () {
    let next = 0;
    const t0 = performance.now();
    const callers = Array.from({ length: CALLERS }, () =>
      spawn(function* () {
        while (next++ < JOBS) yield* tpool.execute(taskUrl, 'work', N);
      }),
    );
    for (const c of callers) yield* c.wait();
    return (JOBS / (performance.now() - t0)) * 1000;
  });
}

async function rawLatency(pool: RawPool): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < LATENCY_CALLS; i++) await pool.call(1);
  return ((performance.now() - t0) * 1000) / LATENCY_CALLS;
}

async function verdantLatency(): Promise<number> {
  return run(function* () {
    const t0 = performance.now();
    for (let i = 0; i < LATENCY_CALLS; i++) yield* tpool.execute(taskUrl, 'work', 1);
    return ((performance.now() - t0) * 1000) / LATENCY_CALLS;
  });
}

async function main(): Promise<void> {
  const started = startRun(COMMAND);
  tpool.configure({ size: WORKERS, idleTimeoutMs: 60_000 });
  const raw = new RawPool(WORKERS);
  // Warm up both pools (worker start-up, module import, JIT).
  await rawThroughput(raw);
  await verdantThroughput();
  const samples = {
    rawTp: [] as number[],
    vTp: [] as number[],
    rawLat: [] as number[],
    vLat: [] as number[],
  };
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) {
      samples.rawTp.push(await rawThroughput(raw));
      samples.vTp.push(await verdantThroughput());
      samples.rawLat.push(await rawLatency(raw));
      samples.vLat.push(await verdantLatency());
    } else {
      samples.vTp.push(await verdantThroughput());
      samples.rawTp.push(await rawThroughput(raw));
      samples.vLat.push(await verdantLatency());
      samples.rawLat.push(await rawLatency(raw));
    }
  }
  await raw.close();
  await run(tpool.killall);
  rmSync(dir, { recursive: true, force: true });

  const rawTp = median(samples.rawTp);
  const vTp = median(samples.vTp);
  const rawLat = median(samples.rawLat);
  const vLat = median(samples.vLat);
  const lines = [
    `throughput (${JOBS} jobs, ${CALLERS} callers, ${WORKERS} workers): verdant ${vTp.toFixed(0)} jobs/s, raw ${rawTp.toFixed(0)} jobs/s, ratio ${(vTp / rawTp).toFixed(2)}×`,
    `latency (1 job at a time): verdant ${vLat.toFixed(1)} µs, raw ${rawLat.toFixed(1)} µs, added ${(vLat - rawLat).toFixed(1)} µs (${(vLat / rawLat).toFixed(2)}×)`,
  ];
  for (const l of lines) console.log(l);

  const md = `${header('tpool benchmark', started)}
Medians of ${ROUNDS} interleaved rounds after one warm-up round each.

${table(
  [
    'what',
    'Verdant (`yield* tpool.execute` in green threads)',
    'raw (promise pool over worker_threads)',
    'ratio',
  ],
  [
    [
      `throughput, ${JOBS} jobs, ${CALLERS} callers, ${WORKERS} workers`,
      `${vTp.toFixed(0)} jobs/s`,
      `${rawTp.toFixed(0)} jobs/s`,
      `${(vTp / rawTp).toFixed(2)}×`,
    ],
    [
      'latency, one job at a time',
      `${vLat.toFixed(1)} µs`,
      `${rawLat.toFixed(1)} µs`,
      `${(vLat / rawLat).toFixed(2)}× (+${(vLat - rawLat).toFixed(1)} µs)`,
    ],
  ],
)}

## Notes

- Both pools run the same module (\`work(n)\`: a ${N}-step arithmetic loop, a few µs to tens of µs per job) in ${WORKERS} workers started with \`eval\`; arguments and results are small numbers, so the figures are dominated by the round trip: postMessage to the worker, the reply, and on the Verdant side the green thread's park and resume (one hub drain per loop turn).
- The raw pool is the least a promise user would write: an idle-worker stack, a waiting list, one promise per call. Verdant's pool also records the caller's stack for error reports, keeps its idle probe and supports cancelling a queued or running job when the caller is killed.
- Samples vary with the machine's load (shared with other runs); compare the ratio, not the absolute figures.

![chart](tpool.svg)
`;
  const svg = barChart({
    caption: 'tpool: Verdant vs a raw promise pool (bars scaled per row)',
    groups: [
      versus(
        'throughput jobs/s (higher is better)',
        (v) => v.toFixed(0),
        ['Verdant', vTp],
        ['raw', rawTp],
      ),
      versus(
        'latency µs (lower is better)',
        (v) => v.toFixed(1),
        ['Verdant', vLat],
        ['raw', rawLat],
      ),
    ],
  });
  writeResults('tpool', { md, svg });
}

await main();
