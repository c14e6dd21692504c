// Library timers on the hub's virtual clock under monkeyPatch(), with real
// sockets on 127.0.0.1 (no database needed: the servers are plain net/http).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScenario } from './run-scenario.ts';

test("virtual clock: advance() drives pg's connectionTimeoutMillis and got's timeout (unref'd timers); auto-advance waits for a reply in flight", async () => {
  const { out } = await runScenario('virtual-clock.ts', {});
  assert.deepEqual(out, {
    pgTimeout: { destroyedEarly: false, destroyedOnTime: true, outcome: 'timeout expired' },
    gotTimeout: { settledEarly: false, outcome: 'ETIMEDOUT' },
    // The reply came 50 real ms later, before the virtual 5 s: neither the
    // sibling's sleep nor axios's own 5 s timeout jumped ahead of it.
    autoAdvance: ['slow reply', '5 s sleep'],
  });
});
