/**
 * The Redis scenarios' core: a consumer killed in `BLPOP key 0`, then a live
 * one, then an LPUSH. Each step waits until the server shows it (polled, a
 * bounded number of times), not for some milliseconds: a kill must come once
 * the BLPOP is on the server, and a BLPOP left blocked must fail the
 * scenario's assertions, not hang it.
 */
import { type Operation, sleep, spawn, wait } from '@verdant/hub';

/** One client library's calls, on the connection the consumers block on and a second one. */
export interface Consumers {
  blpop(key: string, seconds: number): Promise<unknown>;
  lpush(key: string, value: string): Promise<unknown>;
  /** `INFO clients`, from the second connection. */
  info(): Promise<string>;
}

/** What the live consumer (blocking at most 5 s on the server) got once `job` was pushed. */
export function* killedThenLive(redis: Consumers, key: string, job: string): Operation<unknown> {
  const dead = spawn(function* () {
    yield* wait(redis.blpop(key, 0));
    return 'dead thread got a job';
  });
  yield* untilBlocked(redis, true);
  dead.kill();
  // The dead thread's BLPOP is unblocked on the server (CLIENT UNBLOCK from a side connection).
  yield* untilBlocked(redis, false);
  const live = spawn(function* () {
    return yield* wait(redis.blpop(key, 5));
  });
  yield* untilBlocked(redis, true);
  yield* wait(redis.lpush(key, job));
  return yield* live.wait();
}

function* untilBlocked(redis: Consumers, blocked: boolean): Operation<void> {
  for (let i = 0; i < 500; i++) {
    const count = Number(/blocked_clients:(\d+)/.exec(yield* wait(redis.info()))?.[1]);
    if (count > 0 === blocked) return;
    yield* sleep(10);
  }
}

interface IoredisLike {
  blpop(key: string, seconds: number): Promise<unknown>;
  lpush(key: string, value: string): Promise<unknown>;
  info(section: string): Promise<string>;
}

interface NodeRedisLike {
  blPop(key: string, seconds: number): Promise<unknown>;
  lPush(key: string, value: string): Promise<unknown>;
  info(section: string): Promise<string>;
}

/** ioredis: consumers block on `blocking`; pushes and INFO go through `client`. */
export function ioredisConsumers(blocking: IoredisLike, client: IoredisLike): Consumers {
  return {
    blpop: (key, seconds) => blocking.blpop(key, seconds),
    lpush: (key, value) => client.lpush(key, value),
    info: () => client.info('clients'),
  };
}

/** node-redis: the same with its camel-case commands. */
export function nodeRedisConsumers(blocking: NodeRedisLike, client: NodeRedisLike): Consumers {
  return {
    blpop: (key, seconds) => blocking.blPop(key, seconds),
    lpush: (key, value) => client.lPush(key, value),
    info: () => client.info('clients'),
  };
}
