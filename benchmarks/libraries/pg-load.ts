/**
 * One measured run of the pg benchmark, in its own process: 200 workers x 50
 * queries on a pg.Pool of 20, either green threads under monkeyPatch()
 * (`green`) or plain async functions (`async`). Prints one JSON line: wall
 * time and this process's CPU time per query.
 */
const mode = process.argv[2];
if (mode !== 'green' && mode !== 'async')
  throw new RangeError(`pg-load(mode): expected green or async, got ${mode}`);
const WORKERS = 200;
const QUERIES = process.env.BENCH_QUICK === '1' ? 5 : 50;

if (mode === 'green') (await import('@verdant/patcher')).monkeyPatch();
const { default: pg } = await import('pg');
const { run, spawn, wait } = await import('@verdant/hub');
const pool = new pg.Pool({ max: 20 });
await pool.query('SELECT 1'); // connect outside the timing

const cpu0 = process.cpuUsage();
const t0 = performance.now();
if (mode === 'green') {
  await run(function* () {
    const threads = Array.from({ length: WORKERS }, () =>
      spawn(function* () {
        for (let j = 0; j < QUERIES; j++) yield* wait(pool.query('SELECT $1::int AS n', [j]));
      }),
    );
    for (const t of threads) yield* t.wait();
  });
} else {
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      for (let j = 0; j < QUERIES; j++) await pool.query('SELECT $1::int AS n', [j]);
    }),
  );
}
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
await pool.end();
const n = WORKERS * QUERIES;
process.stdout.write(
  `${JSON.stringify({ mode, queriesPerSec: (n / wallMs) * 1000, cpuUsPerQuery: (cpu.user + cpu.system) / n })}\n`,
);
