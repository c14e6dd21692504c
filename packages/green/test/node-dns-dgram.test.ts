import assert from 'node:assert/strict';
import { ADDRCONFIG, ALL, V4MAPPED } from 'node:dns';
import { once } from 'node:events';
import { afterEach, test } from 'node:test';
import * as dgram from '@verdant/green/node/dgram';
import * as dns from '@verdant/green/node/dns';
import * as perfHooks from '@verdant/green/node/perf-hooks';
import { assertIdle } from '@verdant/hub/testing';
import { applyHints } from '../src/node/internal/resolve-host.ts';

afterEach(() => assertIdle());

const noop = (): void => {};

test('dns face: lookup checks its arguments as Node does, with Node error codes', () => {
  const hints = (ADDRCONFIG | V4MAPPED | ALL) + 42;
  assert.throws(() => dns.lookup('localhost', { hints }, noop), {
    code: 'ERR_INVALID_ARG_VALUE',
    name: 'TypeError',
    message: `The argument 'hints' is invalid. Received ${hints}`,
  });
  assert.throws(() => dns.lookup('localhost', { hints: '1' }, noop), {
    code: 'ERR_INVALID_ARG_TYPE',
    message: `The "options.hints" property must be of type number. Received type string ('1')`,
  });
  assert.throws(() => dns.lookup('localhost', { family: 5 }, noop), {
    code: 'ERR_INVALID_ARG_VALUE',
    message: "The property 'options.family' must be one of: 0, 4, 6. Received 5",
  });
  assert.throws(() => dns.lookup('localhost', 5, noop), { code: 'ERR_INVALID_ARG_VALUE' });
  assert.throws(() => dns.lookup('localhost', { all: 'yes' }, noop), {
    code: 'ERR_INVALID_ARG_TYPE',
  });
  assert.throws(() => dns.lookup('localhost', { order: 'random' }, noop), {
    code: 'ERR_INVALID_ARG_VALUE',
  });
  assert.throws(() => dns.lookup(5 as unknown as string, noop), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => (dns.lookup as (h: string, o: object) => object)('localhost', {}), {
    code: 'ERR_INVALID_ARG_TYPE',
    message: 'The "callback" argument must be of type function. Received undefined',
  });
});

test('dns face: promises.lookup throws bad arguments at the call, not as a rejection', () => {
  assert.throws(() => dns.promises.lookup('127.0.0.1', { hints: -1 }), {
    code: 'ERR_INVALID_ARG_VALUE',
  });
  assert.throws(() => dns.promises.lookup('127.0.0.1', { family: '6' as unknown as 6 }), {
    code: 'ERR_INVALID_ARG_VALUE',
  });
  assert.throws(() => dns.promises.lookup('127.0.0.1', '6' as unknown as 6), {
    code: 'ERR_INVALID_ARG_TYPE',
  });
});

test('dns face: an IP literal is answered on the next tick, before a tick queued after the call', async () => {
  const order: string[] = [];
  const done = new Promise<void>((resolve) => {
    dns.lookup('127.0.0.1', (err, address) => {
      assert.equal(err, null);
      order.push(`lookup ${address}`);
    });
    process.nextTick(() => {
      order.push('tick');
      resolve();
    });
  });
  await done;
  assert.deepEqual(order, ['lookup 127.0.0.1', 'tick']);
});

test('dns face: a 64-character label (c-ares EBADNAME) is ENOTFOUND, as getaddrinfo says', async () => {
  const error = await new Promise<Error & { code?: string }>((resolve) =>
    dns.lookup('a'.repeat(64), (err) => resolve(err!)),
  );
  assert.equal(error.code, 'ENOTFOUND');
});

test('dns face: hints: V4MAPPED maps IPv4 answers for a family-6 lookup, ALL adds them beside IPv6', () => {
  const v4 = { address: '10.0.0.1', family: 4 as const };
  const v6 = { address: 'fe80::1', family: 6 as const };
  const mapped = { address: '::ffff:10.0.0.1', family: 6 };
  const base = { order: 'verbatim' as const };
  assert.deepEqual(applyHints([v4], { ...base, family: 6, hints: V4MAPPED }), [mapped]);
  assert.deepEqual(applyHints([v4], { ...base, family: 6, hints: 0 }), []);
  assert.deepEqual(applyHints([v4, v6], { ...base, family: 6, hints: V4MAPPED }), [v6]);
  assert.deepEqual(applyHints([v4, v6], { ...base, family: 6, hints: V4MAPPED | ALL }), [
    v6,
    mapped,
  ]);
  assert.deepEqual(applyHints([v4, v6], { ...base, family: 4, hints: V4MAPPED }), [v4]);
});

test('dgram face: send to an IP literal then close on the next tick still sends', async () => {
  const receiver = dgram.createSocket('udp4');
  receiver.bind(0, '127.0.0.1');
  await once(receiver, 'listening');
  const sender = dgram.createSocket({ type: 'udp4', lookup: dns.lookup as never });
  sender.bind(0, '127.0.0.1');
  await once(sender, 'listening');
  const got = once(receiver, 'message');
  sender.send('hello', receiver.address().port, '127.0.0.1');
  process.nextTick(() => sender.close());
  const [message] = (await got) as [Buffer];
  assert.equal(message.toString(), 'hello');
  receiver.close();
  await once(receiver, 'close');
});

test("dgram face: Node's legacy sendto(buf, offset, length, port, address, cb) still sends", async () => {
  const receiver = dgram.createSocket('udp4');
  receiver.bind(0, '127.0.0.1');
  await once(receiver, 'listening');
  const sender = dgram.createSocket('udp4');
  assert.throws(() => (sender.sendto as unknown as () => void)(), {
    code: 'ERR_INVALID_ARG_TYPE',
    message: 'The "offset" argument must be of type number. Received undefined',
  });
  const got = once(receiver, 'message');
  const sent = new Promise<number>((resolve, reject) =>
    (sender.sendto as unknown as (...a: unknown[]) => void)(
      Buffer.from('xhelloy'),
      1,
      5,
      receiver.address().port,
      '127.0.0.1',
      (err: Error | null, bytes: number) => (err ? reject(err) : resolve(bytes)),
    ),
  );
  assert.equal(await sent, 5);
  const [message] = (await got) as [Buffer];
  assert.equal(message.toString(), 'hello');
  sender.close();
  receiver.close();
  await once(receiver, 'close');
});

test('dgram face: new createSocket() works, as it does with Node (a plain function)', async () => {
  const Make = dgram.createSocket as unknown as new (type: string) => dgram.Socket;
  const sock = new Make('udp4');
  assert.ok(sock instanceof dgram.Socket);
  sock.close();
  await once(sock, 'close');
});

test("dns face: while a PerformanceObserver watches 'dns', lookups are Node's own and recorded", {
  timeout: 60_000,
}, async () => {
  const { observe, disconnect } = perfHooks.patchedPrototypes.PerformanceObserver;
  let seen: (names: string[]) => void = noop;
  const entries = new Promise<string[]>((resolve) => (seen = resolve));
  const observer = new perfHooks.PerformanceObserver((list) =>
    seen(list.getEntries().map((e) => e.name)),
  );
  observe.call(observer, { type: 'dns' });
  assert.equal(perfHooks.observingDns(), true);
  const address = await new Promise((resolve, reject) =>
    dns.lookup('localhost', { family: 4 }, (err, a) => (err ? reject(err) : resolve(a))),
  );
  assert.equal(address, '127.0.0.1');
  assert.deepEqual(await entries, ['lookup']); // a hang guard, not a timing check, is the timeout
  disconnect.call(observer);
  assert.equal(perfHooks.observingDns(), false);
});
