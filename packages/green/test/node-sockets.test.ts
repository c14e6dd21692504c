import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import * as nodeTls from 'node:tls';
import * as dgram from '@verdant/green/node/dgram';
import { once } from '@verdant/green/node/events';
import * as net from '@verdant/green/node/net';
import * as tls from '@verdant/green/node/tls';
import { run, sleep, spawn } from '@verdant/hub';
import { assertIdle } from '@verdant/hub/testing';

afterEach(() => assertIdle());

function echoServer(): Promise<Server> {
  const server = createServer((s) => s.pipe(s));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('net face: green(sock) gives recv/sendall on a socket made by Node', async () => {
  const server = await echoServer();
  const { port } = server.address() as { port: number };
  const reply = await run(function* () {
    const sock = net.green(net.createConnection(port, '127.0.0.1'));
    yield* once(sock._sock, 'connect');
    yield* sock.sendall(Buffer.from('ping'));
    const data = yield* sock.recv(100);
    sock.close();
    return data.toString();
  });
  assert.equal(reply, 'ping');
  server.close();
});

test('net face: a socket connected inside a killed thread is destroyed', async () => {
  const server = await echoServer();
  const { port } = server.address() as { port: number };
  let sock: Socket | undefined;
  const owner = spawn(function* () {
    sock = net.createConnection(port, '127.0.0.1');
    yield* sleep(60_000);
  });
  await run(function* () {
    yield* sleep(20);
    assert.equal(sock!.destroyed, false);
    owner.kill();
    yield* sleep(1);
  });
  assert.equal(sock!.destroyed, true);
  server.close();
});

test('dgram face: recvfrom and sendto are operations; a socket outlives the killed thread that made it', async () => {
  const got = await run(function* () {
    const a = dgram.createSocket('udp4');
    const b = dgram.createSocket('udp4');
    // Both waits registered before either socket can be listening.
    const aReady = once(a, 'listening');
    const bReady = once(b, 'listening');
    a.bind(0, '127.0.0.1');
    b.bind(0, '127.0.0.1');
    yield* aReady;
    yield* bReady;
    yield* b.sendto(Buffer.from('hello'), ['127.0.0.1', a.address().port]);
    const [data, from] = yield* a.recvfrom();
    const fromB = from[1] === b.address().port;
    a.close();
    b.close();
    return [data.toString(), fromB];
  });
  assert.deepEqual(got, ['hello', true]);
  let sock: dgram.GreenDgramSocket | undefined;
  let closed = false;
  const maker = spawn(function* () {
    sock = dgram.createSocket('udp4');
    sock.on('close', () => (closed = true));
    sock.bind(0, '127.0.0.1');
    yield* sock.recvfrom();
  });
  const later = await run(function* () {
    yield* sleep(10);
    maker.kill();
    yield* sleep(5);
    // A socket belongs to no thread: the kill ended only the wait in recvfrom.
    assert.equal(closed, false);
    const sender = dgram.createSocket('udp4');
    yield* sender.sendto(Buffer.from('later'), ['127.0.0.1', sock!.address().port]);
    const [data] = yield* sock!.recvfrom();
    sender.close();
    sock!.close();
    return data.toString();
  });
  assert.equal(later, 'later');
  assert.equal(closed, true);
});

test('tls face: a TLS socket connected inside a killed thread is destroyed; green() reads it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'verdant-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  const key = readFileSync(join(dir, 'key.pem'));
  const cert = readFileSync(join(dir, 'cert.pem'));
  rmSync(dir, { recursive: true });
  const server = nodeTls.createServer({ key, cert }, (s) => s.pipe(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  const reply = await run(function* () {
    const raw = tls.connect({ host: '127.0.0.1', port, ca: cert, servername: 'localhost' });
    yield* once(raw, 'secureConnect');
    const sock = net.green(raw);
    yield* sock.sendall(Buffer.from('secret'));
    const data = yield* sock.recv(100);
    sock.close();
    return data.toString();
  });
  assert.equal(reply, 'secret');
  let raw: nodeTls.TLSSocket | undefined;
  const owner = spawn(function* () {
    raw = tls.connect({ host: '127.0.0.1', port, ca: cert, servername: 'localhost' });
    yield* sleep(60_000);
  });
  await run(function* () {
    yield* sleep(20);
    owner.kill();
    yield* sleep(1);
  });
  assert.equal(raw!.destroyed, true);
  server.close();
});
