// ioredis under monkeyPatch(): 100 threads x 20 SET/GET; a thread killed in
// BLPOP jobs 0 does not take a later LPUSH (a live consumer gets it); pub/sub
// through events.on(...).take().
import { on } from 'node:events';
import { run, sleep, spawn, wait } from '@verdant/hub';
import { monkeyPatch } from '@verdant/patcher';
import { finish } from './finish.ts';
import { untilBlocked } from './redis-blocked.ts';

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

  const dead = spawn(function* () {
    yield* wait(blocking.blpop('jobs', 0));
    return 'dead thread got a job';
  });
  const info = () => client.info('clients');
  yield* untilBlocked(info, true);
  dead.kill();
  // The dead thread's BLPOP is unblocked on the server (CLIENT UNBLOCK from a side connection).
  yield* untilBlocked(info, false);
  const live = spawn(function* () {
    return yield* wait(blocking.blpop('jobs', 0));
  });
  yield* sleep(100);
  yield* wait(client.lpush('jobs', 'x'));
  const liveGot = yield* live.wait();

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
