import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { afterEach, test } from 'node:test';
import { ssl as sslFromIndex } from '@verdant/green';
import * as socket from '@verdant/green/socket';
import * as ssl from '@verdant/green/ssl';
import { type Operation, run, spawn } from '@verdant/hub';
import { assertIdle } from '@verdant/hub/testing';

afterEach(() => assertIdle());

const key = readFileSync(new URL('fixtures/tls-key.pem', import.meta.url));
const cert = readFileSync(new URL('fixtures/tls-cert.pem', import.meta.url));

function* echoOnce(sock: socket.GreenSocket): Operation<void> {
  for (;;) {
    const data = yield* sock.recv(65536);
    if (data.length === 0) break;
    yield* sock.sendall(data);
  }
  sock.close();
}

test('both import forms give the same module', () => {
  assert.equal(sslFromIndex.wrapSocket, ssl.wrapSocket);
});

test('TLS listen/connect round trip, byte-exact, with certificate details', async () => {
  await run(function* () {
    const server = yield* ssl.listen(['127.0.0.1', 0], { key, cert });
    const port = server.getsockname()[1];
    const serverSide = spawn(function* () {
      const [conn] = yield* server.accept();
      assert.ok(conn instanceof ssl.SSLSocket);
      yield* echoOnce(conn);
    });
    const sock = yield* ssl.connect(['127.0.0.1', port], { ca: cert, servername: 'localhost' });
    assert.match(sock.version() ?? '', /^TLSv1\.[23]$/);
    assert.equal(sock.getpeercert()?.subject.CN, 'localhost');
    assert.ok(sock.cipher()?.[0]);
    const payload = Buffer.alloc(300_000);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 31) & 0xff;
    yield* sock.sendall(payload);
    sock.shutdown(socket.SHUT_WR);
    const back = yield* sock.makefile().read();
    assert.ok(back.equals(payload));
    sock.close();
    yield* serverSide.wait();
    server.close();
  });
});

test('wrapSocket upgrades plain sockets on both sides', async () => {
  await run(function* () {
    const server = yield* socket.listen(['127.0.0.1', 0]);
    const serverSide = spawn(function* () {
      const [plain] = yield* server.accept();
      // A plaintext greeting first, then TLS (STARTTLS-style).
      yield* plain.sendall(Buffer.from('STARTTLS\n'));
      const secure = yield* ssl.wrapSocket(plain, { serverSide: true, key, cert });
      assert.ok(plain.closed, 'the plain socket is detached');
      yield* echoOnce(secure);
    });
    const plain = yield* socket.connect(server.getsockname());
    assert.equal((yield* plain.makefile().readline()).toString(), 'STARTTLS\n');
    const secure = yield* ssl.wrapSocket(plain, { ca: cert, serverHostname: 'localhost' });
    yield* secure.sendall(Buffer.from('over TLS'));
    assert.equal((yield* secure.recv(100)).toString(), 'over TLS');
    secure.close();
    yield* serverSide.wait();
    server.close();
  });
});

test('an untrusted certificate fails with SSLCertVerificationError; the server keeps going', async () => {
  await run(function* () {
    const server = yield* ssl.listen(['127.0.0.1', 0], { key, cert });
    const port = server.getsockname()[1];
    try {
      yield* ssl.connect(['127.0.0.1', port], { servername: 'localhost' });
      assert.fail('connect should have failed');
    } catch (e) {
      assert.ok(e instanceof ssl.SSLCertVerificationError, String(e));
      assert.equal((e as ssl.SSLError).code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    }
    const serverSide = spawn(function* () {
      const [conn] = yield* server.accept();
      yield* echoOnce(conn);
    });
    const ok = yield* ssl.connect(['127.0.0.1', port], {
      ca: cert,
      servername: 'localhost',
      timeoutMs: 2000,
    });
    yield* ok.sendall(Buffer.from('x'));
    assert.equal((yield* ok.recv(1)).toString(), 'x');
    ok.close();
    yield* serverSide.wait();
    server.close();
  });
});

test('bad arguments', () => {
  assert.throws(() => ssl.wrapSocket({} as never), /must be a GreenSocket/);
  assert.throws(() => ssl.connect(['127.0.0.1', 0]), RangeError);
  assert.throws(() => ssl.connect(443, null as never), TypeError);
});
