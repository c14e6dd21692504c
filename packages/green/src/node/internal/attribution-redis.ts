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
 * UNBLOCK, a refusal), or the connection is TLS (the side connection is
 * plain TCP), the connection is destroyed after all.
 */
import type * as Real from 'node:net';
import { setCanceller } from './attribution.js';
import { connectQuietly } from './attribution-quiet.js';

const RESP_COMMAND = /^\*\d+\r\n/;
// A first command that can carry credentials: AUTH, or HELLO (with AUTH among its arguments).
const AUTH_OR_HELLO = /^\*\d+\r\n\$(?:4\r\nAUTH|5\r\nHELLO)\r\n/i;
const MAX_AUTH_BYTES = 64 * 1024;

/** A client socket's first write: a RESP command makes it a Redis connection. */
export function sawRedisStart(sock: Real.Socket, chunk: unknown, encoding?: unknown): void {
  // Every client socket's first write comes here (HTTP, pg...): look at its head only.
  const head = prefix(chunk, encoding, 32)?.toString('latin1');
  if (head === undefined || !RESP_COMMAND.test(head)) return;
  // Over TLS the side connection (plain TCP) could neither reach the server nor be
  // trusted with a password: such a connection is destroyed on a kill, as any other.
  if ((sock as { encrypted?: boolean }).encrypted === true) return;
  let auth: Buffer[] | undefined;
  if (AUTH_OR_HELLO.test(head)) {
    try {
      // Credentials fit in its first 64 KiB: a large first write is not copied whole.
      const first = firstCommand(prefix(chunk, encoding, MAX_AUTH_BYTES) as Buffer);
      auth = first === undefined ? undefined : credentials(first);
    } catch {
      // Never let this break the library's write: without credentials, the unblock fails over to destroy.
    }
  }
  setCanceller(sock, () => unblock(sock, auth));
}

/** Up to `max` of the first bytes a `write(chunk, encoding)` sends; undefined if it sends no string or bytes. */
function prefix(chunk: unknown, encoding: unknown, max: number): Buffer | undefined {
  if (typeof chunk === 'string') {
    const as = typeof encoding === 'string' && Buffer.isEncoding(encoding) ? encoding : 'utf8';
    // No encoding takes more than 2 characters a byte (hex): 2 × max characters make max bytes.
    return Buffer.from(chunk.slice(0, max * 2), as).subarray(0, max);
  }
  if (chunk instanceof Uint8Array) {
    return Buffer.from(chunk.buffer, chunk.byteOffset, Math.min(chunk.byteLength, max));
  }
  return undefined;
}

/** The words of the RESP command array that starts `bytes`, if all of it is there. */
function firstCommand(bytes: Buffer): Buffer[] | undefined {
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
  // Refused without an error event (max clients reached: an error reply, then the close).
  side.on('close', () => {
    if (!done) giveUp();
  });
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
