// node-redis under monkeyPatch(): 100 threads x 20 SET/GET; a thread killed in
// BLPOP jobs 0 does not take a later LPUSH: a live consumer gets it.
import { run, spawn, wait } from '@verdant/hub';
import { monkeyPatch } from '@verdant/patcher';
import { finish } from './finish.ts';
import { killedThenLive, nodeRedisConsumers } from './killed-consumer.ts';

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

  const liveGot = yield* killedThenLive(nodeRedisConsumers(blocking, client), 'rjobs', 'y');
  return { wrong, liveGot };
});
await Promise.all([client.quit(), blocking.quit()]);
await finish(out);
