// pg through importPatched (CommonJS copy) and importPatchedAsync, nothing
// monkeyPatched: each copy's pool serves many threads right, and a thread
// killed in pg_sleep(5) has its query aborted (the copy's sockets are the
// green net's), the connection dropped, the next caller served.
import { once } from '@verdant/green/node/events';
import { run, spawn, wait } from '@verdant/hub';
import { importPatched, importPatchedAsync } from '@verdant/patcher';
import type pgTypes from 'pg';
import { finish, since } from './finish.ts';
import { untilRunning } from './pg-activity.ts';

type Pg = typeof pgTypes;
const viaSync = importPatched('pg') as Pg;
const viaAsync = (await importPatchedAsync('pg')) as Pg;
const plain = (await import('pg')).default;
const watcher = new plain.Client();
await watcher.connect();

function* check(pg: Pg, marker: string) {
  const pool = new pg.Pool({ max: 5 });
  // Many threads, correct answers.
  let wrong = 0;
  const workers = Array.from({ length: 20 }, (_, i) =>
    spawn(function* () {
      for (let j = 0; j < 10; j++) {
        const r = yield* wait(pool.query('SELECT $1::int * 2 AS n', [i * 100 + j]));
        if (r.rows[0].n !== (i * 100 + j) * 2) wrong++;
      }
    }),
  );
  for (const w of workers) yield* w.wait();
  // A kill mid-query aborts it.
  const victim = spawn(function* () {
    yield* wait(pool.query(`SELECT pg_sleep(5), '${marker}'`));
  });
  const removed = once(pool, 'remove');
  yield* untilRunning(watcher, marker);
  const t0 = performance.now();
  victim.kill();
  yield* removed;
  const r = yield* wait(pool.query('SELECT 1 AS one'));
  const out = {
    wrong,
    nextMs: since(t0),
    next: r.rows[0].one,
    checkedOut: pool.totalCount - pool.idleCount,
    waiting: pool.waitingCount,
  };
  yield* wait(pool.end());
  return out;
}

const out = await run(function* () {
  return {
    sync: yield* check(viaSync, 'kill-sync-copy'),
    async: yield* check(viaAsync, 'kill-async-copy'),
  };
});
await watcher.end();
await finish(out);
