/**
 * Python's `socket` module, greened: `connect`, `listen`, `serve`,
 * `socketpair`, `getaddrinfo`, green TCP and UDP sockets, and the errors a
 * Python user expects. Blocking calls are operations (`yield*`).
 *
 * @example
 * import * as socket from '@verdant/green/socket';
 * const server = yield* socket.listen(['127.0.0.1', 0]);
 * const sock = yield* socket.connect(server.getsockname());
 */
export type { Address, AddressTuple } from './address.js';
export { type ConnectOptions, connect, createConnection } from './connect.js';
/** Python's name for `SocketTimeout` (`socket.timeout`). @example catch (e) { if (e instanceof socket.timeout) ... } */
/** Python's name for `SocketError` (`socket.error`). @example catch (e) { if (e instanceof socket.error) ... } */
/** Python's name for `GaiError` (`socket.gaierror`). @example catch (e) { if (e instanceof socket.gaierror) ... } */
export {
  BlockingIOError,
  BrokenPipeError,
  ConnectionAbortedError,
  ConnectionError,
  ConnectionRefusedError,
  ConnectionResetError,
  GaiError,
  GaiError as gaierror,
  SocketClosedError,
  SocketError,
  SocketError as error,
  SocketTimeout,
  SocketTimeout as timeout,
} from './errors.js';
export { GreenServer } from './green-server.js';
export {
  GreenSocket,
  IPPROTO_TCP,
  SHUT_RD,
  SHUT_RDWR,
  SHUT_WR,
  SO_KEEPALIVE,
  SOL_SOCKET,
  TCP_NODELAY,
} from './green-socket.js';
export { type ListenOptions, listen } from './listen.js';
export { IncompleteReadError, SocketFile } from './makefile.js';
export {
  type AddrInfo,
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  getaddrinfo,
  gethostbyname,
  gethostname,
  IPPROTO_UDP,
  SOCK_DGRAM,
  SOCK_STREAM,
} from './resolve.js';
export { type Handler, type ServeOptions, StopServe, serve } from './serve.js';
export { socketpair } from './socketpair.js';
export { type UdpOptions, UdpSocket, udpSocket } from './udp.js';
