/** Case 1: spawn + run to end, per green thread. */
import { run, spawn } from '@verdant/hub';
import type * as E from 'effection';
import { spawnAndJoin } from './effection-tasks.js';
import { assertHubIdle, type Contestant, Denque, now, turn } from './measure.js';

function* trivial(): Generator<unknown, void, unknown> {}

function* effectionTrivial(): E.Operation<void> {}

/**
 * Verdant: spawn N trivial threads, then wait until the hub has run them all;
 * `reps` times back to back, so that gc costs are spread evenly, not hit or missed.
 */
async function verdant(n: number, reps: number): Promise<number> {
  const t0 = now();
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < n; i++) spawn(trivial);
    // The run queue is FIFO: this thread ends after every one spawned before it.
    await run(trivial);
  }
  const us = ((now() - t0) * 1000) / (n * reps);
  await assertHubIdle('spawn');
  return us;
}

/** The raw baseline: a denque of generator objects stepped to completion in a loop. */
async function bare(n: number, reps: number): Promise<number> {
  const t0 = now();
  for (let r = 0; r < reps; r++) {
    const q = new Denque<Generator<unknown, void, unknown>>();
    for (let i = 0; i < n; i++) q.push(trivial());
    while (q.length !== 0) {
      const g = q.shift()!;
      if (g.next().done !== true) q.push(g);
    }
    // Like the hub, let Node's loop turn between batches.
    await turn();
  }
  return ((now() - t0) * 1000) / (n * reps);
}

/** effection v4: spawn N child tasks of one root task, then wait for each. */
async function effection(n: number): Promise<number> {
  const t0 = now();
  await spawnAndJoin(n, effectionTrivial);
  return ((now() - t0) * 1000) / n;
}

export const SPAWN_N = 20_000;
export const SPAWN_N_EFFECTION = 2_000;
/** Batches of SPAWN_N per sample. */
export const SPAWN_REPS = 5;

export function spawnContestants(): Contestant[] {
  return [
    {
      name: 'verdant',
      label: `Verdant spawn ×${SPAWN_N}`,
      run: () => verdant(SPAWN_N, SPAWN_REPS),
    },
    {
      name: 'baseline',
      label: `bare generator queue ×${SPAWN_N}`,
      run: () => bare(SPAWN_N, SPAWN_REPS),
    },
    {
      name: 'effection',
      label: `effection spawn ×${SPAWN_N_EFFECTION}`,
      run: () => effection(SPAWN_N_EFFECTION),
    },
  ];
}
