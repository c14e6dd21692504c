/** Cases 3 and 4: 100k threads each sleep(10) (wall), and heap per sleeping thread. */
import { type GreenThread, type Operation, run, sleep, spawn } from '@verdant/hub';
import * as E from 'effection';
import { spawnAndJoin } from './effection-tasks.js';
import { assertHubIdle, type Contestant, heapUsed, now } from './measure.js';

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

async function rawWall(n: number, ms: number): Promise<number> {
  let left = n;
  let done!: (t: number) => void;
  const last = new Promise<number>((resolve) => (done = resolve));
  const cb = (): void => {
    if (--left === 0) done(now());
  };
  const t0 = now();
  for (let i = 0; i < n; i++) setTimeout(cb, ms);
  return (await last) - t0;
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

export const WALL_N = 100_000;
export const WALL_MS = 10;
/** effection needs ~10 s per 100k-task round on this machine: it takes fewer rounds. */
export const WALL_EFFECTION_ROUNDS = 2;

export function wallContestants(): Contestant[] {
  return [
    {
      name: 'verdant',
      label: `Verdant ${WALL_N} × sleep(${WALL_MS})`,
      run: () => verdantWall(WALL_N, WALL_MS),
    },
    {
      name: 'baseline',
      label: `raw Node ${WALL_N} × setTimeout(cb, ${WALL_MS})`,
      run: () => rawWall(WALL_N, WALL_MS),
    },
    {
      name: 'effection',
      label: `effection ${WALL_N} × sleep(${WALL_MS})`,
      rounds: WALL_EFFECTION_ROUNDS,
      warmup: false,
      run: () => effectionWall(WALL_N, WALL_MS),
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

async function bareHeap(n: number): Promise<number> {
  const gens: (Generator<string, void, unknown> | undefined)[] = new Array(n).fill(undefined);
  const body = function* (ms: number): Generator<string, void, unknown> {
    yield `sleep ${ms}`;
  };
  const before = heapUsed();
  for (let i = 0; i < n; i++) {
    const g = body(LONG_MS);
    g.next();
    gens[i] = g;
  }
  const after = heapUsed();
  for (const g of gens) g!.return();
  return (after - before) / n;
}

async function effectionHeap(n: number): Promise<number> {
  const tasks: (E.Task<void> | undefined)[] = new Array(n).fill(undefined);
  let after = 0;
  const before = heapUsed();
  await E.run(function* () {
    for (let i = 0; i < n; i++) {
      tasks[i] = yield* E.spawn(function* () {
        yield* E.sleep(LONG_MS);
      });
    }
    // Let every child start and park in its sleep.
    yield* E.sleep(1);
    after = heapUsed();
    // Returning halts every child (structured concurrency), clearing their timers.
  });
  return (after - before) / n;
}

export const HEAP_N = 100_000;
export const HEAP_N_EFFECTION = 20_000;

export function heapContestants(): Contestant[] {
  return [
    {
      name: 'verdant',
      label: `Verdant ${HEAP_N} threads in sleep(${LONG_MS})`,
      run: () => verdantHeap(HEAP_N),
    },
    {
      name: 'baseline',
      label: `bare generators ×${HEAP_N} suspended`,
      run: () => bareHeap(HEAP_N),
    },
    {
      name: 'effection',
      label: `effection ${HEAP_N_EFFECTION} tasks in sleep(${LONG_MS})`,
      warmup: false,
      run: () => effectionHeap(HEAP_N_EFFECTION),
    },
  ];
}
