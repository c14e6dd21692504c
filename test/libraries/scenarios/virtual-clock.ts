// Library timers on the virtual clock (issue 10, repro 10), against real
// sockets on 127.0.0.1:
// - pg's connectionTimeoutMillis and got's request timeout (unref'd timers)
//   against servers that take the request and never answer are driven by
//   advance(): unref'd timers follow the virtual clock too, they only stop
//   keeping the process alive;
// - auto-advance does not jump while a request is in flight: axios's 5 s
//   timeout does not fire while a reply some real milliseconds away comes.
import http from 'node:http';
import net from 'node:net';
import { once } from '@verdant/green/node/events';
import { run, sleep, spawn, wait } from '@verdant/hub';
import { useVirtualClock } from '@verdant/hub/testing';
import { monkeyPatch, original } from '@verdant/patcher';
import { finish } from './finish.ts';

monkeyPatch({ thread: false });
const { default: pg } = await import('pg');
const { default: axios } = await import('axios');
const { default: got } = await import('got');
// Node's own timers: the servers answer in real time, whatever the hub's clock says.
const realTimers = original('timers');

// Accepts, reads, never answers.
const accepted = new Set<net.Socket>();
let heard: () => void = () => {};
const silent = net.createServer((sock) => {
  accepted.add(sock);
  sock.on('data', () => heard());
});
silent.listen(0, '127.0.0.1');
await once(silent, 'listening');
const silentPort = (silent.address() as net.AddressInfo).port;

// Takes HTTP requests, never answers them.
let heardHttp: () => void = () => {};
const silentHttp = http.createServer(() => heardHttp());
silentHttp.listen(0, '127.0.0.1');
await once(silentHttp, 'listening');
const silentUrl = `http://127.0.0.1:${(silentHttp.address() as net.AddressInfo).port}/`;

// Answers each request after 50 real ms.
const slow = http.createServer((_req, res) => {
  realTimers.setTimeout(() => res.end('slow reply'), 50);
});
slow.listen(0, '127.0.0.1');
await once(slow, 'listening');
const slowUrl = `http://127.0.0.1:${(slow.address() as net.AddressInfo).port}/`;

const CONNECT_TIMEOUT_MS = 10_000;

// 1. pg's connect timeout, moved by advance() (auto-advance would rightly
// wait for the startup message's answer for ever).
const manual = useVirtualClock({ autoAdvance: false });
const pgTimeout = await run(function* () {
  const startupHeard = new Promise<void>((resolve) => (heard = resolve));
  const client = new pg.Client({
    host: '127.0.0.1',
    port: silentPort,
    user: 'nobody',
    database: 'nothing',
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  const connecting = client.connect().then(
    () => 'connected',
    (e: Error) => e.message,
  );
  yield* wait(startupHeard);
  const stream = (client as unknown as { connection: { stream: net.Socket } }).connection.stream;
  manual.advance(CONNECT_TIMEOUT_MS - 1);
  const destroyedEarly = stream.destroyed;
  manual.advance(1);
  const destroyedOnTime = stream.destroyed;
  return { destroyedEarly, destroyedOnTime, outcome: yield* wait(connecting) };
});
const gotTimeout = await run(function* () {
  const requestHeard = new Promise<void>((resolve) => (heardHttp = resolve));
  let settled = false;
  const requesting = got(silentUrl, { timeout: { request: 10_000 }, retry: { limit: 0 } })
    .text()
    .then(
      () => 'answered',
      (e: Error & { code?: string }) => e.code ?? e.message,
    );
  void requesting.then(() => (settled = true));
  yield* wait(requestHeard);
  manual.advance(9_999);
  // Had got's timer fired a millisecond early, its rejection would be through by now.
  for (let i = 0; i < 3; i++) yield* wait(new Promise((resolve) => setImmediate(resolve)));
  const settledEarly = settled;
  manual.advance(1);
  return { settledEarly, outcome: yield* wait(requesting) };
});
manual.restore();

// 2. Auto-advance holds while the request is in flight.
const auto = useVirtualClock();
const autoAdvance = await run(function* () {
  const order: string[] = [];
  const sibling = spawn(function* () {
    yield* sleep(5000);
    order.push('5 s sleep');
  });
  const result = yield* wait(
    axios.get(slowUrl, { timeout: 5000, responseType: 'text' }).then(
      (r) => r.data as string,
      (e: Error) => `failed: ${e.message}`,
    ),
  );
  order.push(result);
  yield* sibling.wait();
  return order;
});
auto.restore();

for (const sock of accepted) sock.destroy();
silent.close();
silentHttp.closeAllConnections();
silentHttp.close();
slow.close();
await Promise.all([once(silent, 'close'), once(silentHttp, 'close'), once(slow, 'close')]);
await finish({ pgTimeout, gotTimeout, autoAdvance });
