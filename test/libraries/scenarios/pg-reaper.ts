// pg-pool's idle reaper is a library timer: it must still close the idle
// client after the thread that released it was killed (issue 10, repro 5),
// and the process then exits by itself.
import { run, sleep, spawn, Timeout, wait } from '@verdant/hub';
import { monkeyPatch } from '@verdant/patcher';
import { finish } from './finish.ts';

monkeyPatch();
const { default: pg } = await import('pg');
const reaped = new pg.Pool({ max: 1, idleTimeoutMillis: 100 });

// Far past the 100 ms idle timeout: a reaper that was cleared never gets there.
const GIVE_UP_MS = 5000;

const out = await run(function* () {
  // The releasing thread dies; the reaper (a library timer) must still run.
  let released!: () => void;
  const isReleased = new Promise<void>((resolve) => (released = resolve));
  const releaser = spawn(function* () {
    const client = yield* wait(reaped.connect());
    client.release();
    released();
    yield* sleep(60_000);
  });
  // Killed after the release armed the reaper, whatever a cold connect costs.
  yield* wait(isReleased);
  const idleAtKill = reaped.idleCount;
  releaser.kill();
  const removed = new Promise((resolve) => reaped.once('remove', resolve));
  const guard = new Timeout(GIVE_UP_MS);
  let wasReaped: boolean;
  try {
    yield* wait(removed);
    wasReaped = true;
  } catch (e) {
    if (e !== guard) throw e;
    wasReaped = false;
  } finally {
    guard.cancel();
  }
  return { idleAtKill, reaped: wasReaped, totalAfter: reaped.totalCount };
});
await reaped.end();
await finish(out);
