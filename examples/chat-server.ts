// eventlet's chat server: every line a client sends is broadcast to every
// other connected client. One green thread per connection reads lines; each
// listener has its own bounded outbox and writer thread, so a slow client
// only delays its own deliveries: the speaker and the other listeners go on.
// A listener whose outbox stays full (OUTBOX_LINES lines behind) for
// GRACE_MS is dropped (and logged): the speaker waits that long at most, once.
// With no argument it runs a scripted chat between three bots and exits;
// with a port (`7000` or `-- 7000`; 0 for any free one) it serves until
// Ctrl-C (try several `nc 127.0.0.1 7000`).
// Run: npx --yes pnpm@10 build && node --import tsx examples/chat-server.ts [port]
import { socket } from '@verdant/green';
import {
  type GreenThread,
  getCurrent,
  main,
  type Operation,
  Queue,
  QueueFull,
  sleep,
  spawn,
} from '@verdant/hub';
import { exampleArgs, portArg } from './lib/args.ts';

const USAGE = 'node --import tsx examples/chat-server.ts [port]';
/** How far a listener may fall behind... */
const OUTBOX_LINES = 1000;
/** ...and for how long, before it is dropped. */
const GRACE_MS = 2000;

interface Participant {
  name: string;
  outbox: Queue<Buffer>;
  /** The connection's reader thread: killing it ends the connection. */
  reader: GreenThread;
}

const participants = new Set<Participant>();

/**
 * Queues `line` for every other participant. A full outbox makes the speaker
 * wait (its writer drains it in a burst), but at most GRACE_MS: a listener
 * that does not read by then is dropped instead of stalling everyone.
 */
function* broadcast(from: Participant, line: Buffer): Operation<void> {
  for (const p of [...participants]) {
    if (p === from || !participants.has(p)) continue;
    try {
      yield* p.outbox.put(line, true, GRACE_MS);
    } catch (error) {
      if (!(error instanceof QueueFull)) throw error;
      participants.delete(p);
      console.log(`* dropped ${p.name}: ${OUTBOX_LINES} lines behind for ${GRACE_MS} ms`);
      p.reader.kill();
    }
  }
}

function* handle(sock: socket.GreenSocket, [host, port]: socket.AddressTuple): Operation<void> {
  const me: Participant = {
    name: `${host}:${port}`,
    outbox: new Queue<Buffer>(OUTBOX_LINES),
    reader: getCurrent()!,
  };
  const writer = spawn(function* () {
    try {
      for (;;) yield* sock.sendall(yield* me.outbox.get());
    } catch {
      me.reader.kill(); // the client is gone: end its connection too
    }
  });
  participants.add(me);
  try {
    yield* broadcast(me, Buffer.from(`* ${me.name} joined\n`));
    yield* sock.makefile().eachLine(function* (line) {
      yield* broadcast(me, Buffer.concat([Buffer.from(`<${me.name}> `), line]));
    });
  } finally {
    writer.kill();
    if (participants.delete(me)) yield* broadcast(me, Buffer.from(`* ${me.name} left\n`));
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
  const word = exampleArgs()[0];
  const wanted = word === undefined ? undefined : portArg(word, USAGE);
  const server = yield* socket.listen(['127.0.0.1', wanted ?? 0]);
  const [, port] = server.getsockname();
  console.log(`chat server on 127.0.0.1:${port}`);
  const serving = spawn(function* () {
    yield* socket.serve(server, handle);
  });
  if (wanted !== undefined) return yield* serving.wait();

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
