// ioredis and node-redis (HELLO 3 AUTH) and node-redis on RESP2 (AUTH) under
// monkeyPatch() against a Redis whose default user needs a password: a thread
// killed in BLPOP is unblocked on the server through a side connection that
// authenticates as the library did, so the shared connection is not dropped
// (ioredis would send the dead thread's BLPOP again after reconnecting) and a
// later LPUSH reaches a live consumer.
import { run } from '@verdant/hub';
import { monkeyPatch } from '@verdant/patcher';
import { finish } from './finish.ts';
import { ioredisConsumers, killedThenLive, nodeRedisConsumers } from './killed-consumer.ts';

monkeyPatch();
const { Redis } = await import('ioredis');
const { createClient } = await import('redis');
const port = Number(process.env.REDIS_PORT);
const password = process.env.REDIS_PASSWORD;
if (password === undefined) throw new Error('redis-auth.ts needs REDIS_PASSWORD');

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
  const ioredis = yield* killedThenLive(ioredisConsumers(ioBlocking, ioClient), 'auth-io', 'job');
  const redis = yield* killedThenLive(nodeRedisConsumers(blocking, client), 'auth-r', 'job');
  const resp2 = yield* killedThenLive(nodeRedisConsumers(blocking2, client), 'auth-r2', 'job');
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
