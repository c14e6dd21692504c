// node-postgres against a real PostgreSQL under monkeyPatch(): many threads,
// kill and Timeout mid-query, shared pooled connections, the idle reaper,
// connect/try/finally-release. Each scenario runs (and must exit) in its own process.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runScenario } from './run-scenario.ts';
import { type RunningServer, startPostgres } from './servers.ts';

let pg: RunningServer;
before(async () => {
  pg = await startPostgres();
});
after(async () => {
  await pg?.stop();
});

// pg_sleep(5) is the request each kill interrupts: anything far under 5 s proves the abort.
const ABORTED_WELL_BEFORE_MS = 2500;

test('pg: 200 green threads x 50 queries on one pool, all answered right', async () => {
  const { out } = await runScenario('pg-many.ts', pg.env);
  assert.deepEqual(out, { wrong: 0, total: 10_000, poolTotal: 20 });
});

test('pg: kill mid-query (warm and cold pool) and a caught Timeout(100) drop the connection; the next caller is served', async () => {
  const { out } = await runScenario('pg-kill.ts', pg.env);
  const { warm, cold, timeout } = out as Record<
    'warm' | 'cold' | 'timeout',
    Record<string, unknown>
  >;
  for (const r of [warm, cold]) {
    assert.equal(r.next, 1);
    assert.ok((r.nextMs as number) < ABORTED_WELL_BEFORE_MS, `next query after ${r.nextMs} ms`);
    assert.deepEqual([r.total, r.idle, r.waiting], [1, 1, 0]);
  }
  assert.equal(timeout.caught, 'timeout');
  assert.equal(timeout.next, 1);
  assert.equal(timeout.checkedOut, 0);
  assert.ok(
    (timeout.nextMs as number) < ABORTED_WELL_BEFORE_MS,
    `next query after ${timeout.nextMs} ms`,
  );
});

test('pg: killing thread A, which opened the pooled connection, leaves the query of thread B on it alone; connect/try/finally-release plus a kill raises nothing unhandled', async () => {
  const { out } = await runScenario('pg-shared.ts', pg.env);
  assert.deepEqual(out, { bResult: 2, next: 3, checkedOut: 0 });
});

test("pg: pg-pool's idle reaper still closes the idle client after the thread that released it was killed", async () => {
  const { out } = await runScenario('pg-reaper.ts', pg.env);
  assert.deepEqual(out, { idleAtKill: 1, reaped: true, totalAfter: 0 });
});

test('pg: a kill and a Timeout also stop the query on the server (cancel request)', async () => {
  const { out } = await runScenario('pg-cancel.ts', pg.env);
  assert.equal(out.next, 4);
  // The bound is 1 s; measured in tens of ms. -1 would mean still running after 5 s.
  for (const key of ['killGoneMs', 'timeoutGoneMs']) {
    const ms = out[key] as number;
    assert.ok(ms >= 0 && ms < 3000, `${key}: ${ms}`);
  }
});

test('pg through importPatched and importPatchedAsync: many threads answered right; a kill mid-query aborts it and the next caller is served', async () => {
  const { out } = await runScenario('pg-import.ts', pg.env);
  for (const via of ['sync', 'async'] as const) {
    const r = (
      out as Record<
        typeof via,
        Record<'wrong' | 'next' | 'checkedOut' | 'waiting' | 'nextMs', number>
      >
    )[via];
    assert.deepEqual([r.wrong, r.next, r.checkedOut, r.waiting], [0, 1, 0, 0], via);
    assert.ok(r.nextMs < ABORTED_WELL_BEFORE_MS, `${via}: next query after ${r.nextMs} ms`);
  }
});
