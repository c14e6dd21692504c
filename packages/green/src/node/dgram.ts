/**
 * Green face of `node:dgram` (the `socket` flag). A UDP socket belongs to no
 * green thread, as Node's (killing the thread that made it, or that waits in
 * its `recvfrom`, ends only that wait), and every
 * `dgram.Socket` made through this face, or any under `monkeyPatch`, has
 * `recvfrom()` (the next datagram and its sender's `[host, port]`) and
 * `sendto(data, [host, port])` as operations. Datagrams that arrive while no
 * thread waits are queued (up to 256, then the oldest are dropped); for
 * sockets made elsewhere (under `monkeyPatch`), queueing starts at the first
 * `recvfrom`.
 */
import type * as Real from 'node:dgram';
import { type Operation, suspend } from '@verdant/hub';
import { faceObject } from './internal/face-object.js';
import { pristine } from './pristine.js';

export * from 'node:dgram';

// Node's own dgram, even if this face loads after the builtin was patched.
const real = pristine('dgram') as typeof Real;

/** What this face replaces in `node:dgram`. */
export const patched = ['createSocket'] as const;

const MAX_QUEUED = 256;
export type Datagram = [Buffer, [string, number]];
interface Inbox {
  queue: Datagram[];
  wake: (() => void) | undefined;
  error: Error | undefined;
  closed: boolean;
}
const inboxes = new WeakMap<Real.Socket, Inbox>();

function inbox(sock: Real.Socket): Inbox {
  let box = inboxes.get(sock);
  if (box !== undefined) return box;
  const b: Inbox = { queue: [], wake: undefined, error: undefined, closed: false };
  box = b;
  inboxes.set(sock, b);
  sock.on('message', (data: Buffer, info: Real.RemoteInfo) => {
    if (b.queue.length >= MAX_QUEUED) b.queue.shift();
    b.queue.push([data, [info.address, info.port]]);
    b.wake?.();
  });
  sock.on('error', (error: Error) => {
    b.error = error;
    b.wake?.();
  });
  sock.on('close', () => {
    b.closed = true;
    b.wake?.();
  });
  return b;
}

/**
 * Waits for the next datagram: `[data, [host, port]]`. Throws the socket's
 * error, or an Error once it is closed.
 */
function recvfrom(this: Real.Socket): Operation<Datagram> {
  const box = inbox(this);
  return suspend<Datagram>((resume, fail) => {
    let taken: Datagram | undefined;
    const check = (): void => {
      if (taken !== undefined) return;
      const next = box.queue.shift();
      if (next !== undefined) {
        taken = next;
        resume(next);
      } else if (box.error !== undefined) fail(box.error);
      else if (box.closed) fail(new Error('recvfrom: the socket is closed'));
    };
    check();
    box.wake = check;
    return (interrupted) => {
      if (box.wake === check) box.wake = undefined;
      // Killed after the datagram was handed over: it goes back for the next reader.
      if (interrupted && taken !== undefined) box.queue.unshift(taken);
    };
  }, 'recvfrom');
}

// Node's own legacy `sendto(buf, offset, length, port, address, cb)`, kept on
// a global so a face loaded after the patch (the other build) still finds it.
const LEGACY = Symbol.for('verdant.dgram.legacySendto');
const legacyStore = globalThis as { [LEGACY]?: (...args: unknown[]) => void };
const legacySendto = (legacyStore[LEGACY] ??= (
  real.Socket.prototype as unknown as { sendto: (...args: unknown[]) => void }
).sendto);

function greenSendto(sock: Real.Socket, data: Uint8Array | string, to: [string, number]) {
  return suspend<number>((resume, fail) => {
    sock.send(data, to[1], to[0], (error, bytes) => {
      if (error) fail(error);
      else resume(bytes);
    });
  }, `sendto ${to[0]}:${to[1]}`);
}

/**
 * `sendto(data, [host, port])`: sends and returns, as an operation, once Node
 * has handed the datagram to the kernel. Any other call is Node's legacy
 * `sendto(buf, offset, length, port, address[, cb])`, which keeps working.
 */
function sendto(
  this: Real.Socket,
  data: Uint8Array | string,
  to: [string, number],
): Operation<number>;
function sendto(this: Real.Socket, ...args: unknown[]): Operation<number> | undefined {
  if (args.length === 2 && Array.isArray(args[1]))
    return greenSendto(this, args[0] as Uint8Array | string, args[1] as [string, number]);
  legacySendto.apply(this, args);
  return undefined;
}

/** Methods the patcher puts on `dgram.Socket.prototype`. */
export const patchedPrototypes = { Socket: { recvfrom, sendto } } as const;

/** A dgram socket with the green operations. */
export type GreenDgramSocket = Real.Socket & {
  recvfrom(): Operation<Datagram>;
  sendto(data: Uint8Array | string, to: [string, number]): Operation<number>;
};

/**
 * `dgram.createSocket`, with `recvfrom`/`sendto`; as Node's, the socket belongs to no green thread.
 *
 * @example
 * import { createSocket } from '@verdant/green/node/dgram';
 * const sock = createSocket('udp4');
 * sock.bind(0, '127.0.0.1');
 * yield* events.once(sock, 'listening'); // events: '@verdant/green/node/events'
 * yield* sock.sendto(Buffer.from('ping'), ['127.0.0.1', sock.address().port]);
 * const [data, from] = yield* sock.recvfrom(); // <Buffer 70 69 6e 67>, ['127.0.0.1', port]
 * sock.close();
 */
export function createSocket(
  ...args: [
    type: Real.SocketType | Real.SocketOptions,
    callback?: (msg: Buffer, rinfo: Real.RemoteInfo) => void,
  ]
): GreenDgramSocket {
  // A plain function like Node's, so `new dgram.createSocket(...)` works too (it returns the socket).
  const sock = (real.createSocket as (...a: unknown[]) => Real.Socket)(...args) as GreenDgramSocket;
  if (sock.recvfrom === undefined) {
    Object.defineProperties(sock, {
      recvfrom: { value: recvfrom, configurable: true, writable: true },
      sendto: { value: sendto, configurable: true, writable: true },
    });
  }
  // Queue from the start: a datagram that arrives before the first recvfrom is not lost.
  inbox(sock);
  return sock;
}

/** The face as CommonJS code sees `require('dgram')`. */
const face = faceObject(real, { createSocket });
export default face;
