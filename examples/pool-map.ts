// GreenPool.imap over 10,000 jobs with at most 100 in flight: results come
// back in input order, one `yield* next()` at a time, while the pool keeps
// the next jobs running. A job that throws surfaces at its own place.
// Run: npx --yes pnpm@10 build && node --import tsx examples/pool-map.ts
import { GreenPool, getHub, main, type Operation, sleep } from '@verdant/hub';

const JOBS = 10_000;
const CONCURRENCY = 100;

let inFlight = 0;
let peak = 0;

/** A pretend I/O call: 1–5 ms, failing for every 2,500th input. */
function* check(n: number): Operation<number> {
  inFlight++;
  peak = Math.max(peak, inFlight);
  try {
    yield* sleep(1 + (n % 5));
    if (n % 2500 === 2499) throw new Error(`job ${n} failed`);
    return n * n;
  } finally {
    inFlight--;
  }
}

main(function* () {
  const pool = new GreenPool(CONCURRENCY);
  const inputs = Array.from({ length: JOBS }, (_, i) => i);
  const t0 = getHub().now();
  const results = pool.imap(check, inputs);
  let count = 0;
  let failures = 0;
  let sum = 0;
  for (;;) {
    try {
      const r = yield* results.next();
      if (r.done) break;
      sum += r.value;
    } catch (e) {
      failures++;
      console.log(`  at #${count}: ${(e as Error).message}`);
    }
    count++;
    if (count % 1000 === 0) {
      console.log(
        `${count}/${JOBS} done, ${pool.running()} running, ${(getHub().now() - t0).toFixed(0)} ms`,
      );
    }
  }
  const ms = getHub().now() - t0;
  console.log(
    `${count} results in order in ${ms.toFixed(0)} ms (${((count / ms) * 1000).toFixed(0)} jobs/s), ` +
      `${failures} failed, at most ${peak} in flight (limit ${CONCURRENCY}), checksum ${sum}`,
  );
});
