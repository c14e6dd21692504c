// CPU-heavy hashing offloaded to worker threads with tpool.execute while a
// green ticker keeps ticking on time; then the same work run inline, to show
// what it does to the ticker when it blocks the loop.
// Run: npx --yes pnpm@10 build && node --import tsx examples/tpool-hash.ts
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { time, tpool } from '@verdant/green';
import { main, type Operation, spawn } from '@verdant/hub';

/** The work: a chain of SHA-256 rounds. Exported so tpool workers can import this module. */
export function hashChain(seed: string, rounds: number): string {
  let h = seed;
  for (let i = 0; i < rounds; i++) h = createHash('sha256').update(h).digest('hex');
  return h;
}

const ROUNDS = 300_000;

/** Ticks every 10 ms and records how late each tick was. */
function* ticker(lateness: number[]): Operation<void> {
  for (;;) {
    const t0 = time.monotonicMs();
    yield* time.sleep(10);
    lateness.push(time.monotonicMs() - t0 - 10);
  }
}

function report(what: string, ms: number, lateness: number[]): void {
  const worst = Math.max(0, ...lateness);
  console.log(
    `${what}: ${ms.toFixed(0)} ms, ticker ticked ${lateness.length} times, worst tick ${worst.toFixed(1)} ms late`,
  );
}

// The workers import this file too: only the main thread runs the program.
if (isMainThread) {
  main(function* () {
    // Leave one core to the main thread, which runs every green thread.
    const workers = Math.max(1, availableParallelism() - 1);
    tpool.configure({ size: workers });
    const seeds = ['alpha', 'beta', 'gamma', 'delta'];

    const offloaded: number[] = [];
    let tick = spawn(ticker, offloaded);
    let t0 = time.monotonicMs();
    const digests: string[] = [];
    try {
      const jobs = seeds.map((seed) =>
        spawn(function* () {
          return yield* tpool.execute<string>(import.meta.url, 'hashChain', seed, ROUNDS);
        }),
      );
      for (const j of jobs) digests.push(yield* j.wait());
    } finally {
      tick.kill();
    }
    report(`tpool, 4 chains on ${workers} worker(s)`, time.monotonicMs() - t0, offloaded);

    const inline: number[] = [];
    tick = spawn(ticker, inline);
    yield* time.sleep(0);
    t0 = time.monotonicMs();
    const same = hashChain(seeds[0]!, ROUNDS); // blocks the loop: no green thread runs meanwhile
    yield* time.sleep(15);
    report('inline, 1 chain (blocking)', time.monotonicMs() - t0, inline);
    tick.kill();

    console.log(
      `digest of ${seeds[0]}: ${digests[0]!.slice(0, 16)}... (same inline: ${same === digests[0]})`,
    );
  });
}
