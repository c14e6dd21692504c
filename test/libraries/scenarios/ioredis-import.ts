// importPatched('ioredis'): the copy constructs (EventEmitter.call(this) +
// util.inherits on the green EventEmitter), its sockets are the green net's,
// and a thread killed in BLPOP is unblocked without monkeyPatch().
import { run, sleep, spawn, wait } from '@verdant/hub';
import { importPatched } from '@verdant/patcher';
import { finish } from './finish.ts';
import { untilBlocked } from './redis-blocked.ts';

const { Redis } = importPatched('ioredis') as typeof import('ioredis');
const port = Number(process.env.REDIS_PORT);
const client = new Redis(port, '127.0.0.1');
const blocking = new Redis(port, '127.0.0.1');

const out = await run(function* () {
  yield* wait(client.set('imported', 'yes'));
  const value = yield* wait(client.get('imported'));
  const dead = spawn(function* () {
    yield* wait(blocking.blpop('ijobs', 0));
  });
  const info = () => client.info('clients');
  yield* untilBlocked(info, true);
  dead.kill();
  yield* untilBlocked(info, false);
  const live = spawn(function* () {
    return yield* wait(blocking.blpop('ijobs', 0));
  });
  yield* sleep(100);
  yield* wait(client.lpush('ijobs', 'z'));
  return { value, liveGot: yield* live.wait() };
});
await Promise.all([client.quit(), blocking.quit()]);
await finish(out);
