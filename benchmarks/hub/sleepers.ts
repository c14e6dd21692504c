/** Many sleeping threads: the wall time of N × sleep(10), and the heap per sleeping thread. */
import { type GreenThread, type Operation, run, sleep, spawn } from '@verdant/hub';
import { Effect, Fiber } from 'effect';
import * as E from 'effection';
import type { Contestant } from '../lib/rounds.js';
import { forkAndJoin } from './effect-fibers.js';
import { spawnAndJoin } from './effection-tasks.js';
import { generatorTimers, parkGeneratorTimers, rawTimers } from './floors.js';
import { assertHubIdle, heapUsed, now } from './measure.js';

function* trivial(): Operation<void> {}

// ---- wall: first spawn to last wake -------------------------------------

async function verdantWall(n: number, ms: number): Promise<number> {
  let left = n;
  let done!: (t: number) => void;
  const last = new Promise<number>((resolve) => (done = resolve));
  const body = function* (): Operation<void> {
    yield* sleep(ms);
    if (--left === 0) done(now());
  };
  const t0 = now();
  for (let i = 0; i < n; i++) spawn(body);
  const wall = (await last) - t0;
  await assertHubIdle('sleep(10)');
  return wall;
}

async function effectWall(n: number, ms: number): Promise<number> {
  let left = n;
  let lastWake = 0;
  const body = Effect.gen(function* () {
    yield* Effect.sleep(ms);
    if (--left === 0) lastWake = now();
  });
  const t0 = now();
  await forkAndJoin(n, body);
  return lastWake - t0;
}

async function effectionWall(n: number, ms: number): Promise<number> {
  let lastWake = 0;
  let left = n;
  const t0 = now();
  await spawnAndJoin(n, function* () {
    yield* E.sleep(ms);
    if (--left === 0) lastWake = now();
  });
  return lastWake - t0;
}

export interface WallSize {
  n: number;
  ms: number;
  /** effection needs ~10 s per 100k-task round here: fewer rounds, no warm-up. */
  effectionRounds: number;
}

export function wallContestants(s: WallSize): Contestant[] {
  const { n, ms } = s;
  return [
    {
      key: 'verdant',
      label: `Verdant ${n} × sleep(${ms})`,
      run: () => verdantWall(n, ms),
    },
    {
      key: 'floor',
      label: `raw Node ${n} × setTimeout(cb, ${ms}), one shared callback`,
      run: () => rawTimers(n, ms),
    },
    {
      key: 'generator-timers',
      label: `${n} generators, each resumed by its own setTimeout(${ms})`,
      run: () => generatorTimers(n, ms),
    },
    {
      key: 'effect',
      label: `Effect ${n} × forkChild(sleep(${ms}))`,
      run: () => effectWall(n, ms),
    },
    {
      key: 'effection',
      label: `effection ${n} × spawn(sleep(${ms}))`,
      rounds: s.effectionRounds,
      warmup: false,
      run: () => effectionWall(n, ms),
    },
  ];
}

// ---- heap per sleeping thread -------------------------------------------

const LONG_MS = 10_000;

async function verdantHeap(n: number): Promise<number> {
  const threads: (GreenThread<void> | undefined)[] = new Array(n).fill(undefined);
  const body = function* (): Operation<void> {
    yield* sleep(LONG_MS);
  };
  const before = heapUsed();
  for (let i = 0; i < n; i++) threads[i] = spawn(body);
  // FIFO run queue: when this ends, every sleeper has taken its first step and parked.
  await run(trivial);
  const after = heapUsed();
  for (const t of threads) t!.kill();
  await run(trivial);
  await assertHubIdle('heap');
  return (after - before) / n;
}

async function floorHeap(n: number): Promise<number> {
  const timers: (NodeJS.Timeout | undefined)[] = new Array(n).fill(undefined);
  const before = heapUsed();
  parkGeneratorTimers(timers, LONG_MS);
  const after = heapUsed();
  for (const t of timers) clearTimeout(t);
  return (after - before) / n;
}

async function effectHeap(n: number): Promise<number> {
  const fibers: (Fiber.Fiber<void> | undefined)[] = new Array(n).fill(undefined);
  let parked = 0;
  const body = Effect.gen(function* () {
    parked++;
    yield* Effect.sleep(LONG_MS);
  });
  let perFiber = 0;
  await Effect.runPromise(
    Effect.gen(function* () {
      const before = heapUsed();
      for (let i = 0; i < n; i++) fibers[i] = yield* Effect.forkChild(body);
      // Until every child has started and parked in its sleep.
      while (parked < n) yield* Effect.sleep(1);
      perFiber = (heapUsed() - before) / n;
      yield* Fiber.interruptAll(fibers as Fiber.Fiber<void>[]);
    }),
  );
  return perFiber;
}

async function effectionHeap(n: number): Promise<number> {
  const tasks: (E.Task<void> | undefined)[] = new Array(n).fill(undefined);
  let parked = 0;
  let after = 0;
  const before = heapUsed();
  await E.run(function* () {
    for (let i = 0; i < n; i++) {
      tasks[i] = yield* E.spawn(function* () {
        parked++;
        yield* E.sleep(LONG_MS);
      });
    }
    while (parked < n) yield* E.sleep(1);
    after = heapUsed();
    // Returning halts every child (structured concurrency), clearing their timers.
  });
  return (after - before) / n;
}

export interface HeapSize {
  n: number;
  /** effection keeps ~11 KB a task: fewer. */
  effection: number;
}

export function heapContestants(s: HeapSize): Contestant[] {
  return [
    {
      key: 'verdant',
      label: `Verdant ${s.n} threads in sleep(${LONG_MS})`,
      run: () => verdantHeap(s.n),
    },
    {
      key: 'floor',
      label: `${s.n} generators parked, each with its setTimeout(${LONG_MS}) closure`,
      run: () => floorHeap(s.n),
    },
    {
      key: 'effect',
      label: `Effect ${s.n} fibers in sleep(${LONG_MS})`,
      run: () => effectHeap(s.n),
    },
    {
      key: 'effection',
      label: `effection ${s.effection} tasks in sleep(${LONG_MS})`,
      warmup: false,
      run: () => effectionHeap(s.effection),
    },
  ];
}
