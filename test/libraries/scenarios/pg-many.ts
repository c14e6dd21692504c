// 200 green threads x 50 queries on one pg.Pool under monkeyPatch(): every answer right.
import { run, spawn, wait } from '@verdant/hub';
import { monkeyPatch } from '@verdant/patcher';
import { finish } from './finish.ts';

monkeyPatch();
const { default: pg } = await import('pg');
const pool = new pg.Pool({ max: 20 });

const threads = 200;
const queries = 50;
const out = await run(function* () {
  const workers = Array.from({ length: threads }, (_, i) =>
    spawn(function* () {
      let wrong = 0;
      for (let j = 0; j < queries; j++) {
        const r = yield* wait(pool.query('SELECT $1::int * 1000 + $2::int AS n', [i, j]));
        if (r.rows[0].n !== i * 1000 + j) wrong++;
      }
      return wrong;
    }),
  );
  let wrong = 0;
  for (const w of workers) wrong += yield* w.wait();
  return { wrong, total: threads * queries, poolTotal: pool.totalCount };
});
await pool.end();
await finish(out);
