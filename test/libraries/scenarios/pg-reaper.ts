// pg-pool's idle reaper is a library timer: it must still close the idle
// client after the thread that released it was killed (issue 10, repro 5),
// and the process then exits by itself.
import { run, sleep, spawn, wait } from '@verdant/hub';
import { monkeyPatch } from '@verdant/patcher';
import { finish } from './finish.ts';

monkeyPatch();
const { default: pg } = await import('pg');
const reaped = new pg.Pool({ max: 1, idleTimeoutMillis: 100 });

const out = await run(function* () {
  // The releasing thread dies; the reaper (a library timer) must still run.
  const releaser = spawn(function* () {
    const client = yield* wait(reaped.connect());
    client.release();
    yield* sleep(60_000);
  });
  yield* sleep(20);
  releaser.kill();
  const removed = new Promise((resolve) => reaped.once('remove', resolve));
  yield* wait(removed);
  const reapedTotal = reaped.totalCount;

  return { reapedTotal };
});
await reaped.end();
await finish(out);
