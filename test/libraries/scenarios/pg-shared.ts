// Creation is not ownership: thread A opens the pool's only connection, runs a
// query and sleeps; thread B runs pg_sleep on that same connection; killing A
// leaves B's query alone. And pg's connect/try/finally-release plus a kill
// raises nothing unhandled.
import { run, sleep, spawn, wait } from '@verdant/hub';
import { monkeyPatch } from '@verdant/patcher';
import { finish } from './finish.ts';
import { untilRunning } from './pg-activity.ts';

monkeyPatch();
const { default: pg } = await import('pg');

const shared = new pg.Pool({ max: 1 });
const tryFinally = new pg.Pool({ max: 1 });
const watcher = new pg.Client();
await watcher.connect();

const out = await run(function* () {
  // A opens the connection (cold pool) and keeps living, idle.
  const a = spawn(function* () {
    yield* wait(shared.query('SELECT 1'));
    yield* sleep(60_000);
  });
  const b = spawn(function* () {
    yield* sleep(50); // A's query is done, the connection idle in the pool
    const r = yield* wait(shared.query("SELECT pg_sleep(0.3), 2 AS two, 'on-shared'"));
    return r.rows[0].two;
  });
  yield* untilRunning(watcher, 'on-shared');
  a.kill();
  const bResult = yield* b.wait();

  // pg's documented pattern, killed mid-query.
  const victim = spawn(function* () {
    const client = yield* wait(tryFinally.connect());
    try {
      yield* wait(client.query("SELECT pg_sleep(5), 'try-finally'"));
    } finally {
      client.release();
    }
  });
  yield* untilRunning(watcher, 'try-finally');
  victim.kill();
  const next = yield* wait(tryFinally.query('SELECT 3 AS three'));
  return {
    bResult,
    next: next.rows[0].three,
    checkedOut: tryFinally.totalCount - tryFinally.idleCount,
  };
});
await Promise.all([shared.end(), tryFinally.end(), watcher.end()]);
// An unhandled 'error' from the pool would have crashed this process.
await finish(out);
