// Beyond eventlet: a kill, and a Timeout, stop the query on the server too
// (a cancel request): pg_stat_activity no longer shows it.
import { run, spawn, Timeout, wait } from '@verdant/hub';
import { monkeyPatch } from '@verdant/patcher';
import { finish } from './finish.ts';
import { goneAfter, untilRunning } from './pg-activity.ts';

monkeyPatch();
const { default: pg } = await import('pg');
const pool = new pg.Pool({ max: 2 });
const watcher = new pg.Client();
await watcher.connect();

const out = await run(function* () {
  const victim = spawn(function* () {
    yield* wait(pool.query("SELECT pg_sleep(30), 'killed-query'"));
  });
  yield* untilRunning(watcher, 'killed-query');
  const t0 = performance.now();
  victim.kill();
  const killGoneMs = yield* goneAfter(watcher, 'killed-query', t0);

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
  const timeoutGoneMs = yield* goneAfter(watcher, 'timed-out-query', t1);
  const next = yield* wait(pool.query('SELECT 4 AS four'));
  return { killGoneMs, timeoutGoneMs, next: next.rows[0].four };
});
await Promise.all([pool.end(), watcher.end()]);
await finish(out);
