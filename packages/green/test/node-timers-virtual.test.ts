import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import {
  clearInterval as greenClearInterval,
  setInterval as greenSetInterval,
  setTimeout as greenSetTimeout,
} from '@verdant/green/node/timers';
import { run, sleep } from '@verdant/hub';
import { assertIdle, useVirtualClock } from '@verdant/hub/testing';

afterEach(() => assertIdle());

test("the green timers face follows the hub's virtual clock: an hour of timers in milliseconds", async () => {
  const clock = useVirtualClock();
  try {
    const realStart = performance.now();
    const events: string[] = [];
    await run(function* () {
      let ticks = 0;
      const interval = greenSetInterval(() => {
        ticks++;
      }, 60_000);
      greenSetTimeout(() => events.push('an hour'), 3_600_000);
      greenSetTimeout(() => events.push('a minute'), 60_000);
      yield* sleep(3_600_000 + 1);
      greenClearInterval(interval);
      events.push(`${ticks} ticks`);
    });
    assert.deepEqual(events, ['a minute', 'an hour', '60 ticks']);
    assert.ok(performance.now() - realStart < 2000);
  } finally {
    clock.restore();
  }
});
