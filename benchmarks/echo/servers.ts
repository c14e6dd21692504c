/**
 * The echo servers, each started in its own process as
 * `echo.bench.ts --server <name>`: each prints its port on stdout once
 * listening, then echoes every byte back on every connection until the
 * client closes it. The Python peers are scripts for Debian's python3.
 */
import * as net from 'node:net';

/** The floor: Node's own `net` with callbacks, the least a Node echo server does. */
function rawServer(): void {
  const server = net.createServer((sock) => {
    sock.on('data', (data) => sock.write(data));
    sock.on('error', () => {});
  });
  server.listen({ host: '127.0.0.1', port: 0, backlog: 2048 }, () => {
    process.stdout.write(`${(server.address() as net.AddressInfo).port}\n`);
  });
}

/** Verdant: `socket.serve` spawns a green thread per connection, `recv` / `sendall` in a loop. */
async function greenServer(): Promise<void> {
  const { main } = await import('@verdant/hub');
  const { socket } = await import('@verdant/green');
  main(function* () {
    const server = yield* socket.listen(['127.0.0.1', 0], { backlog: 2048 });
    process.stdout.write(`${server.getsockname()[1]}\n`);
    yield* socket.serve(
      server,
      function* (sock) {
        for (;;) {
          const data = yield* sock.recv(65536);
          if (data.length === 0) return;
          yield* sock.sendall(data);
        }
      },
      { concurrency: 10000 },
    );
  });
}

/**
 * Effect 4: `NodeSocketServer.make` from @effect/platform-node runs a fiber per
 * connection; the handler pulls batches from the socket's reader and writes
 * each chunk back with its writer. A close ends the pull with a SocketError,
 * which ends the handler quietly.
 */
async function effectServer(): Promise<void> {
  const { Effect } = await import('effect');
  const { NodeSocketServer } = await import('@effect/platform-node');
  const program = Effect.gen(function* () {
    const server = yield* NodeSocketServer.make({ host: '127.0.0.1', port: 0, backlog: 2048 });
    process.stdout.write(`${(server.address as { port: number }).port}\n`);
    return yield* server.run((sock) =>
      Effect.scoped(
        Effect.gen(function* () {
          const { pull } = yield* sock.reader;
          const { write } = yield* sock.writer;
          for (;;) {
            for (const chunk of yield* pull) yield* write(chunk);
          }
        }),
      ).pipe(Effect.ignore),
    );
  });
  Effect.runFork(Effect.scoped(program));
}

/** The echo handler both Python servers run, so they differ only in their library. */
const PY_HANDLE = `def handle(sock, addr):
    while True:
        data = sock.recv(65536)
        if not data:
            break
        sock.sendall(data)
`;

/** eventlet's own server loop: a green thread per connection from its pool. */
export const EVENTLET = `
import eventlet
${PY_HANDLE}server = eventlet.listen(('127.0.0.1', 0), backlog=2048)
print(server.getsockname()[1], flush=True)
eventlet.serve(server, handle, concurrency=10000)
`;

/** gevent's StreamServer: a greenlet per connection. */
export const GEVENT = `
from gevent.server import StreamServer
${PY_HANDLE}server = StreamServer(('127.0.0.1', 0), handle, backlog=2048)
server.start()
print(server.address[1], flush=True)
server.serve_forever()
`;

export const NODE_SERVERS: Record<string, () => void | Promise<void>> = {
  raw: rawServer,
  green: greenServer,
  effect: effectServer,
};

/**
 * Run as `--server <name>` (a bench starting its own server processes):
 * starts that server, after `prepare` (the attribution bench patches first).
 * Returns false when this process is the bench itself.
 */
export async function serveIfAsked(prepare?: () => Promise<void>): Promise<boolean> {
  const at = process.argv.indexOf('--server');
  if (at < 0) return false;
  const name = process.argv[at + 1]!;
  const server = NODE_SERVERS[name];
  if (server === undefined)
    throw new RangeError(
      `--server ${name}: expected one of ${Object.keys(NODE_SERVERS).join(', ')}`,
    );
  await prepare?.();
  await server();
  return true;
}
