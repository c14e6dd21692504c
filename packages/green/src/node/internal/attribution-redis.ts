/**
 * A kill or Timeout on a Redis connection (a client socket whose first
 * request is a RESP command array): instead of dropping the connection,
 * which ioredis and node-redis share between every caller and whose
 * unanswered commands ioredis sends again after reconnecting (so a killed
 * thread's `BLPOP` would come back and take the next job), a side
 * connection unblocks it with `CLIENT UNBLOCK <id> ERROR`: the blocked
 * command fails, the connection carries on. Non-blocking commands are
 * answered at once anyway. Behind a password the side connection sends the
 * credentials the library's connection opened with (its first command, an
 * AUTH or a HELLO ... AUTH). If the side connection cannot do it (other
 * credentials, a user without CLIENT rights, a server without CLIENT
 * UNBLOCK), the connection is destroyed after all.
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
  if (!RESP_COMMAND.test(head)) return;
  const first = firstCommand(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  const auth = first === undefined ? undefined : credentials(first);
  setCanceller(sock, () => unblock(sock, auth));
}

/** The words of the RESP command array that starts `chunk`, if all of it is there. */
function firstCommand(chunk: unknown): Buffer[] | undefined {
  if (!(chunk instanceof Uint8Array)) return undefined;
  const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const count = /^\*(\d+)\r\n/.exec(bytes.toString('latin1', 0, 16));
  if (count === null) return undefined;
  const words: Buffer[] = [];
  let at = count[0].length;
  for (let i = 0; i < Number(count[1]); i++) {
    const size = /^\$(\d+)\r\n/.exec(bytes.toString('latin1', at, at + 24));
    if (size === null) return undefined;
    const start = at + size[0].length;
    const end = start + Number(size[1]);
    if (end + 2 > bytes.length) return undefined;
    words.push(bytes.subarray(start, end));
    at = end + 2;
  }
  return words;
}

/**
 * The AUTH arguments (password, or user and password) a connection's first
 * command carries: copies, so the library's write buffer is not kept.
 */
function credentials(words: Buffer[]): Buffer[] | undefined {
  const name = words[0]?.toString('latin1').toUpperCase();
  let auth: Buffer[] | undefined;
  if (name === 'AUTH' && (words.length === 2 || words.length === 3)) auth = words.slice(1);
  else if (name === 'HELLO') {
    const at = words.findIndex((w, i) => i > 0 && w.toString('latin1').toUpperCase() === 'AUTH');
    if (at > 0 && at + 2 < words.length) auth = words.slice(at + 1, at + 3);
  }
  return auth?.map((word) => Buffer.from(word));
}

function command(...words: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${words.length}\r\n`)];
  for (const word of words) {
    const bytes = typeof word === 'string' ? Buffer.from(word) : word;
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, CRLF);
  }
  return Buffer.concat(parts);
}

const CRLF = Buffer.from('\r\n');

function unblock(sock: Real.Socket, auth: Buffer[] | undefined): boolean {
  const host = sock.remoteAddress;
  const port = sock.remotePort;
  const me = `${sock.localAddress}:${sock.localPort}`;
  if (host === undefined || port === undefined) return false;
  const side = connectQuietly(port, host);
  let reply = '';
  // AUTH's reply comes first: skipped, whatever it says (CLIENT LIST fails if it mattered).
  let authReply = auth !== undefined;
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
    if (authReply) {
      const end = reply.indexOf('\r\n');
      if (end < 0) return;
      reply = reply.slice(end + 2);
      authReply = false;
      if (reply === '') return;
    }
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
  const list = command('CLIENT', 'LIST');
  side.write(auth === undefined ? list : Buffer.concat([command('AUTH', ...auth), list]));
  return true;
}
