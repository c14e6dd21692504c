import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { select as selectFromIndex, selectors as selectorsFromIndex } from '@verdant/green';
import * as select from '@verdant/green/select';
import * as socket from '@verdant/green/socket';
import { GreenletExit, run, sleep, spawn } from '@verdant/hub';
import { assertIdle } from '@verdant/hub/testing';
import { settlesAfter } from './fixtures/settles-after.ts';

afterEach(() => assertIdle());

type Any = select.Selectable;

test('both import forms', () => {
  assert.equal(selectFromIndex.select, select.select);
  assert.equal(selectorsFromIndex.DefaultSelector, select.DefaultSelector);
});

test('select: read readiness (data, EOF, pending accept), write readiness, timeout', async () => {
  await run(function* () {
    const [a, b] = yield* socket.socketpair();
    let [r, w]: Any[][] = yield* select.select<Any, Any, Any>([a, b], [], [], 0);
    assert.deepEqual([r, w], [[], []], 'nothing readable yet');
    [r, w] = yield* select.select<Any, Any, Any>([a], [a, b], [], 0);
    assert.deepEqual(r, []);
    assert.deepEqual(w, [a, b], 'fresh sockets are writable');
    const timedOut = yield* settlesAfter(40, () =>
      select.select<Any, Any, Any>([a, b], [], [], 40),
    );
    assert.deepEqual(
      yield* timedOut.wait(),
      [[], [], []],
      'the timeout waited, then nothing was ready',
    );
    spawn(function* () {
      yield* sleep(10);
      yield* b.sendall(Buffer.from('hi'));
    });
    [r] = yield* select.select<Any, Any, Any>([a, b], [], []);
    assert.deepEqual(r, [a], 'woken by data');
    assert.equal((yield* a.recv(10)).toString(), 'hi');
    b.shutdown(socket.SHUT_WR);
    [r] = yield* select.select<Any, Any, Any>([a], [], [], 1000);
    assert.deepEqual(r, [a], 'EOF is readable');
    assert.equal((yield* a.recv(10)).length, 0);

    const server = yield* socket.listen(['127.0.0.1', 0]);
    [r] = yield* select.select<Any, Any, Any>([server], [], [], 0);
    assert.deepEqual(r, []);
    const c = yield* socket.connect(server.getsockname());
    [r] = yield* select.select<Any, Any, Any>([server], [], [], 1000);
    assert.deepEqual(r, [server], 'a pending connection makes the server readable');
    const [conn] = yield* server.accept();

    const udp = socket.udpSocket();
    yield* udp.bind(['127.0.0.1', 0]);
    const sender = socket.udpSocket();
    yield* sender.sendto(Buffer.from('d'), udp.getsockname());
    [r] = yield* select.select<Any, Any, Any>([udp], [], [], 1000);
    assert.deepEqual(r, [udp]);
    for (const s of [a, b, c, conn, server, udp, sender]) s.close();
  });
});

test('select: write readiness comes back after the peer drains', async () => {
  await run(function* () {
    const [a, b] = yield* socket.socketpair();
    a.setblocking(false);
    // Fill the pipe without anyone reading until a is no longer writable.
    const chunk = Buffer.alloc(1024 * 1024);
    let rounds = 0;
    let sent = 0;
    for (;;) {
      const [, w] = yield* select.select<Any, Any, Any>([], [a], [], 0);
      if (w.length === 0) break;
      try {
        yield* a.sendall(chunk);
        sent += chunk.length;
      } catch (e) {
        // Non-blocking sendall refuses once the buffer is full, saying how much went.
        if (!(e instanceof socket.BlockingIOError)) throw e;
        sent += e.charactersWritten;
      }
      if (++rounds > 500) assert.fail('never became unwritable');
    }
    const reader = spawn(function* () {
      let total = 0;
      for (;;) {
        const d = yield* b.recv(1 << 20);
        if (d.length === 0) return total;
        total += d.length;
      }
    });
    const [, w] = yield* select.select<Any, Any, Any>([], [a], [], 5000);
    assert.deepEqual(w, [a], 'writable again once drained');
    a.setblocking(true);
    yield* a.sendall(Buffer.alloc(1));
    a.shutdown(socket.SHUT_WR);
    assert.equal(yield* reader.wait(), sent + 1);
    a.close();
    b.close();
  });
});

test('kill during select leaves no watcher behind', async () => {
  await run(function* () {
    const [a, b] = yield* socket.socketpair();
    const t = spawn(function* () {
      return yield* select.select<Any, Any, Any>([a], [], []);
    });
    yield* sleep(5);
    t.kill();
    try {
      yield* t.wait();
      assert.fail('expected GreenletExit');
    } catch (e) {
      assert.ok(e instanceof GreenletExit);
    }
    assert.equal((a as unknown as { watchers: unknown }).watchers, undefined);
    a.close();
    b.close();
  });
});

test('poll: register, modify, unregister, events', async () => {
  await run(function* () {
    const [a, b] = yield* socket.socketpair();
    const p = select.poll();
    p.register(a, select.POLLIN);
    assert.deepEqual(yield* p.poll(0), []);
    p.modify(a, select.POLLIN | select.POLLOUT);
    assert.deepEqual(yield* p.poll(0), [[a, select.POLLOUT]]);
    p.modify(a, select.POLLIN);
    spawn(function* () {
      yield* sleep(5);
      yield* b.sendall(Buffer.from('x'));
    });
    assert.deepEqual(yield* p.poll(1000), [[a, select.POLLIN]]);
    yield* a.recv(1);
    b.shutdown(socket.SHUT_WR);
    yield* sleep(10);
    assert.deepEqual(yield* p.poll(1000), [[a, select.POLLIN | select.POLLHUP]]);
    p.unregister(a);
    assert.throws(() => p.unregister(a), /not registered/);
    assert.throws(() => p.modify(a, select.POLLIN), /not registered/);
    assert.throws(() => p.register(a, 1 << 12), RangeError);
    assert.deepEqual(yield* p.poll(0), []);
    a.close();
    b.close();
  });
});

test('DefaultSelector: an echo server driven by one thread', async () => {
  await run(function* () {
    const server = yield* socket.listen(['127.0.0.1', 0]);
    const sel = new select.DefaultSelector<socket.GreenServer | socket.GreenSocket, string>();
    const key = sel.register(server, select.EVENT_READ, 'accept');
    assert.equal(key.fd, server.fileno());
    assert.equal(sel.getKey(server).data, 'accept');
    assert.throws(() => sel.register(server, select.EVENT_READ), /already registered/);
    assert.throws(() => sel.register({} as never, select.EVENT_READ), TypeError);
    assert.throws(() => sel.modify(server, 4), RangeError);
    const loop = spawn(function* () {
      let served = 0;
      while (served < 3) {
        for (const [k, events] of yield* sel.select()) {
          assert.ok(events & select.EVENT_READ);
          if (k.data === 'accept') {
            const [conn] = yield* server.accept();
            sel.register(conn, select.EVENT_READ, 'echo');
          } else {
            const conn = k.fileobj as socket.GreenSocket;
            const data = yield* conn.recv(1024);
            if (data.length === 0) {
              sel.unregister(conn);
              conn.close();
              served++;
            } else yield* conn.sendall(data);
          }
        }
      }
    });
    const clients = [0, 1, 2].map((i) =>
      spawn(function* () {
        const c = yield* socket.connect(server.getsockname());
        yield* c.sendall(Buffer.from(`client ${i}`));
        const reply = (yield* c.recv(100)).toString();
        c.close();
        return reply;
      }),
    );
    for (const [i, c] of clients.entries()) assert.equal(yield* c.wait(), `client ${i}`);
    yield* loop.wait();
    assert.equal(sel.getMap().size, 1);
    assert.deepEqual(yield* sel.select(0), []);
    // As Python's selectors: any timeout <= 0 just looks, -Infinity too.
    assert.deepEqual(yield* sel.select(-1), []);
    assert.deepEqual(yield* sel.select(Number.NEGATIVE_INFINITY), []);
    sel.close();
    server.close();
  });
});

test('bad arguments', async () => {
  await run(function* () {
    assert.throws(
      () => select.select([{}] as never, [], []),
      /select\(rlist\)\[0\] must be a green socket/,
    );
    assert.throws(() => select.select('x' as never, [], []), /must be an array/);
    assert.throws(() => select.select([], [], [], 'soon' as never), TypeError);
    assert.throws(() => select.poll().register(42 as never), TypeError);
  });
});
