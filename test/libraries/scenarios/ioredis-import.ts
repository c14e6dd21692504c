// importPatched('ioredis'): the copy constructs (EventEmitter.call(this) +
// util.inherits on the green EventEmitter), its sockets are the green net's,
// and a thread killed in BLPOP is unblocked without monkeyPatch().
import { run, wait } from '@verdant/hub';
import { importPatched } from '@verdant/patcher';
import { finish } from './finish.ts';
import { ioredisConsumers, killedThenLive } from './killed-consumer.ts';

const { Redis } = importPatched('ioredis') as typeof import('ioredis');
const port = Number(process.env.REDIS_PORT);
const client = new Redis(port, '127.0.0.1');
const blocking = new Redis(port, '127.0.0.1');

const out = await run(function* () {
  yield* wait(client.set('imported', 'yes'));
  const value = yield* wait(client.get('imported'));
  const liveGot = yield* killedThenLive(ioredisConsumers(blocking, client), 'ijobs', 'z');
  return { value, liveGot };
});
await Promise.all([client.quit(), blocking.quit()]);
await finish(out);
