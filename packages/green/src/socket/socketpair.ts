import type { Operation } from '@verdant/hub';
import { connect } from './connect.js';
import type { GreenSocket } from './green-socket.js';
import { listen } from './listen.js';

/**
 * Two green sockets connected to each other (Python's `socketpair`), made
 * over 127.0.0.1 since Node has no socketpair(2).
 *
 * @example
 * const [a, b] = yield* socket.socketpair();
 * yield* a.sendall(Buffer.from('hi'));
 * (yield* b.recv(2)).toString(); // 'hi'
 * a.close();
 * b.close();
 */
export function* socketpair(): Operation<[GreenSocket, GreenSocket]> {
  const server = yield* listen(['127.0.0.1', 0], { backlog: 1 });
  let a: GreenSocket | undefined;
  try {
    a = yield* connect(['127.0.0.1', server.getsockname()[1]]);
    const [b] = yield* server.accept();
    return [a, b];
  } catch (error) {
    a?.close();
    throw error;
  } finally {
    server.close();
  }
}
