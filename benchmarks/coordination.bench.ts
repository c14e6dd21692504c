/**
 * Coordination benchmarks (issue 3): Queue put/get round trip, Semaphore
 * acquire/release under contention, GreenPool.imap throughput. Each case runs
 * Verdant, the raw Node equivalent written with promises, and effection
 * (createQueue, spawn) side by side in one process, rounds interleaved;
 * the figure is the median µs per operation.
 *
 * Run: npx --yes pnpm@10 build && node --import tsx benchmarks/coordination.bench.ts
 * Writes benchmarks/results/coordination.md and coordination.svg.
 */
import {
  GreenPool,
  getHub,
  type Operation,
  Queue,
  run,
  Semaphore,
  sleep,
  spawn,
} from '@verdant/hub';
import {
  call,
  createQueue,
  type Operation as EffectionOperation,
  run as effectionRun,
  spawn as effectionSpawn,
  type Task,
} from 'effection';
import { median } from './lib/median.js';
import { barChart, COLORS, header, type Run, startRun, table, writeResults } from './lib/report.js';

const COMMAND = 'npx --yes pnpm@10 build && node --import tsx benchmarks/coordination.bench.ts';
const ROUNDS = 7;

type Name = 'verdant' | 'promises' | 'effection';
const NAMES: Name[] = ['verdant', 'promises', 'effection'];
interface Case {
  what: string;
  detail: string;
  /** Operations per repetition, per contestant (effection is slower: fewer). */
  ops: Record<Name, number>;
  run: Record<Name, (n: number) => Promise<void>>;
}

// ---- raw Node equivalents, with promises ------------------------------------

/** The minimal promise queue a Node programmer writes: items, or parked resolvers. */
class PromiseQueue<T> {
  private items: T[] = [];
  private head = 0;
  private getters: ((v: T) => void)[] = [];
  put(item: T): void {
    const g = this.getters.shift();
    if (g) g(item);
    else this.items.push(item);
  }
  get(): Promise<T> | T {
    if (this.head < this.items.length) {
      const item = this.items[this.head++]!;
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      return item;
    }
    return new Promise<T>((resolve) => this.getters.push(resolve));
  }
}

class PromiseSemaphore {
  private waiters: (() => void)[] = [];
  constructor(private permits: number) {}
  acquire(): Promise<void> | undefined {
    if (this.permits > 0) {
      this.permits--;
      return undefined;
    }
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }
  release(): void {
    const w = this.waiters.shift();
    if (w) w();
    else this.permits++;
  }
}

/** Ordered map with at most `limit` in flight, like p-map with concurrency. */
async function promiseMap<T, R>(items: T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

// ---- the cases ----------------------------------------------------------------

const CONTENDERS = 100;
const PERMITS = 10;
const POOL = 100;

const cases: Case[] = [
  {
    what: 'Queue round trip',
    detail: 'ping-pong between two threads over two queues; µs per round trip (2 puts + 2 gets)',
    ops: { verdant: 50_000, promises: 50_000, effection: 10_000 },
    run: {
      verdant: (n) =>
        run(function* () {
          const ping = new Queue<number>();
          const pong = new Queue<number>();
          const echo = spawn(function* () {
            for (let i = 0; i < n; i++) yield* pong.put(yield* ping.get());
          });
          for (let i = 0; i < n; i++) {
            yield* ping.put(i);
            yield* pong.get();
          }
          yield* echo.wait();
        }),
      promises: async (n) => {
        const ping = new PromiseQueue<number>();
        const pong = new PromiseQueue<number>();
        const echo = (async () => {
          for (let i = 0; i < n; i++) pong.put(await ping.get());
        })();
        for (let i = 0; i < n; i++) {
          ping.put(i);
          await pong.get();
        }
        await echo;
      },
      effection: (n) =>
        effectionRun(function* () {
          const ping = createQueue<number, never>();
          const pong = createQueue<number, never>();
          const echo: Task<void> = yield* effectionSpawn(function* () {
            for (let i = 0; i < n; i++) {
              const r = yield* ping.next();
              pong.add(r.value as number);
            }
          });
          for (let i = 0; i < n; i++) {
            ping.add(i);
            yield* pong.next();
          }
          yield* echo;
        }),
    },
  },
  {
    what: 'Semaphore contention',
    detail: `${CONTENDERS} threads, ${PERMITS} permits, each holds its permit across one yield; µs per acquire+release`,
    ops: { verdant: 50_000, promises: 50_000, effection: 10_000 },
    run: {
      verdant: (n) =>
        run(function* () {
          const sem = new Semaphore(PERMITS);
          const per = n / CONTENDERS;
          const worker = function* (): Operation<void> {
            for (let i = 0; i < per; i++) {
              yield* sem.acquire();
              yield* sleep(0);
              sem.release();
            }
          };
          const threads = Array.from({ length: CONTENDERS }, () => spawn(worker));
          for (const t of threads) yield* t.wait();
        }),
      promises: async (n) => {
        const sem = new PromiseSemaphore(PERMITS);
        const per = n / CONTENDERS;
        const worker = async (): Promise<void> => {
          for (let i = 0; i < per; i++) {
            await sem.acquire();
            await null;
            sem.release();
          }
        };
        await Promise.all(Array.from({ length: CONTENDERS }, worker));
      },
      // effection has no semaphore: a queue pre-filled with permits is the idiom.
      effection: (n) =>
        effectionRun(function* () {
          const permits = createQueue<number, never>();
          for (let i = 0; i < PERMITS; i++) permits.add(i);
          const per = n / CONTENDERS;
          const tasks: Task<void>[] = [];
          for (let c = 0; c < CONTENDERS; c++) {
            tasks.push(
              yield* effectionSpawn(function* () {
                for (let i = 0; i < per; i++) {
                  const permit = yield* permits.next();
                  yield* call(() => Promise.resolve());
                  permits.add(permit.value as number);
                }
              }),
            );
          }
          for (const t of tasks) yield* t;
        }),
    },
  },
  {
    what: 'GreenPool.imap',
    detail: `ordered map, ${POOL} in flight, each job yields once; µs per item`,
    ops: { verdant: 50_000, promises: 50_000, effection: 10_000 },
    run: {
      verdant: (n) =>
        run(function* () {
          const pool = new GreenPool(POOL);
          const inputs = Array.from({ length: n }, (_, i) => i);
          const job = function* (x: number): Operation<number> {
            yield* sleep(0);
            return x * 2;
          };
          const results = pool.imap(job, inputs);
          let expect = 0;
          for (let r = yield* results.next(); !r.done; r = yield* results.next()) {
            if (r.value !== expect) throw new Error('out of order');
            expect += 2;
          }
        }),
      promises: async (n) => {
        const inputs = Array.from({ length: n }, (_, i) => i);
        const out = await promiseMap(inputs, POOL, async (x) => {
          await null;
          return x * 2;
        });
        if (out[n - 1] !== (n - 1) * 2) throw new Error('wrong');
      },
      // effection: a permit queue bounds the tasks in flight; a sibling task takes
      // the results in order (jobs are spawned by the main operation, so they
      // outlive nothing they belong to).
      effection: (n) =>
        effectionRun(function* () {
          const permits = createQueue<number, never>();
          for (let i = 0; i < POOL; i++) permits.add(i);
          const tasks: Task<number>[] = [];
          const spawned = createQueue<void, never>();
          const consumer: Task<void> = yield* effectionSpawn(function* () {
            for (let i = 0; i < n; i++) {
              while (tasks.length <= i) yield* spawned.next();
              if ((yield* tasks[i]!) !== i * 2) throw new Error('out of order');
            }
          });
          for (let i = 0; i < n; i++) {
            const permit = (yield* permits.next()).value as number;
            tasks.push(
              yield* effectionSpawn(function* (): EffectionOperation<number> {
                try {
                  yield* call(() => Promise.resolve());
                  return i * 2;
                } finally {
                  permits.add(permit);
                }
              }),
            );
            spawned.add();
          }
          yield* consumer;
        }),
    },
  },
];

// ---- measuring ------------------------------------------------------------------

async function timeOne(c: Case, name: Name): Promise<number> {
  const n = c.ops[name];
  const t0 = performance.now();
  await c.run[name](n);
  return ((performance.now() - t0) * 1000) / n;
}

interface Result {
  c: Case;
  us: Record<Name, number>;
}

async function main(): Promise<void> {
  const started = startRun(COMMAND);
  const results: Result[] = [];
  for (const c of cases) {
    for (const name of NAMES) await timeOne(c, name); // warm-up
    const samples: Record<Name, number[]> = { verdant: [], promises: [], effection: [] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const name of NAMES) samples[name].push(await timeOne(c, name));
    }
    const us = {
      verdant: median(samples.verdant),
      promises: median(samples.promises),
      effection: median(samples.effection),
    };
    if (getHub().idleProblems().length) throw new Error(`${c.what} left the hub busy`);
    results.push({ c, us });
    process.stdout.write(
      `${c.what.padEnd(22)} verdant ${us.verdant.toFixed(3)} µs  promises ${us.promises.toFixed(3)} µs  effection ${us.effection.toFixed(3)} µs  ` +
        `verdant/promises ${(us.verdant / us.promises).toFixed(2)}×  effection/verdant ${(us.effection / us.verdant).toFixed(1)}×\n`,
    );
  }
  report(results, started);
}

const COLOR: Record<Name, string> = {
  verdant: COLORS.verdant,
  promises: COLORS.baseline,
  effection: COLORS.effection,
};

function report(results: Result[], started: Run): void {
  const md = [
    header('Coordination benchmarks', started),
    `Median of ${ROUNDS} interleaved rounds after a warm-up, µs per operation (lower is better).`,
    '',
    table(
      [
        'case',
        'Verdant',
        'raw Node (promises)',
        'effection',
        'Verdant / promises',
        'effection / Verdant',
      ],
      results.map(({ c, us }) => [
        c.what,
        us.verdant.toFixed(3),
        us.promises.toFixed(3),
        us.effection.toFixed(3),
        `${(us.verdant / us.promises).toFixed(2)}×`,
        `${(us.effection / us.verdant).toFixed(1)}×`,
      ]),
      ['left', 'right', 'right', 'right', 'right', 'right'],
    ),
    '',
    'What each case does:',
    '',
    ...results.map(({ c }) => `- **${c.what}**: ${c.detail}.`),
    '',
    'The raw Node versions are the minimal hand-written promise queue, semaphore and',
    'ordered concurrency-limited map (no library); they yield with `await null`, a',
    'microtask, where Verdant yields with `sleep(0)`, a full turn of its run queue.',
    'effection 4 has no semaphore or pool: a `createQueue` pre-filled with permits is',
    'the idiomatic stand-in, and its jobs yield with `call(() => Promise.resolve())`.',
    '',
    '![chart](coordination.svg)',
    '',
  ].join('\n');
  // One group of three bars per case, each scaled to the slowest of its group.
  const svg = barChart({
    caption: 'µs per operation, lower is better (bars scaled per case)',
    groups: results.map(({ c, us }) => ({
      title: c.what,
      bars: NAMES.map((n) => ({
        label: n,
        value: us[n],
        color: COLOR[n],
        text: `${us[n].toFixed(2)} µs`,
      })),
    })),
  });
  writeResults('coordination', { md, svg });
}

await main();
