// Kill mid-query on a warm and on a cold pool, and a caught Timeout(100) around
// pg_sleep(5): the query is aborted, the connection dropped, the next caller served.
import { once } from '@verdant/green/node/events';
import { run, spawn, Timeout, wait } from '@verdant/hub';
import { monkeyPatch } from '@verdant/patcher';
import { finish, since } from './finish.ts';
import { untilRunning } from './pg-activity.ts';

monkeyPatch();
const { default: pg } = await import('pg');

/** Kills a thread blocked in pg_sleep(5); returns how long until the pool dropped its client and served the next query. */
function* killMidQuery(pool: InstanceType<typeof pg.Pool>) {
  const victim = spawn(function* () {
    yield* wait(pool.query("SELECT pg_sleep(5), 'kill-me'"));
  });
  const removed = once(pool, 'remove');
  yield* untilRunning(watcher, 'kill-me');
  const t0 = performance.now();
  victim.kill();
  yield* removed;
  const abortMs = since(t0);
  const r = yield* wait(pool.query('SELECT 1 AS one'));
  return {
    abortMs,
    nextMs: since(t0),
    next: r.rows[0].one,
    total: pool.totalCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
  };
}

const warmPool = new pg.Pool({ max: 1 });
(await warmPool.connect()).release(); // opened outside any green thread
const coldPool = new pg.Pool({ max: 1 });
const timeoutPool = new pg.Pool({ max: 1 });
const watcher = new pg.Client();
await watcher.connect();

const out = await run(function* () {
  const warm = yield* killMidQuery(warmPool);
  const cold = yield* killMidQuery(coldPool);
  const removed = once(timeoutPool, 'remove');
  const t0 = performance.now();
  const caught = yield* spawn(function* () {
    const timeout = new Timeout(100);
    try {
      yield* wait(timeoutPool.query('SELECT pg_sleep(5)'));
      return 'not interrupted';
    } catch (e) {
      return e === timeout ? 'timeout' : String(e);
    } finally {
      timeout.cancel();
    }
  }).wait();
  const timeoutMs = since(t0);
  yield* removed;
  const r = yield* wait(timeoutPool.query('SELECT 1 AS one'));
  const timeout = {
    caught,
    timeoutMs,
    nextMs: since(t0),
    next: r.rows[0].one,
    checkedOut: timeoutPool.totalCount - timeoutPool.idleCount,
  };
  return { warm, cold, timeout };
});
await Promise.all([warmPool.end(), coldPool.end(), timeoutPool.end(), watcher.end()]);
await finish(out);
