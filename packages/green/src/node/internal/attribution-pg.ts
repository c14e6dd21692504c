/**
 * Beyond eventlet: a kill or Timeout stops a PostgreSQL query on the server
 * too. A client socket whose first request is a PostgreSQL startup (or SSL
 * / GSS encryption request) is watched until the server's BackendKeyData;
 * cancelling its in-flight request then sends a cancel request on a fresh
 * connection, as psql does on Ctrl-C. The server fails the query
 * ("canceling statement due to user request"), the library fails the
 * request, and the connection stays usable for the pool's next caller.
 */
import type * as Real from 'node:net';
import { setCanceller } from './attribution.js';
import { connectQuietly } from './attribution-quiet.js';

const PROTOCOL_3 = 196608;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

interface Watch {
  /** Server bytes not yet parsed into whole messages. */
  pending: Buffer;
  done: boolean;
}

const watched = new WeakMap<Real.Socket, Watch>();

/** True if `chunk`, a client's first write, opens a PostgreSQL session. */
function isStartup(chunk: unknown): boolean {
  if (!Buffer.isBuffer(chunk) || chunk.length < 8) return false;
  const code = chunk.readInt32BE(4);
  return code === PROTOCOL_3 || code === SSL_REQUEST || code === GSSENC_REQUEST;
}

/** A client socket's first write: a PostgreSQL one starts a watch. */
export function sawPostgresStart(sock: Real.Socket, chunk: unknown): void {
  if (!isStartup(chunk)) return;
  watched.set(sock, { pending: Buffer.alloc(0), done: false });
}

// Made apart from sawServerData, which runs for every chunk a pg socket
// reads: a closure there capturing `sock` would allocate a context per call.
function canceller(sock: Real.Socket, pid: number, key: Buffer): () => boolean {
  return () => sendCancel(sock, pid, key);
}

/** Server data on a watched socket: looks for BackendKeyData until ReadyForQuery. */
export function sawServerData(sock: Real.Socket, chunk: unknown): void {
  const w = watched.get(sock);
  if (w === undefined || w.done || !Buffer.isBuffer(chunk)) return;
  let buf = w.pending.length === 0 ? chunk : Buffer.concat([w.pending, chunk]);
  while (buf.length >= 5) {
    const type = buf[0];
    const length = buf.readInt32BE(1);
    if (buf.length < 1 + length) break;
    if (type === 0x4b /* K: BackendKeyData */ && length >= 12) {
      const pid = buf.readInt32BE(5);
      const key = Buffer.from(buf.subarray(9, 1 + length));
      setCanceller(sock, canceller(sock, pid, key));
    }
    if (type === 0x5a /* Z: ReadyForQuery */) {
      w.done = true;
      break;
    }
    buf = buf.subarray(1 + length);
  }
  w.pending = w.done ? Buffer.alloc(0) : Buffer.from(buf);
}

function sendCancel(sock: Real.Socket, pid: number, key: Buffer): boolean {
  const host = sock.remoteAddress;
  const port = sock.remotePort;
  // A Unix-socket session (no address) or a closed one: drop the connection instead.
  if (host === undefined || port === undefined) return false;
  const message = Buffer.alloc(12 + key.length);
  message.writeInt32BE(message.length, 0);
  message.writeInt32BE(CANCEL_REQUEST, 4);
  message.writeInt32BE(pid, 8);
  key.copy(message, 12);
  const cancel = connectQuietly(port, host);
  // Best effort, as psql's: the server answers by closing; a failure leaves the query to finish.
  cancel.on('error', () => {});
  cancel.end(message);
  return true;
}
