// eventlet's classic echo server: one green thread per connection, written
// as plain blocking code (recv, sendall). With no argument it starts on a
// free port, talks to itself with 100 concurrent clients, and exits; with a
// port (`-- 6000`) it serves forever: try `nc 127.0.0.1 6000`, Ctrl-C stops it.
// Run: npx --yes pnpm@10 build && node --import tsx examples/echo-server.ts [port]
import { socket } from '@verdant/green';
import { main, type Operation, spawn } from '@verdant/hub';
import { exampleArgs, portArg } from './lib/args.ts';

const USAGE = 'node --import tsx examples/echo-server.ts [port]';

function* handle(sock: socket.GreenSocket, [host, port]: socket.AddressTuple): Operation<void> {
  console.log(`client ${host}:${port} connected`);
  for (;;) {
    const data = yield* sock.recv(65536);
    if (data.length === 0) break; // the client closed its side
    yield* sock.sendall(data);
  }
  // serve() closes the socket when the handler returns.
}

function* client(port: number, id: number): Operation<boolean> {
  const sock = yield* socket.connect(['127.0.0.1', port]);
  try {
    const f = sock.makefile();
    let ok = true;
    for (let i = 0; i < 10; i++) {
      const line = `client ${id} line ${i}\n`;
      yield* f.write(line);
      yield* f.flush();
      ok &&= (yield* f.readline()).toString() === line;
    }
    return ok;
  } finally {
    sock.close();
  }
}

main(function* () {
  const word = exampleArgs()[0];
  // A port given (0 for any free one) serves until Ctrl-C; none runs the demo.
  const wanted = word === undefined ? undefined : portArg(word, USAGE);
  const server = yield* socket.listen(['127.0.0.1', wanted ?? 0]);
  const [, port] = server.getsockname();
  console.log(`echo server on 127.0.0.1:${port}`);
  const serving = spawn(function* () {
    yield* socket.serve(server, wanted === undefined ? quietHandle : handle);
  });
  if (wanted !== undefined) return yield* serving.wait();

  const clients = Array.from({ length: 100 }, (_, id) => spawn(client, port, id));
  let ok = 0;
  for (const c of clients) if (yield* c.wait()) ok++;
  console.log(`${ok}/100 clients got every line echoed back`);
  server.close(); // serve() returns once the server is closed
  yield* serving.wait();
});

function* quietHandle(sock: socket.GreenSocket): Operation<void> {
  for (let data: Buffer; (data = yield* sock.recv(65536)).length !== 0; ) {
    yield* sock.sendall(data);
  }
}
