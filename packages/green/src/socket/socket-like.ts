import type { Operation } from '@verdant/hub';
import type { Selectable } from '../internal/readiness.js';

/**
 * What a `SocketFile` needs of its socket: `GreenSocket` and `SSLSocket` fit.
 * The file only reads, writes and asks for readiness; it never owns the socket.
 */
export interface SocketLike extends Selectable {
  recv(n: number): Operation<Buffer>;
  sendall(data: Uint8Array): Operation<void>;
  readonly closed: boolean;
}
