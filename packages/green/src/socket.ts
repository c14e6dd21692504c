/**
 * Python's `socket` module, greened: `connect`, `listen`, `serve`,
 * `socketpair`, `getaddrinfo`, green TCP and UDP sockets, and the errors a
 * Python user expects. Blocking calls are operations (`yield*`).
 *
 * @module
 */
export type { Address, AddressTuple } from './socket/address.js';
export { type ConnectOptions, connect, createConnection } from './socket/connect.js';
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
} from './socket/errors.js';
export { GreenServer, type WrapConnection } from './socket/green-server.js';
export {
  GreenSocket,
  IPPROTO_TCP,
  SHUT_RD,
  SHUT_RDWR,
  SHUT_WR,
  SO_KEEPALIVE,
  SOL_SOCKET,
  TCP_NODELAY,
} from './socket/green-socket.js';
export { type ListenOptions, listen } from './socket/listen.js';
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
} from './socket/resolve.js';
export { type Handler, type ServeOptions, StopServe, serve } from './socket/serve.js';
export { IncompleteReadError, SocketFile } from './socket/socket-file.js';
export type { SocketLike } from './socket/socket-like.js';
export { socketpair } from './socket/socketpair.js';
export { type UdpOptions, UdpSocket, udpSocket } from './socket/udp-socket.js';
