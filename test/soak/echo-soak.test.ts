/**
 * The echo soak, bounded: CONNECTIONS green clients, CONCURRENCY at once,
 * against a green echo server in this process, with random payloads
 * (1 B-256 KB, log-uniform) and random fates: 5% of handlers killed by the
 * server mid-transfer, 5% of clients killed, 5% cut by a Timeout, 5% slow
 * readers, the rest plain. Holds: no echo is corrupt (a whole echo equals
 * what was sent; a cut one is a prefix of it), no error escapes to the log,
 * the server still serves afterwards, and no socket is left open. Bounded by
 * count, not time; the seed (VERDANT_SOAK_SEED to replay) is in every message.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterEach, test } from 'node:test';
import { socket } from '@verdant/green';
import {
  Event,
  GreenletExit,
  GreenPool,
  getCurrent,
  getHub,
  type Operation,
  run,
  sleep,
  spawn,
  Timeout,
} from '@verdant/hub';
import { assertIdle } from '@verdant/hub/testing';
import { pino } from 'pino';
import { prng } from '../../packages/hub/test/fixtures/prng.ts';

afterEach(() => assertIdle());

const SEED = Number(process.env.VERDANT_SOAK_SEED ?? 20261202);
const CONNECTIONS = 2000;
const CONCURRENCY = 200;
const MAX_PAYLOAD = 256 * 1024;

const PLAIN = 0;
const SERVER_KILL = 1;
const CLIENT_KILL = 2;
const TIMEOUT = 3;
const SLOW = 4;
type Fate = 0 | 1 | 2 | 3 | 4;

/** The server echoes everything after the first byte, which is the client's fate. */
function* echo(sock: socket.GreenSocket): Operation<void> {
  const head = yield* sock.recv(1);
  if (head.length === 0) return;
  for (;;) {
    const data = yield* sock.recv(65536);
    if (data.length === 0) return;
    yield* sock.sendall(data);
    // Killed by the server mid-transfer, once it has echoed something.
    if (head[0] === SERVER_KILL) getCurrent()!.kill();
  }
}

interface Outcome {
  fate: Fate;
  sent: Buffer;
  got: Buffer;
  whole: boolean;
}

function* client(
  port: number,
  fate: Fate,
  payload: Buffer,
  random: () => number,
): Operation<Outcome> {
  const sock = yield* socket.connect(['127.0.0.1', port]);
  const chunks: Buffer[] = [];
  let whole = false;
  const started = new Event<undefined>();
  const me = getCurrent()!;
  const timeout = fate === TIMEOUT ? new Timeout(Math.floor(random() * 5)) : undefined;
  const killer =
    fate === CLIENT_KILL
      ? spawn(function* () {
          yield* started.wait();
          me.kill();
        })
      : undefined;
  let writeError: unknown;
  const writer = spawn(function* () {
    try {
      yield* sock.sendall(Buffer.concat([Buffer.from([fate]), payload]));
      sock.shutdown(socket.SHUT_WR);
    } catch (error) {
      writeError = error; // judged below, with the fate
    }
  });
  const slowEvery = 1 + Math.floor(random() * 4);
  try {
    for (let reads = 0; ; reads++) {
      const data = yield* sock.recv(fate === SLOW ? 4096 : 65536);
      if (data.length === 0) break;
      chunks.push(data);
      if (!started.ready()) started.send(undefined);
      if (fate === SLOW && reads % slowEvery === 0) yield* sleep(1);
    }
    whole = true;
  } catch (error) {
    const expected =
      (fate === TIMEOUT && error === timeout) ||
      (fate === CLIENT_KILL && error instanceof GreenletExit) ||
      (fate === SERVER_KILL && error instanceof socket.ConnectionError);
    if (!expected) throw error;
  } finally {
    timeout?.cancel();
    killer?.kill();
    writer.kill();
    sock.close();
  }
  if (
    writeError !== undefined &&
    !(fate === SERVER_KILL && writeError instanceof socket.ConnectionError)
  ) {
    throw writeError;
  }
  return { fate, sent: payload, got: Buffer.concat(chunks), whole };
}

function fateOf(r: number): Fate {
  if (r < 0.05) return SERVER_KILL;
  if (r < 0.1) return CLIENT_KILL;
  if (r < 0.15) return TIMEOUT;
  if (r < 0.2) return SLOW;
  return PLAIN;
}

function tcpHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length;
}

test(`echo soak: ${CONNECTIONS} connections, ${CONCURRENCY} at once, random faults (seed ${SEED})`, {
  timeout: 240_000,
}, async () => {
  const errors: Record<string, unknown>[] = [];
  const hub = getHub();
  const previous = hub.logger;
  hub.logger = pino(
    { level: 'warn' },
    new Writable({
      write(chunk, _enc, done) {
        errors.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        done();
      },
    }),
  );
  const handlesBefore = tcpHandles();
  const tally = [0, 0, 0, 0, 0];
  try {
    await run(function* () {
      const random = prng(SEED);
      const server = yield* socket.listen(['127.0.0.1', 0]);
      const [, port] = server.getsockname();
      const serving = spawn(function* () {
        yield* socket.serve(server, echo);
      });
      const pool = new GreenPool(CONCURRENCY);
      const problems: string[] = [];
      for (let i = 0; i < CONNECTIONS; i++) {
        const fate = fateOf(random());
        const size = Math.max(1, Math.floor(MAX_PAYLOAD ** random()));
        const payload = randomBytes(size);
        const forClient = prng(SEED + i);
        yield* pool.spawn(function* () {
          try {
            const o = yield* client(port, fate, payload, forClient);
            tally[o.fate]!++;
            const prefix = o.got.equals(o.sent.subarray(0, o.got.length));
            if (!prefix) problems.push(`#${i} fate ${fate}: echo differs from what was sent`);
            else if (o.whole && o.got.length !== o.sent.length && fate !== SERVER_KILL) {
              problems.push(`#${i} fate ${fate}: ${o.got.length} of ${o.sent.length} bytes echoed`);
            }
          } catch (error) {
            problems.push(`#${i} fate ${fate}: ${String(error)}`);
          }
        });
      }
      yield* pool.waitall();
      // The server still serves: one more plain round trip after all that.
      const after = yield* client(port, PLAIN, Buffer.from('still serving'), prng(SEED));
      assert.equal(after.got.toString(), 'still serving', `seed ${SEED}`);
      server.close();
      yield* serving.wait();
      assert.deepEqual(problems, [], `seed ${SEED}`);
    });
  } finally {
    hub.logger = previous;
  }
  assert.deepEqual(errors, [], `no error escaped to the log (seed ${SEED})`);
  await assertIdle();
  assert.equal(tcpHandles(), handlesBefore, `no TCP handle left open (seed ${SEED})`);
  for (const fate of [PLAIN, SERVER_KILL, CLIENT_KILL, TIMEOUT, SLOW]) {
    assert.ok(tally[fate]! > 0, `fate ${fate} happened (seed ${SEED}): ${tally.join(' ')}`);
  }
});
