// node-redis under monkeyPatch(): 100 threads x 20 SET/GET; a thread killed in
// BLPOP jobs 0 does not take a later LPUSH: a live consumer gets it.
import { run, sleep, spawn, wait } from '@verdant/hub';
import { monkeyPatch } from '@verdant/patcher';
import { finish } from './finish.ts';
import { untilBlocked } from './redis-blocked.ts';

monkeyPatch();
const { createClient } = await import('redis');
const url = `redis://127.0.0.1:${process.env.REDIS_PORT}`;
const client = createClient({ url });
const blocking = createClient({ url });
await Promise.all([client.connect(), blocking.connect()]);

const out = await run(function* () {
  const workers = Array.from({ length: 100 }, (_, i) =>
    spawn(function* () {
      let wrong = 0;
      for (let j = 0; j < 20; j++) {
        yield* wait(client.set(`r:${i}:${j}`, `${i + j}`));
        if ((yield* wait(client.get(`r:${i}:${j}`))) !== `${i + j}`) wrong++;
      }
      return wrong;
    }),
  );
  let wrong = 0;
  for (const w of workers) wrong += yield* w.wait();

  const dead = spawn(function* () {
    yield* wait(blocking.blPop('rjobs', 0));
    return 'dead thread got a job';
  });
  const info = () => client.info('clients');
  yield* untilBlocked(info, true);
  dead.kill();
  yield* untilBlocked(info, false);
  const live = spawn(function* () {
    return yield* wait(blocking.blPop('rjobs', 0));
  });
  yield* sleep(100);
  yield* wait(client.lPush('rjobs', 'y'));
  const liveGot = yield* live.wait();
  return { wrong, liveGot };
});
await Promise.all([client.quit(), blocking.quit()]);
await finish(out);
