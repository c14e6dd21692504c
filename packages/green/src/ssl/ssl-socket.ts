import type { PeerCertificate, TLSSocket } from 'node:tls';
import { GreenSocket } from '../socket/green-socket.js';

/**
 * A green socket over TLS (Python's `ssl.SSLSocket`): the GreenSocket
 * interface plus the session's certificate, cipher and protocol.
 *
 * @example
 * // key.pem / cert.pem: the server's key and its (self-signed) certificate for 'localhost'
 * const [key, cert] = [readFileSync('key.pem'), readFileSync('cert.pem')];
 * const server = yield* ssl.listen(['127.0.0.1', 0], { key, cert });
 * spawn(function* () {
 *   const [conn] = yield* server.accept();
 *   conn.close();
 * });
 * const sock = yield* ssl.connect(server.getsockname(), { ca: cert, servername: 'localhost' });
 * sock.version(); // 'TLSv1.3'
 * sock.close();
 * server.close();
 */
export class SSLSocket extends GreenSocket {
  declare readonly _sock: TLSSocket;

  /** The peer's certificate (Node's shape), or null if it sent none. */
  getpeercert(): PeerCertificate | null {
    const cert = this._sock.getPeerCertificate();
    return cert && Object.keys(cert).length > 0 ? cert : null;
  }

  /** `[name, protocol, bits]` of the negotiated cipher, as Python returns it. */
  cipher(): [string, string, number] | null {
    const c = this._sock.getCipher();
    return c ? [c.name, c.version, 0] : null;
  }

  /** The TLS protocol version (`'TLSv1.3'`...). */
  version(): string | null {
    return this._sock.getProtocol();
  }

  /** The ALPN protocol the peers agreed on, or null. */
  selectedAlpnProtocol(): string | null {
    const p = this._sock.alpnProtocol;
    return typeof p === 'string' ? p : null;
  }

  override toString(): string {
    return `<SSLSocket ${this.closed ? 'closed' : this.getpeername().join(':')}>`;
  }
}
