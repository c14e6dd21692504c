// node-redis under monkeyPatch() against a Redis behind a password that takes
// two connections at most: the side connection that would unblock a killed
// thread's BLPOP is refused (an error reply where AUTH's would be, then the
// server closes it), so the connection the BLPOP ran on is destroyed instead;
// node-redis reconnects, and a later LPUSH reaches a live consumer, not the
// dead thread's command.
import { run } from '@verdant/hub';
import { monkeyPatch } from '@verdant/patcher';
import { finish } from './finish.ts';
import { killedThenLive, nodeRedisConsumers } from './killed-consumer.ts';

monkeyPatch();
const { createClient } = await import('redis');
const url = `redis://127.0.0.1:${process.env.REDIS_PORT}`;
const password = process.env.REDIS_PASSWORD;
const client = createClient({ url, password });
const blocking = createClient({ url, password });
let reconnects = 0;
blocking.on('reconnecting', () => reconnects++);
blocking.on('error', () => {}); // the drop, reported by node-redis
await Promise.all([client.connect(), blocking.connect()]);

const out = await run(function* () {
  const liveGot = yield* killedThenLive(nodeRedisConsumers(blocking, client), 'full', 'job');
  return { liveGot, reconnects };
});
await Promise.all([client.quit(), blocking.quit()]);
await finish(out);
