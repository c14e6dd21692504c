/** Spawn + run + join, per thread: all threads alive at once, or in batches. */
import { type GreenThread, run, spawn } from '@verdant/hub';
import { Effect } from 'effect';
import type * as E from 'effection';
import { count } from '../lib/format.js';
import type { Contestant } from '../lib/rounds.js';
import { forkAndJoin } from './effect-fibers.js';
import { spawnAndJoin } from './effection-tasks.js';
import { bareSpawn } from './floors.js';
import { assertHubIdle, now } from './measure.js';

function* trivial(): Generator<unknown, void, unknown> {}

function* effectionTrivial(): E.Operation<void> {}

/** Verdant: in one thread, `spawn` `alive` threads, then `wait()` for each; repeated to `total`. */
async function verdant(total: number, alive: number): Promise<number> {
  const t0 = now();
  await run(function* () {
    for (let left = total; left > 0; left -= alive) {
      const threads: GreenThread<void>[] = [];
      for (let i = Math.min(alive, left); i > 0; i--) threads.push(spawn(trivial));
      for (const t of threads) yield* t.wait();
    }
  });
  const us = ((now() - t0) * 1000) / total;
  await assertHubIdle('spawn');
  return us;
}

async function effect(total: number, alive: number): Promise<number> {
  const t0 = now();
  await forkAndJoin(total, Effect.void, alive);
  return ((now() - t0) * 1000) / total;
}

async function effection(total: number, alive: number): Promise<number> {
  const t0 = now();
  await spawnAndJoin(total, effectionTrivial, alive);
  return ((now() - t0) * 1000) / total;
}

export interface SpawnSize {
  /** Threads per sample. */
  total: number;
  /** Alive at once (total: all of them). */
  alive: number;
  /** effection's total and alive: it costs 100-300 µs a task here, so fewer. */
  effection: [total: number, alive: number];
  effectionRounds: number;
}

export function spawnContestants(s: SpawnSize): Contestant[] {
  const shape = (total: number, alive: number): string =>
    alive >= total
      ? `${count(total)} alive at once`
      : `${count(total)} in batches of ${count(alive)}`;
  return [
    {
      key: 'verdant',
      label: `Verdant spawn + wait(), ${shape(s.total, s.alive)}`,
      run: () => verdant(s.total, s.alive),
    },
    {
      key: 'floor',
      label: `bare generator queue, ${shape(s.total, s.alive)}`,
      run: async () => bareSpawn(s.total, s.alive),
    },
    {
      key: 'effect',
      label: `Effect forkChild + Fiber.join, ${shape(s.total, s.alive)}`,
      run: () => effect(s.total, s.alive),
    },
    {
      key: 'effection',
      label: `effection spawn + yield* task, ${shape(...s.effection)}`,
      rounds: s.effectionRounds,
      warmup: false,
      run: () => effection(...s.effection),
    },
  ];
}
