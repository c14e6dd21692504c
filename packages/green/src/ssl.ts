/**
 * Python's `ssl` module, greened on `node:tls`: `wrapSocket` (client and
 * server side), TLS `connect` and `listen`, with the GreenSocket interface.
 *
 * @module
 */
export { SSLCertVerificationError, SSLError } from './socket/errors.js';
export { connect, type TlsConnectOptions } from './ssl/connect.js';
export { listen, type TlsListenOptions } from './ssl/listen.js';
export { SSLSocket } from './ssl/ssl-socket.js';
export { type WrapOptions, wrapSocket } from './ssl/wrap-socket.js';
