// ioredis and node-redis against a real Redis: many threads, BLPOP killed
// (a later LPUSH reaches a live consumer), pub/sub through on(...).take(),
// importPatched('ioredis'), a password. Each scenario runs (and must exit) in its own process.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runScenario } from './run-scenario.ts';
import { type RunningServer, startRedis } from './servers.ts';

let redis: RunningServer;
let guarded: RunningServer;
let full: RunningServer;
before(async () => {
  [redis, guarded, full] = await Promise.all([
    startRedis(),
    startRedis({ password: 'verdant-secret' }),
    startRedis({ password: 'verdant-secret', maxClients: 2 }),
  ]);
});
after(async () => {
  await Promise.all([redis?.stop(), guarded?.stop(), full?.stop()]);
});

test('ioredis under monkeyPatch: 100 threads x 20 SET/GET; a killed BLPOP does not take the next job; pub/sub via on().take()', async () => {
  const { out } = await runScenario('ioredis.ts', redis.env);
  assert.deepEqual(out, { wrong: 0, liveGot: ['jobs', 'x'], pubsub: ['news', 'hello'] });
});

test('node-redis under monkeyPatch: 100 threads x 20 SET/GET; a killed BLPOP does not take the next job', async () => {
  const { out } = await runScenario('redis.ts', redis.env);
  assert.deepEqual(out, { wrong: 0, liveGot: { key: 'rjobs', element: 'y' } });
});

test('importPatched(ioredis): the copy constructs (EventEmitter.call(this)) and a killed BLPOP is unblocked', async () => {
  const { out } = await runScenario('ioredis-import.ts', redis.env);
  assert.deepEqual(out, { value: 'yes', liveGot: ['ijobs', 'z'] });
});

test('behind a password: a killed BLPOP is unblocked by a side connection that authenticates as the library did (HELLO 3 AUTH: ioredis, node-redis; AUTH: node-redis on RESP2); the connection stays', async () => {
  const { out } = await runScenario('redis-auth.ts', guarded.env);
  assert.deepEqual(out, {
    ioredis: { liveGot: ['auth-io', 'job'], closes: 0 },
    redis: {
      liveGot: { key: 'auth-r', element: 'job' },
      resp2: { key: 'auth-r2', element: 'job' },
      reconnects: 0,
      errors: 0,
    },
  });
});

test('a Redis behind a password that refuses the side connection (max clients): the connection of the killed BLPOP is dropped instead, and a live consumer gets the next job', async () => {
  const { out } = await runScenario('redis-refused.ts', full.env);
  assert.deepEqual(out, { liveGot: { key: 'full', element: 'job' }, reconnects: 1 });
});
