/**
 * Hub benchmarks (issues 2 and 13): spawn + run + join (100k alive at once,
 * and in batches), the switch (each runtime's own yield, and literal
 * `sleep(0)`, flat and at yield* depth), 100k threads each `sleep(10)`
 * (wall), heap per sleeping thread. Verdant against the raw floors of
 * hub/floors.ts, Effect 4 and effection 4, side by side in one process, in
 * alternating rounds; every ratio is a median of per-round ratios.
 *
 * Run: npx pnpm@10 bench:hub   (smoke run: npx pnpm@10 bench:hub --quick)
 * Writes benchmarks/results/hub.md, hub.svg and hub.json.
 */
import { spawnSync } from 'node:child_process';
import { getHub } from '@verdant/hub';
import { heapContestants, wallContestants } from './hub/sleepers.js';
import { spawnContestants } from './hub/spawn.js';
import { depthContestants, sleepZeroContestants, yieldContestants } from './hub/switch.js';
import { count } from './lib/format.js';
import { sized } from './lib/options.js';
import { atMostFloor, type RatioRow, writeRatioReport } from './lib/ratio-report.js';
import { npmPeer, startRun } from './lib/report.js';
import { alternate, type Contestant, type Measured } from './lib/rounds.js';

const COMMAND = 'npx pnpm@10 bench:hub';
const ROUNDS = sized(7, 2);
const HEAP_ROUNDS = sized(3, 1);
const WARMUP_MS = sized(300, 0);

const ALIVE = sized(100_000, 2_000);
const BATCH = sized(1_000, 200);
const EFFECTION_SPAWN = sized(10_000, 200);
const SWITCH = sized(
  { k: 1000, m: 300, mTimer: 10, mAction: 30 },
  { k: 50, m: 20, mTimer: 2, mAction: 5 },
);
const DEPTH = sized({ k: 100, m: 1000, depths: [1, 10, 100] }, { k: 10, m: 20, depths: [1, 10] });
const WALL = sized(
  { n: 100_000, ms: 10, effectionRounds: 2 },
  { n: 2_000, ms: 10, effectionRounds: 1 },
);
const HEAP = sized({ n: 100_000, effection: 20_000 }, { n: 2_000, effection: 500 });

// Heap figures need gc(): re-execute this script once with --expose-gc.
if (typeof (globalThis as { gc?: unknown }).gc !== 'function') {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', ...process.execArgv, ...process.argv.slice(1)],
    { stdio: 'inherit' },
  );
  process.exit(child.status ?? 1);
}

const say = (s: string): boolean => process.stdout.write(`${s}\n`);

function measure(title: string, cs: Contestant[], rounds = ROUNDS): Promise<Measured[]> {
  say(title);
  return alternate(title, cs, { rounds, floor: 'floor', warmupMs: WARMUP_MS });
}

async function main(): Promise<void> {
  const run = startRun(COMMAND, [npmPeer('effect'), npmPeer('effection')]);
  const rows: RatioRow[] = [];
  rows.push({
    what: `spawn + run + join, ${count(ALIVE)} alive at once, per thread`,
    unit: 'µs',
    target: atMostFloor(1.3),
    measured: await measure(
      'spawn, all alive',
      spawnContestants({
        total: ALIVE,
        alive: ALIVE,
        effection: [EFFECTION_SPAWN, EFFECTION_SPAWN],
        effectionRounds: Math.min(3, ROUNDS),
      }),
    ),
  });
  rows.push({
    what: `spawn + run + join, ${count(ALIVE)} in batches of ${count(BATCH)}, per thread`,
    unit: 'µs',
    measured: await measure(
      'spawn, in batches',
      spawnContestants({
        total: ALIVE,
        alive: BATCH,
        effection: [EFFECTION_SPAWN, BATCH],
        effectionRounds: Math.min(3, ROUNDS),
      }),
    ),
  });
  rows.push({
    what: 'switch: `sleep(0)` (Effect: `yieldNow`, effection: a sync action), per switch',
    unit: 'µs',
    target: atMostFloor(2),
    measured: await measure('switch, each runtime’s own yield', yieldContestants(SWITCH)),
  });
  rows.push({
    what: 'switch: literal `sleep(0)` in every runtime (a timer in Effect and effection), per switch',
    unit: 'µs',
    measured: await measure('switch, literal sleep(0)', sleepZeroContestants(SWITCH)),
  });
  for (const depth of DEPTH.depths) {
    rows.push({
      what: `\`sleep(0)\` at yield* depth ${depth}, per switch`,
      unit: 'µs',
      measured: await measure(`depth ${depth}`, depthContestants(depth, DEPTH.k, DEPTH.m)),
    });
  }
  rows.push({
    what: `${count(WALL.n)} threads each \`sleep(${WALL.ms})\`, wall`,
    unit: 'ms',
    target: atMostFloor(1.5),
    measured: await measure('sleepers, wall', wallContestants(WALL)),
  });
  rows.push({
    what: 'heap per sleeping thread',
    unit: 'B',
    target: { text: '≤ 300 B', met: (v) => v.value.median <= 300 },
    measured: await measure('heap', heapContestants(HEAP), HEAP_ROUNDS),
  });

  const problems = getHub().idleProblems();
  if (problems.length !== 0) throw new Error(`hub not idle at the end: ${problems.join('; ')}`);

  const notes = [
    `Warm-up: each contestant runs unrecorded for about ${WARMUP_MS} ms before its case's rounds (JIT), except effection where a round takes seconds. No gc() before timed samples: a forced full gc shrinks V8's young generation and then inflates allocation-heavy samples 2-4×.`,
    `Floors (hub/floors.ts): **bare generator queue** = per thread a record {generator, done, result} pushed on a ring queue (all of a batch exist at once), the queue stepped until empty storing each result, then every record read back (the join); **generator resume** = ${SWITCH.k} generators round-robin on the same ring queue, one \`next()\` per switch; **raw setTimeout** = ${WALL.n} \`setTimeout(cb, ${WALL.ms})\` sharing one callback (a second reference, each generator resumed by its own timer closure, is in the per-round list); **generator + setTimeout** (heap) = a generator parked at its yield plus its own \`setTimeout\` closure that would resume it.`,
    `spawn: Verdant \`spawn(function* () {})\` then \`yield* t.wait()\` for each, inside one \`run\`; Effect \`Effect.forkChild(Effect.void)\` then \`Fiber.join\` for each, in one \`Effect.runPromise\`; effection \`yield* spawn(...)\` then \`yield* task\` for each, in one \`run\`, over ${count(EFFECTION_SPAWN)} tasks (it costs 100-300 µs a task here, 30 s a round at 100k) in ${Math.min(3, ROUNDS)} rounds.`,
    `switch: ${SWITCH.k} threads × ${SWITCH.m} yields (Verdant \`yield* sleep(0)\`, which requeues the thread without a timer; Effect \`yield* Effect.yieldNow\`); effection's cheapest yield, an \`action\` resolved synchronously (requeued by its reducer), × ${SWITCH.mAction}; the timer-based \`Effect.sleep(0)\` and effection \`sleep(0)\` × ${SWITCH.mTimer}.`,
    `depth d: ${DEPTH.k} threads × ${DEPTH.m} \`yield* sleep(0)\` made inside d nested \`yield*\` helper generators (floor: a bare \`yield\` at the same depth); each resume walks the d delegating frames in V8 in both.`,
    `sleepers: wall time from the first spawn (or setTimeout) to the last wake-up; Verdant's hub must be idle afterwards. effection takes part in ${WALL.effectionRounds} rounds (about 10 s each here), without warm-up.`,
    `heap: (heapUsed after − before) / N with gc() before each reading, threads parked in sleep(10000) (Verdant, the floor and Effect × ${HEAP.n}, effection × ${HEAP.effection}), then killed / cleared / interrupted / halted; the array holding the handles is allocated before the first reading. ${HEAP_ROUNDS} rounds.`,
    'The machine is shared with other jobs (see the load average above): compare the per-round ratios and their spread, not the absolute figures of one run.',
  ];
  writeRatioReport('hub', 'Hub benchmarks', run, {
    rounds: `${ROUNDS} (heap: ${HEAP_ROUNDS})`,
    rows,
    notes,
  });
}

await main();
