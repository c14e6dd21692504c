// eventlet's port forwarder: accept on one port, connect to another, and
// pump bytes both ways with two green threads per connection. Half-close
// passes through (shutdown(SHUT_WR) when one side ends), and sendall's
// backpressure keeps a fast sender from flooding a slow receiver.
// With no argument it forwards to a little upper-casing server it starts
// itself, sends a message through, and exits. With `8000 example.com:80`
// (or `-- 8000 example.com:80`) it forwards 127.0.0.1:8000 to that address
// until Ctrl-C.
// Run: npx --yes pnpm@10 build && node --import tsx examples/port-forwarder.ts [listenPort host:port]
import { socket } from '@verdant/green';
import { main, type Operation, spawn } from '@verdant/hub';
import { exampleArgs, hostPortArg, portArg } from './lib/args.ts';

const USAGE = 'node --import tsx examples/port-forwarder.ts [listenPort host:port]';

function* pump(from: socket.GreenSocket, to: socket.GreenSocket): Operation<number> {
  let total = 0;
  for (;;) {
    const data = yield* from.recv(65536);
    if (data.length === 0) break;
    yield* to.sendall(data);
    total += data.length;
  }
  to.shutdown(socket.SHUT_WR); // pass the EOF on
  return total;
}

function forwardTo(target: socket.Address) {
  return function* forward(client: socket.GreenSocket): Operation<void> {
    const upstream = yield* socket.connect(target, { timeoutMs: 5000 });
    try {
      const up = spawn(pump, client, upstream);
      const down = spawn(pump, upstream, client);
      const [sent, received] = [yield* up.wait(), yield* down.wait()];
      console.log(`forwarded ${sent} bytes up, ${received} bytes down`);
    } finally {
      upstream.close();
    }
  };
}

function* upperCaser(sock: socket.GreenSocket): Operation<void> {
  const data = yield* sock.makefile().read(); // until the client's EOF
  yield* sock.sendall(Buffer.from(data.toString().toUpperCase()));
}

main(function* () {
  const [listenWord, targetWord] = exampleArgs();
  if (listenWord !== undefined) {
    const listenPort = portArg(listenWord, USAGE);
    const target = hostPortArg(targetWord, USAGE);
    const proxy = yield* socket.listen(['127.0.0.1', listenPort]);
    console.log(`forwarding 127.0.0.1:${proxy.getsockname()[1]} to ${target[0]}:${target[1]}`);
    return yield* socket.serve(proxy, forwardTo(target));
  }
  const backend = yield* socket.listen(['127.0.0.1', 0]);
  const proxy = yield* socket.listen(['127.0.0.1', 0]);
  const threads = [
    spawn(function* () {
      yield* socket.serve(backend, upperCaser);
    }),
    spawn(function* () {
      yield* socket.serve(proxy, forwardTo(backend.getsockname()));
    }),
  ];
  console.log(`proxy :${proxy.getsockname()[1]} -> backend :${backend.getsockname()[1]}`);
  const sock = yield* socket.connect(proxy.getsockname());
  yield* sock.sendall(Buffer.from('hello through the forwarder'));
  sock.shutdown(socket.SHUT_WR);
  console.log(`reply: ${(yield* sock.makefile().read()).toString()}`);
  sock.close();
  proxy.close();
  backend.close();
  for (const t of threads) yield* t.wait();
});
