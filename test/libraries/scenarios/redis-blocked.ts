/**
 * Waits (a bounded number of polls) until the Redis server reports a blocked
 * client, or none: a kill must come once the BLPOP is on the server, and a
 * BLPOP left blocked must fail the scenario's assertions, not hang it.
 */
import { type Operation, sleep, wait } from '@verdant/hub';

export function* untilBlocked(info: () => Promise<string>, blocked: boolean): Operation<void> {
  for (let i = 0; i < 500; i++) {
    const count = Number(/blocked_clients:(\d+)/.exec(yield* wait(info()))?.[1]);
    if (count > 0 === blocked) return;
    yield* sleep(10);
  }
}
