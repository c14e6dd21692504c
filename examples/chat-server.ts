// eventlet's chat server: every line a client sends is broadcast to every
// other connected client. One green thread per connection reads lines; a
// write to a slow client blocks only that client's sender thread.
// With no argument it runs a scripted chat between three bots and exits;
// with a port (`-- 7000`) it serves forever (try several `nc 127.0.0.1 7000`).
// Run: npx --yes pnpm@10 build && node --import tsx examples/chat-server.ts [port]
import { socket } from '@verdant/green';
import { main, type Operation, sleep, spawn } from '@verdant/hub';

const participants = new Set<socket.GreenSocket>();

function* broadcast(from: socket.GreenSocket, line: Buffer): Operation<void> {
  for (const p of participants) {
    if (p === from) continue;
    try {
      yield* p.sendall(line);
    } catch {
      participants.delete(p); // gone: forget it, keep talking to the others
    }
  }
}

function* handle(sock: socket.GreenSocket, [host, port]: socket.AddressTuple): Operation<void> {
  participants.add(sock);
  const name = `${host}:${port}`;
  try {
    yield* broadcast(sock, Buffer.from(`* ${name} joined\n`));
    yield* sock.makefile().eachLine(function* (line) {
      yield* broadcast(sock, Buffer.concat([Buffer.from(`<${name}> `), line]));
    });
  } finally {
    participants.delete(sock);
    yield* broadcast(sock, Buffer.from(`* ${name} left\n`));
  }
}

function* bot(port: number, name: string, says: string[]): Operation<string[]> {
  const sock = yield* socket.connect(['127.0.0.1', port]);
  const heard: string[] = [];
  const listener = spawn(function* () {
    yield* sock.makefile().eachLine(function* (line) {
      heard.push(line.toString().trimEnd());
    });
  });
  yield* sleep(50); // let everyone join
  for (const text of says) {
    yield* sock.sendall(Buffer.from(`${name}: ${text}\n`));
    yield* sleep(10);
  }
  yield* sleep(50);
  sock.shutdown(socket.SHUT_WR);
  yield* sleep(20);
  listener.kill();
  sock.close();
  return heard;
}

main(function* () {
  const wanted = Number(process.argv[2] ?? 0);
  const server = yield* socket.listen(['127.0.0.1', wanted]);
  const [, port] = server.getsockname();
  console.log(`chat server on 127.0.0.1:${port}`);
  const serving = spawn(function* () {
    yield* socket.serve(server, handle);
  });
  if (wanted) return yield* serving.wait();

  const bots = [
    spawn(bot, port, 'ada', ['hello all', 'anyone up for lunch?']),
    spawn(bot, port, 'bob', ['hi ada', 'yes!']),
    spawn(bot, port, 'cy', ['count me in']),
  ];
  const heard = [];
  for (const b of bots) heard.push(yield* b.wait());
  console.log('what ada heard:');
  for (const line of heard[0]!) console.log(`  ${line}`);
  server.close();
  yield* serving.wait();
});
