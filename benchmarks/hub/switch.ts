/** Case 2: the cost of one `sleep(0)` switch, flat and at yield* depth 1, 10, 100. */
import { type Operation, sleep, spawn } from '@verdant/hub';
import * as E from 'effection';
import { spawnAndJoin } from './effection-tasks.js';
import { assertHubIdle, type Contestant, Denque, now } from './measure.js';

type Gen = Generator<unknown, void, unknown>;

/** Verdant: the body yields `m` times through `depth` nested helper generators. */
function* vNest(depth: number, m: number): Operation<void> {
  if (depth === 0) {
    for (let i = 0; i < m; i++) yield* sleep(0);
  } else {
    yield* vNest(depth - 1, m);
  }
}

async function verdant(k: number, m: number, depth: number): Promise<number> {
  let left = k;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const body = function* (): Operation<void> {
    yield* vNest(depth, m);
    if (--left === 0) done();
  };
  const t0 = now();
  for (let i = 0; i < k; i++) spawn(body);
  await finished;
  const us = ((now() - t0) * 1000) / (k * m);
  await assertHubIdle('sleep(0)');
  return us;
}

/** The raw baseline: the same nesting, with a bare `yield`, resumed from a denque loop. */
function* bNest(depth: number, m: number): Gen {
  if (depth === 0) {
    for (let i = 0; i < m; i++) yield;
  } else {
    yield* bNest(depth - 1, m);
  }
}

async function bare(k: number, m: number, depth: number): Promise<number> {
  const t0 = now();
  const q = new Denque<Gen>();
  for (let i = 0; i < k; i++) q.push(bNest(depth, m));
  while (q.length !== 0) {
    const g = q.shift()!;
    if (g.next().done !== true) q.push(g);
  }
  return ((now() - t0) * 1000) / (k * m);
}

/** effection: `yield* sleep(0)`, its real yield to the others (a setTimeout(0) each). */
async function effectionSleep(k: number, m: number): Promise<number> {
  const t0 = now();
  await spawnAndJoin(k, function* () {
    for (let j = 0; j < m; j++) yield* E.sleep(0);
  });
  return ((now() - t0) * 1000) / (k * m);
}

/**
 * effection's cheapest yield: an action resolved synchronously goes to the
 * back of its reducer's queue without a timer (its "0.4 µs per yield").
 */
const effectionYield = E.action<void>((resolve) => {
  resolve();
  return () => {};
});

async function effectionAction(k: number, m: number): Promise<number> {
  const t0 = now();
  await spawnAndJoin(k, function* () {
    for (let j = 0; j < m; j++) yield* effectionYield;
  });
  return ((now() - t0) * 1000) / (k * m);
}

export const SWITCH_K = 1000;
export const SWITCH_M = 300;
export const SWITCH_M_EFFECTION = 10;
export const DEPTH_K = 100;
export const DEPTH_M = 1000;

export function switchContestants(): Contestant[] {
  const K = SWITCH_K;
  return [
    {
      name: 'verdant',
      label: `Verdant ${K} threads × ${SWITCH_M} sleep(0)`,
      run: () => verdant(K, SWITCH_M, 0),
    },
    {
      name: 'baseline',
      label: `bare generator resume loop ${K} × ${SWITCH_M}`,
      run: () => bare(K, SWITCH_M, 0),
    },
    {
      name: 'effection',
      label: `effection ${K} tasks × ${SWITCH_M_EFFECTION} sleep(0)`,
      run: () => effectionSleep(K, SWITCH_M_EFFECTION),
    },
  ];
}

export function effectionActionContestant(): Contestant {
  return {
    name: 'effection',
    label: `effection ${SWITCH_K} tasks × ${SWITCH_M} sync action`,
    run: () => effectionAction(SWITCH_K, SWITCH_M),
  };
}

export function depthContestants(depth: number): Contestant[] {
  return [
    {
      name: 'verdant',
      label: `Verdant depth ${depth}`,
      run: () => verdant(DEPTH_K, DEPTH_M, depth),
    },
    {
      name: 'baseline',
      label: `bare generator depth ${depth}`,
      run: () => bare(DEPTH_K, DEPTH_M, depth),
    },
  ];
}
