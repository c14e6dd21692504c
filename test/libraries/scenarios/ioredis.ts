// ioredis under monkeyPatch(): 100 threads x 20 SET/GET; a thread killed in
// BLPOP jobs 0 does not take a later LPUSH (a live consumer gets it); pub/sub
// through events.on(...).take().
import { on } from 'node:events';
import { run, spawn, wait } from '@verdant/hub';
import { monkeyPatch } from '@verdant/patcher';
import { finish } from './finish.ts';
import { ioredisConsumers, killedThenLive } from './killed-consumer.ts';

monkeyPatch();
const { Redis } = await import('ioredis');
const port = Number(process.env.REDIS_PORT);
const client = new Redis(port, '127.0.0.1');
const blocking = new Redis(port, '127.0.0.1');
const subscriber = new Redis(port, '127.0.0.1');

const out = await run(function* () {
  const workers = Array.from({ length: 100 }, (_, i) =>
    spawn(function* () {
      let wrong = 0;
      for (let j = 0; j < 20; j++) {
        yield* wait(client.set(`k:${i}:${j}`, `${i * j}`));
        if ((yield* wait(client.get(`k:${i}:${j}`))) !== `${i * j}`) wrong++;
      }
      return wrong;
    }),
  );
  let wrong = 0;
  for (const w of workers) wrong += yield* w.wait();

  const liveGot = yield* killedThenLive(ioredisConsumers(blocking, client), 'jobs', 'x');

  yield* wait(subscriber.subscribe('news'));
  const messages = on(subscriber, 'message') as unknown as {
    take(): Generator<unknown, unknown[]>;
  };
  yield* wait(client.publish('news', 'hello'));
  const [channel, message] = yield* messages.take();
  return { wrong, liveGot, pubsub: [channel, message] };
});
await Promise.all([client.quit(), blocking.quit(), subscriber.quit()]);
await finish(out);
