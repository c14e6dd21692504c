/**
 * The raw floors the hub is measured against: what the same work costs with
 * nothing but generators, a ring queue (ring-queue.ts) and Node's timers. Each
 * does the least a green-thread runtime must do for that case and nothing
 * more (no names, no links, no error routing), so a ratio of 1× is the limit.
 */
import { RingQueue } from './ring-queue.js';

export type Gen = Generator<unknown, void, unknown>;

/**
 * A bare thread: its generator and, once it has ended, its result. What
 * spawn must keep per thread at the least so that a join can read the result.
 */
interface BareTask {
  gen: Gen;
  done: boolean;
  value: unknown;
}

function* trivial(): Gen {}

/**
 * Spawn + run + join of `total` threads, `alive` at a time: per batch,
 * make a record (generator + result slot) per thread and push it on the ring
 * queue (spawn: all `alive` exist at once), step the queue until it is empty,
 * storing each result (run), then read every record's result, checking it
 * ended (join). Returns µs per thread.
 */
export function bareSpawn(total: number, alive: number): number {
  const t0 = performance.now();
  let joined = 0;
  for (let left = total; left > 0; left -= alive) {
    const n = Math.min(alive, left);
    const q = new RingQueue<BareTask>();
    const tasks: BareTask[] = [];
    for (let i = 0; i < n; i++) {
      const t: BareTask = { gen: trivial(), done: false, value: undefined };
      tasks.push(t);
      q.push(t);
    }
    while (q.length !== 0) {
      const t = q.shift()!;
      const r = t.gen.next();
      if (r.done === true) {
        t.done = true;
        t.value = r.value;
      } else q.push(t);
    }
    for (const t of tasks) {
      if (!t.done) throw new Error('bareSpawn: a task did not end');
      if (t.value === undefined) joined++;
    }
  }
  if (joined !== total) throw new Error('bareSpawn: not every task was joined');
  return ((performance.now() - t0) * 1000) / total;
}

/** A generator that yields `m` times from inside `depth` nested `yield*` helpers. */
function* nested(depth: number, m: number): Gen {
  if (depth === 0) {
    for (let i = 0; i < m; i++) yield;
  } else {
    yield* nested(depth - 1, m);
  }
}

/**
 * The switch floor: `k` generators round-robin on the ring queue, each
 * resumed with `next()` and pushed back until it has yielded `m` times (at
 * `depth` nested `yield*`). Returns µs per resume.
 */
export function bareSwitch(k: number, m: number, depth: number): number {
  const t0 = performance.now();
  const q = new RingQueue<Gen>();
  for (let i = 0; i < k; i++) q.push(nested(depth, m));
  while (q.length !== 0) {
    const g = q.shift()!;
    if (g.next().done !== true) q.push(g);
  }
  return ((performance.now() - t0) * 1000) / (k * m);
}

/**
 * The sleep floor: `n` raw `setTimeout(cb, ms)` sharing one callback that
 * counts down. Resolves with the wall ms from the first setTimeout to the
 * last callback.
 */
export function rawTimers(n: number, ms: number): Promise<number> {
  return new Promise((resolve) => {
    let left = n;
    const cb = (): void => {
      if (--left === 0) resolve(performance.now() - t0);
    };
    const t0 = performance.now();
    for (let i = 0; i < n; i++) setTimeout(cb, ms);
  });
}

/** A thread of the generator + setTimeout floor: parks at its one yield. */
function* sleeper(ms: number): Gen {
  yield ms;
}

/**
 * The same with a thread per timer: `n` generators, each started to its
 * yield and resumed by its own `setTimeout(() => g.next(), ms)`. Resolves
 * with the wall ms from the first generator to the last resume.
 */
export function generatorTimers(n: number, ms: number): Promise<number> {
  return new Promise((resolve) => {
    let left = n;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const g = sleeper(ms);
      g.next();
      setTimeout(() => {
        g.next();
        if (--left === 0) resolve(performance.now() - t0);
      }, ms);
    }
  });
}

/**
 * The heap floor, generator + setTimeout: `n` generators parked at their
 * yield, each with its own `setTimeout` closure that would resume it, kept in
 * `timers` (allocated by the caller before measuring) so they can be cleared.
 */
export function parkGeneratorTimers(timers: (NodeJS.Timeout | undefined)[], ms: number): void {
  for (let i = 0; i < timers.length; i++) {
    const g = sleeper(ms);
    g.next();
    timers[i] = setTimeout(() => g.next(), ms);
  }
}
