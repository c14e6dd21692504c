import type { PeerCertificate, TLSSocket } from 'node:tls';
import { GreenSocket } from '../socket/green-socket.js';

/**
 * A green socket over TLS (Python's `ssl.SSLSocket`): the GreenSocket
 * interface plus the session's certificate, cipher and protocol.
 *
 * @example
 * const sock = yield* ssl.connect(['127.0.0.1', 8443], { ca, servername: 'localhost' });
 * sock.version(); // 'TLSv1.3'
 */
export class SSLSocket extends GreenSocket {
  declare readonly _sock: TLSSocket;

  /**
   * The peer's certificate (Node's shape), or null if it sent none.
   * @example sock.getpeercert()?.subject.CN
   */
  getpeercert(): PeerCertificate | null {
    const cert = this._sock.getPeerCertificate();
    return cert && Object.keys(cert).length > 0 ? cert : null;
  }

  /**
   * `[name, protocol, bits]` of the negotiated cipher, as Python returns it.
   * @example const [name] = sock.cipher();
   */
  cipher(): [string, string, number] | null {
    const c = this._sock.getCipher();
    return c ? [c.name, c.version, 0] : null;
  }

  /**
   * The TLS protocol version (`'TLSv1.3'`...).
   * @example sock.version()
   */
  version(): string | null {
    return this._sock.getProtocol();
  }

  /**
   * The ALPN protocol the peers agreed on, or null.
   * @example sock.selectedAlpnProtocol()
   */
  selectedAlpnProtocol(): string | null {
    const p = this._sock.alpnProtocol;
    return typeof p === 'string' ? p : null;
  }

  override toString(): string {
    return `<SSLSocket ${this.closed ? 'closed' : this.getpeername().join(':')}>`;
  }
}
