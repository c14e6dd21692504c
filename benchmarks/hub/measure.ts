/** Timing helpers shared by the hub benchmarks: rounds, medians, gc, heap. */

import { createRequire } from 'node:module';
import { getHub } from '@verdant/hub';
import { median } from '../lib/median.js';

export const now = (): number => performance.now();

/** gc() is exposed by hub.bench.ts (it re-executes itself with --expose-gc). */
export function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc (hub.bench.ts re-executes itself)');
  gc();
  gc();
}

export function heapUsed(): number {
  collect();
  return process.memoryUsage().heapUsed;
}

/** Lets Node's loop turn once (timers, immediates). */
export function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Fails the run if a Verdant measurement left anything behind in the hub. */
export async function assertHubIdle(what: string): Promise<void> {
  for (let i = 0; i < 3; i++) await turn();
  const problems = getHub().idleProblems();
  if (problems.length !== 0) {
    throw new Error(`${what} left the hub busy: ${problems.slice(0, 5).join('; ')}`);
  }
}

/** How long each contestant runs unrecorded before a case's rounds. */
const WARMUP_MS = 300;

/** One contestant of a case: `run` returns the figure (µs, ms or bytes) of one repetition. */
export interface Contestant {
  name: 'verdant' | 'baseline' | 'effection';
  label: string;
  /** Rounds this contestant takes part in (effection is slow: fewer rounds). */
  rounds?: number;
  /** Run unrecorded before the rounds (JIT warm-up); default true. */
  warmup?: boolean;
  run: () => Promise<number>;
}

export interface Measured {
  name: Contestant['name'];
  label: string;
  samples: number[];
  median: number;
}

/**
 * Warms every contestant up once, then runs each once per round, rotating who goes first, so that
 * noise from other processes on the shared machine spreads over all of them.
 */
export async function interleave(
  title: string,
  contestants: Contestant[],
  rounds: number,
): Promise<Measured[]> {
  const samples = contestants.map(() => [] as number[]);
  for (const c of contestants) {
    if (c.warmup === false) continue;
    // Until the JIT has settled: repeat for about WARMUP_MS (at least once, at most 10 times).
    const until = now() + WARMUP_MS;
    for (let i = 0; i < 10 && (i === 0 || now() < until); i++) await c.run();
  }
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < contestants.length; k++) {
      const i = (k + r) % contestants.length;
      const c = contestants[i]!;
      if (r >= (c.rounds ?? rounds)) continue;
      // No gc() here: a forced full gc shrinks V8's young generation, which
      // then makes every allocation-heavy contestant pay extra scavenges.
      samples[i]!.push(await c.run());
    }
  }
  const out = contestants.map((c, i) => ({
    name: c.name,
    label: c.label,
    samples: samples[i]!,
    median: median(samples[i]!),
  }));
  for (const m of out) {
    process.stdout.write(
      `  ${title} / ${m.label}: median ${fmt(m.median)} [${m.samples.map(fmt).join(', ')}]\n`,
    );
  }
  return out;
}

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1000) return x.toFixed(0);
  if (a >= 100) return x.toFixed(1);
  if (a >= 10) return x.toFixed(2);
  if (a >= 1) return x.toFixed(2);
  return x.toFixed(3);
}

/** The hub's own run-queue class (denque), so the bare baseline pays the same queue cost. */
export interface Queue<T> {
  readonly length: number;
  push(item: T): number;
  shift(): T | undefined;
}
const hubRequire = createRequire(new URL('../../packages/hub/package.json', import.meta.url));
export const Denque = hubRequire('denque') as new <T>() => Queue<T>;
