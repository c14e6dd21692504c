// Events instead of sleeps: wait until the server shows a query running, or
// no longer running, as seen from a separate connection.
import { type Operation, sleep, wait } from '@verdant/hub';
import type pg from 'pg';

function* activeCount(watcher: pg.Client, marker: string): Operation<number> {
  const r = yield* wait(
    watcher.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1 AND pid <> pg_backend_pid()",
      [`%${marker}%`],
    ),
  );
  return r.rows[0].n as number;
}

/** Returns once a query containing `marker` runs on the server. */
export function* untilRunning(watcher: pg.Client, marker: string): Operation<void> {
  while ((yield* activeCount(watcher, marker)) === 0) yield* sleep(10);
}

/** Milliseconds from `t0` until no query containing `marker` runs; -1 if one still runs after 5 s. */
export function* goneAfter(watcher: pg.Client, marker: string, t0: number): Operation<number> {
  for (;;) {
    if ((yield* activeCount(watcher, marker)) === 0) return Math.round(performance.now() - t0);
    if (performance.now() - t0 > 5000) return -1;
    yield* sleep(10);
  }
}
