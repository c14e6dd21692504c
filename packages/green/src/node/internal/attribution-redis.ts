/**
 * A kill or Timeout on a Redis connection (a client socket whose first
 * request is a RESP command array): instead of dropping the connection,
 * which ioredis and node-redis share between every caller and whose
 * unanswered commands ioredis sends again after reconnecting (so a killed
 * thread's `BLPOP` would come back and take the next job), a side
 * connection unblocks it with `CLIENT UNBLOCK <id> ERROR`: the blocked
 * command fails, the connection carries on. Non-blocking commands are
 * answered at once anyway. If the side connection cannot do it (a password,
 * a server without CLIENT UNBLOCK), the connection is destroyed after all.
 */
import type * as Real from 'node:net';
import { setCanceller } from './attribution.js';
import { connectQuietly } from './attribution-quiet.js';

const RESP_COMMAND = /^\*\d+\r\n/;

/** A client socket's first write: a RESP command makes it a Redis connection. */
export function sawRedisStart(sock: Real.Socket, chunk: unknown): void {
  const head = Buffer.isBuffer(chunk)
    ? chunk.toString('latin1', 0, 32)
    : String(chunk).slice(0, 32);
  if (RESP_COMMAND.test(head)) setCanceller(sock, () => unblock(sock));
}

function command(...words: string[]): string {
  return `*${words.length}\r\n${words.map((w) => `$${Buffer.byteLength(w)}\r\n${w}\r\n`).join('')}`;
}

function unblock(sock: Real.Socket): boolean {
  const host = sock.remoteAddress;
  const port = sock.remotePort;
  const me = `${sock.localAddress}:${sock.localPort}`;
  if (host === undefined || port === undefined) return false;
  const side = connectQuietly(port, host);
  let reply = '';
  let asked = false;
  let done = false;
  const giveUp = (): void => {
    side.destroy();
    if (!done) sock.destroy();
    done = true;
  };
  side.on('error', giveUp);
  side.setEncoding('latin1');
  side.on('data', (data: string) => {
    if (done) return;
    reply += data;
    if (reply.startsWith('-')) return giveUp();
    if (!asked) {
      // CLIENT LIST: one bulk string, a line per client; ours is the one at our local address.
      const header = /^\$(\d+)\r\n/.exec(reply);
      if (header === null || reply.length < header[0].length + Number(header[1])) return;
      const line = reply
        .split('\n')
        .find(
          (l) =>
            l.includes(` addr=${me} `) ||
            l.includes(` addr=[${sock.localAddress}]:${sock.localPort} `),
        );
      const id = line === undefined ? undefined : /^id=(\d+) /.exec(line)?.[1];
      if (id === undefined) return giveUp();
      asked = true;
      reply = '';
      side.write(command('CLIENT', 'UNBLOCK', id, 'ERROR'));
      return;
    }
    if (reply.includes('\r\n')) {
      done = true;
      side.end(command('QUIT'));
    }
  });
  side.write(command('CLIENT', 'LIST'));
  return true;
}
