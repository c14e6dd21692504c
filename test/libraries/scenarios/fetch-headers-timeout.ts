// The global fetch's own default headersTimeout (Node's bundled undici:
// 300 s) under monkeyPatch(), against a real server that takes the request
// and never sends headers. Its timers are the patched globals (undici's
// fast timer ticks by refresh()), so the hub's virtual clock drives them.
import http from 'node:http';
import type net from 'node:net';
import { once } from '@verdant/green/node/events';
import { run, wait } from '@verdant/hub';
import { useVirtualClock } from '@verdant/hub/testing';
import { monkeyPatch } from '@verdant/patcher';
import { finish } from './finish.ts';

monkeyPatch({ thread: false });

let heard: () => void = () => {};
const silent = http.createServer(() => heard());
silent.listen(0, '127.0.0.1');
await once(silent, 'listening');
const url = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/`;

const clock = useVirtualClock({ autoAdvance: false });
const out = await run(function* () {
  const requestHeard = new Promise<void>((resolve) => (heard = resolve));
  let settled = false;
  const fetching = fetch(url).then(
    (r) => `answered ${r.status}`,
    (e: Error & { cause?: { code?: string } }) => e.cause?.code ?? e.message,
  );
  void fetching.then(() => (settled = true));
  yield* wait(requestHeard);
  clock.advance(290_000);
  // Let what the timers did reach the promise, had anything fired 10 s early.
  for (let i = 0; i < 3; i++) yield* wait(new Promise((resolve) => setImmediate(resolve)));
  const settledEarly = settled;
  clock.advance(20_000);
  return { settledEarly, outcome: yield* wait(fetching) };
});
clock.restore();
silent.closeAllConnections();
silent.close();
await once(silent, 'close');
await finish(out);
