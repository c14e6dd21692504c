/** The cost of one switch: Verdant's `sleep(0)`, flat and at yield* depth, against the peers'. */
import { type Operation, sleep, spawn } from '@verdant/hub';
import { Effect } from 'effect';
import * as E from 'effection';
import type { Contestant } from '../lib/rounds.js';
import { forkAndJoin } from './effect-fibers.js';
import { spawnAndJoin } from './effection-tasks.js';
import { bareSwitch } from './floors.js';
import { assertHubIdle, now } from './measure.js';

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

/** Effect: `k` fibers each yielding `m` times with `yielder` (`Effect.yieldNow` or `Effect.sleep(0)`). */
async function effect(k: number, m: number, yielder: Effect.Effect<void>): Promise<number> {
  const body = Effect.gen(function* () {
    for (let j = 0; j < m; j++) yield* yielder;
  });
  const t0 = now();
  await forkAndJoin(k, body);
  return ((now() - t0) * 1000) / (k * m);
}

/**
 * effection's cheapest yield: an action resolved synchronously goes to the
 * back of its reducer's queue without a timer.
 */
const effectionAction = E.action<void>((resolve) => {
  resolve();
  return () => {};
});

/** effection: `k` tasks each yielding `m` times with `yielder` (the sync action, or `sleep(0)`, a setTimeout(0)). */
async function effection(k: number, m: number, yielder: () => E.Operation<void>): Promise<number> {
  const t0 = now();
  await spawnAndJoin(k, function* () {
    for (let j = 0; j < m; j++) yield* yielder();
  });
  return ((now() - t0) * 1000) / (k * m);
}

export interface SwitchSize {
  /** Threads. */
  k: number;
  /** Yields per thread (Verdant, the floor, Effect's yieldNow). */
  m: number;
  /** Yields per thread for the timer-based yields (Effect.sleep(0), effection's): slower, fewer. */
  mTimer: number;
  /** Yields per thread for effection's sync action. */
  mAction: number;
}

function verdantAndFloor(s: SwitchSize): Contestant[] {
  return [
    {
      key: 'verdant',
      label: `Verdant ${s.k} threads × ${s.m} sleep(0)`,
      run: () => verdant(s.k, s.m, 0),
    },
    {
      key: 'floor',
      label: `generator resume, ${s.k} × ${s.m} on a ring queue`,
      run: async () => bareSwitch(s.k, s.m, 0),
    },
  ];
}

/** The switch with each peer's own yield-to-the-others: Effect.yieldNow, effection's sync action. */
export function yieldContestants(s: SwitchSize): Contestant[] {
  return [
    ...verdantAndFloor(s),
    {
      key: 'effect',
      label: `Effect ${s.k} fibers × ${s.m} yieldNow`,
      run: () => effect(s.k, s.m, Effect.yieldNow),
    },
    {
      key: 'effection',
      label: `effection ${s.k} tasks × ${s.mAction} sync action`,
      run: () => effection(s.k, s.mAction, () => effectionAction),
    },
  ];
}

/** The same with each peer's literal `sleep(0)` (a timer in both). */
export function sleepZeroContestants(s: SwitchSize): Contestant[] {
  return [
    ...verdantAndFloor(s),
    {
      key: 'effect',
      label: `Effect ${s.k} fibers × ${s.mTimer} sleep(0)`,
      run: () => effect(s.k, s.mTimer, Effect.sleep(0)),
    },
    {
      key: 'effection',
      label: `effection ${s.k} tasks × ${s.mTimer} sleep(0)`,
      run: () => effection(s.k, s.mTimer, () => E.sleep(0)),
    },
  ];
}

export function depthContestants(depth: number, k: number, m: number): Contestant[] {
  return [
    {
      key: 'verdant',
      label: `Verdant ${k} × ${m} sleep(0) at depth ${depth}`,
      run: () => verdant(k, m, depth),
    },
    {
      key: 'floor',
      label: `generator resume at depth ${depth}`,
      run: async () => bareSwitch(k, m, depth),
    },
  ];
}
