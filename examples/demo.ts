// Verdant's main demo: a green echo server and 1,000 green clients in one
// process, all written as plain blocking code, then a Timeout cutting a recv
// short. It starts on a free port on 127.0.0.1 and stops by itself.
// Run: npx --yes pnpm@10 demo   (or, once built: node --import tsx examples/demo.ts)
import { socket } from '@verdant/green';
import { GreenPool, getHub, main, type Operation, spawn, Timeout } from '@verdant/hub';

const CLIENTS = 1000;
const ROUND_TRIPS = 20;

/** One connection on the server side: echo until the client closes. */
function* echo(sock: socket.GreenSocket): Operation<void> {
  for (let data: Buffer; (data = yield* sock.recv(65536)).length !== 0; ) {
    yield* sock.sendall(data);
  }
}

/** One client: ROUND_TRIPS 64-byte ping-pongs; returns whether every reply matched. */
function* client(port: number, id: number): Operation<boolean> {
  const sock = yield* socket.connect(['127.0.0.1', port]);
  try {
    const file = sock.makefile();
    for (let i = 0; i < ROUND_TRIPS; i++) {
      const message = Buffer.from(`client ${id} says ${i}`.padEnd(64, '.'));
      yield* sock.sendall(message);
      const reply = yield* file.readExactly(64);
      if (!reply.equals(message)) return false;
    }
    return true;
  } finally {
    sock.close();
  }
}

main(function* () {
  const server = yield* socket.listen(['127.0.0.1', 0]);
  const [, port] = server.getsockname();
  const serving = spawn(function* () {
    yield* socket.serve(server, echo);
  });
  console.log(`echo server listening on 127.0.0.1:${port}`);

  const started = getHub().now();
  const pool = new GreenPool(CLIENTS);
  const results = pool.imap(
    client,
    Array.from({ length: CLIENTS }, () => port),
    Array.from({ length: CLIENTS }, (_, i) => i),
  );
  let ok = 0;
  for (let r = yield* results.next(); !r.done; r = yield* results.next()) if (r.value) ok++;
  const ms = getHub().now() - started;
  const trips = CLIENTS * ROUND_TRIPS;
  console.log(
    `${ok}/${CLIENTS} green clients got all ${ROUND_TRIPS} replies right: ${trips} round trips in ${ms.toFixed(0)} ms (${Math.round((trips / ms) * 1000)}/s)`,
  );

  // A Timeout lands wherever the thread is blocked: here, a recv nobody answers.
  const silent = yield* socket.connect(['127.0.0.1', port]);
  const timeout = new Timeout(100);
  try {
    yield* silent.recv(64);
  } catch (e) {
    if (e !== timeout) throw e;
    console.log('a recv with no reply was cut short by a 100 ms Timeout');
  } finally {
    timeout.cancel();
    silent.close();
  }

  server.close(); // serve() returns once its server is closed
  yield* serving.wait();
  console.log(
    `done: ${getHub().stats().spawned} green threads ran; nothing is left, so the process exits`,
  );
});
