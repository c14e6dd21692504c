// Beyond eventlet: a kill, and a Timeout, stop the query on the server too
// (a cancel request): pg_stat_activity no longer shows it.
import { run, sleep, spawn, Timeout, wait } from '@verdant/hub';
import { monkeyPatch } from '@verdant/patcher';
import { finish, since } from './finish.ts';

monkeyPatch();
const { default: pg } = await import('pg');
const pool = new pg.Pool({ max: 2 });
const watcher = new pg.Client();
await watcher.connect();

/** How long until no backend runs `marker`'s query, polled from another connection; -1 if still running after 5 s. */
function* goneAfter(marker: string, t0: number) {
  for (;;) {
    const r = yield* wait(
      watcher.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1",
        [`%${marker}%`],
      ),
    );
    if (r.rows[0].n === 0) return since(t0);
    if (performance.now() - t0 > 5000) return -1;
    yield* sleep(20);
  }
}

const out = await run(function* () {
  const victim = spawn(function* () {
    yield* wait(pool.query("SELECT pg_sleep(30), 'killed-query'"));
  });
  yield* sleep(200);
  const t0 = performance.now();
  victim.kill();
  const killGoneMs = yield* goneAfter('killed-query', t0);

  let t1 = 0;
  yield* spawn(function* () {
    const timeout = new Timeout(150);
    try {
      yield* wait(pool.query("SELECT pg_sleep(30), 'timed-out-query'"));
    } catch (e) {
      if (e !== timeout) throw e;
      t1 = performance.now();
    } finally {
      timeout.cancel();
    }
  }).wait();
  const timeoutGoneMs = yield* goneAfter('timed-out-query', t1);
  const next = yield* wait(pool.query('SELECT 4 AS four'));
  return { killGoneMs, timeoutGoneMs, next: next.rows[0].four };
});
await Promise.all([pool.end(), watcher.end()]);
await finish(out);
