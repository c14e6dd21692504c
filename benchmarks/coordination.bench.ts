/**
 * Coordination benchmarks (issues 3 and 13): Queue ping-pong, Semaphore
 * under contention, GreenPool.imap. Each case runs Verdant, the promise floor
 * (coordination/floors.ts), Effect 4 and effection 4 side by side in one
 * process, in alternating rounds; every ratio is a median of per-round ratios.
 *
 * Run: npx pnpm@10 bench:coordination   (smoke run: add --quick)
 * Writes benchmarks/results/coordination.md, coordination.svg and coordination.json.
 */
import { getHub } from '@verdant/hub';
import { CASES, type Case, NAMES, type Name } from './coordination/cases.js';
import { sized } from './lib/options.js';
import { atMostFloor, type RatioRow, writeRatioReport } from './lib/ratio-report.js';
import { npmPeer, type Run, startRun } from './lib/report.js';
import { alternate } from './lib/rounds.js';

const COMMAND = 'npx pnpm@10 bench:coordination';
const ROUNDS = sized(7, 2);
/** Operations per sample; Effect and effection are 10-50× slower here: fewer. */
const OPS: Record<Name, number> = sized(
  { verdant: 50_000, floor: 50_000, effect: 10_000, effection: 10_000 },
  { verdant: 500, floor: 500, effect: 200, effection: 200 },
);
const LABEL: Record<Name, string> = {
  verdant: 'Verdant',
  floor: 'promise floor',
  effect: 'Effect 4',
  effection: 'effection 4',
};

async function timeOne(c: Case, name: Name): Promise<number> {
  const n = OPS[name];
  const t0 = performance.now();
  await c.run[name](n);
  return ((performance.now() - t0) * 1000) / n;
}

function report(rows: RatioRow[], run: Run): void {
  const notes = [
    ...CASES.map((c) => `**${c.what}**: ${c.detail}.`),
    `Operations per sample: ${NAMES.map((n) => `${LABEL[n]} ${OPS[n]}`).join(', ')}; one unrecorded warm-up each.`,
    'The floors are the minimal hand-written promise queue, semaphore and ordered concurrency-limited map (no library); they hand an item or permit straight to a parked resolver and yield with `await null`, a microtask, where Verdant yields with `sleep(0)`, a full turn of its run queue.',
    'Effect 4: `Queue.unbounded` with `Queue.offer` / `Queue.take` between two fibers (`Effect.forkChild`); `Semaphore.make` with `take` / `release` around `Effect.yieldNow`; `Effect.forEach(inputs, job, { concurrency: 100 })` for the ordered map, each job yielding with `Effect.yieldNow`.',
    'effection 4 has no semaphore or pool: a `createQueue` pre-filled with permits is the idiomatic stand-in, and its jobs yield with `call(() => Promise.resolve())`.',
    'The machine is shared with other jobs: compare the per-round ratios and their spread, not the absolute figures of one run.',
  ];
  writeRatioReport('coordination', 'Coordination benchmarks', run, {
    rounds: String(ROUNDS),
    rows,
    notes,
  });
}

async function main(): Promise<void> {
  const run = startRun(COMMAND, [npmPeer('effect'), npmPeer('effection')]);
  const rows: RatioRow[] = [];
  for (const c of CASES) {
    process.stdout.write(`${c.what}\n`);
    const measured = await alternate(
      c.what,
      NAMES.map((name) => ({
        key: name,
        label: `${LABEL[name]} × ${OPS[name]}`,
        run: () => timeOne(c, name),
      })),
      { rounds: ROUNDS, floor: 'floor', warmupMs: 0 },
    );
    if (getHub().idleProblems().length) throw new Error(`${c.what} left the hub busy`);
    rows.push({
      what: `${c.what}, per operation`,
      unit: 'µs',
      measured,
      ...(c.target === undefined ? {} : { target: atMostFloor(c.target) }),
    });
  }
  report(rows, run);
}

await main();
