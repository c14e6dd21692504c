// ioredis and node-redis (HELLO 3 AUTH) and node-redis on RESP2 (AUTH) under
// monkeyPatch() against a Redis whose default user needs a password: a thread
// killed in BLPOP is unblocked on the server through a side connection that
// authenticates as the library did, so the shared connection is not dropped
// (ioredis would send the dead thread's BLPOP again after reconnecting) and a
// later LPUSH reaches a live consumer.
import { type Operation, run, sleep, spawn, wait } from '@verdant/hub';
import { monkeyPatch } from '@verdant/patcher';
import { finish } from './finish.ts';
import { untilBlocked } from './redis-blocked.ts';

monkeyPatch();
const { Redis } = await import('ioredis');
const { createClient } = await import('redis');
const port = Number(process.env.REDIS_PORT);
const password = process.env.REDIS_PASSWORD;
if (password === undefined) throw new Error('redis-auth.ts needs REDIS_PASSWORD');

interface Side {
  blpop(key: string, seconds: number): Promise<unknown>;
  lpush(key: string, value: string): Promise<unknown>;
  info(): Promise<string>;
}

/** A consumer killed in BLPOP, then a live one (at most 5 s on the server): what the live one got. */
function* killedThenLive(side: Side, key: string): Operation<unknown> {
  const dead = spawn(function* () {
    yield* wait(side.blpop(key, 0));
    return 'dead thread got a job';
  });
  yield* untilBlocked(side.info, true);
  dead.kill();
  yield* untilBlocked(side.info, false);
  const live = spawn(function* () {
    return yield* wait(side.blpop(key, 5));
  });
  yield* sleep(100);
  yield* wait(side.lpush(key, 'job'));
  return yield* live.wait();
}

const ioClient = new Redis({ port, host: '127.0.0.1', password });
const ioBlocking = new Redis({ port, host: '127.0.0.1', password });
let ioCloses = 0;
ioBlocking.on('close', () => ioCloses++);

const url = `redis://127.0.0.1:${port}`;
const client = createClient({ url, password });
const blocking = createClient({ url, password });
const blocking2 = createClient({ url, password, RESP: 2 });
const dropped = { reconnects: 0, errors: 0 };
for (const c of [blocking, blocking2]) {
  c.on('reconnecting', () => dropped.reconnects++);
  c.on('error', () => dropped.errors++);
}
// Ready first: a command ioredis queues before then is written from its own ready handler, for nobody.
await Promise.all([
  ioClient.ping(),
  ioBlocking.ping(),
  client.connect(),
  blocking.connect(),
  blocking2.connect(),
]);

const out = await run(function* () {
  const ioredis = yield* killedThenLive(
    {
      blpop: (key, seconds) => ioBlocking.blpop(key, seconds),
      lpush: (key, value) => ioClient.lpush(key, value),
      info: () => ioClient.info('clients'),
    },
    'auth-io',
  );
  const redis = yield* killedThenLive(
    {
      blpop: (key, seconds) => blocking.blPop(key, seconds),
      lpush: (key, value) => client.lPush(key, value),
      info: () => client.info('clients'),
    },
    'auth-r',
  );
  const resp2 = yield* killedThenLive(
    {
      blpop: (key, seconds) => blocking2.blPop(key, seconds),
      lpush: (key, value) => client.lPush(key, value),
      info: () => client.info('clients'),
    },
    'auth-r2',
  );
  return {
    ioredis: { liveGot: ioredis, closes: ioCloses },
    redis: { liveGot: redis, resp2, ...dropped },
  };
});
await Promise.all([
  ioClient.quit(),
  ioBlocking.quit(),
  client.quit(),
  blocking.quit(),
  blocking2.quit(),
]);
await finish(out);
