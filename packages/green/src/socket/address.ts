import { checkInteger, describeValue } from '../internal/check.js';

/**
 * A socket address as Python writes it: a `[host, port]` tuple, a
 * `{ host, port }` object, or a bare port (127.0.0.1 to connect, every
 * interface to listen).
 */
export type Address =
  | readonly [host: string, port: number]
  | { host?: string; port: number }
  | number;

/** A resolved `[host, port]` pair, as `getpeername()`/`accept()` return it. */
export type AddressTuple = [host: string, port: number];

/** How an address is used: decides the default host and whether port 0 is allowed. */
export type AddressRole = 'connect' | 'listen' | 'bind' | 'sendto';

export interface HostPort {
  host: string | undefined;
  port: number;
}

/** Normalises an address; throws a TypeError/RangeError naming `what` on bad input. */
export function toHostPort(address: unknown, role: AddressRole, what = 'address'): HostPort {
  let host: unknown;
  let port: unknown;
  if (typeof address === 'number') {
    port = address;
  } else if (Array.isArray(address)) {
    if (address.length < 2) {
      throw new TypeError(`${what} must be a [host, port] pair, got an array of ${address.length}`);
    }
    host = address[0];
    port = address[1];
  } else if (typeof address === 'object' && address !== null && 'port' in address) {
    host = (address as { host?: unknown }).host;
    port = (address as { port: unknown }).port;
  } else {
    throw new TypeError(
      `${what} must be [host, port], { host, port } or a port number, got ${describeValue(address)}`,
    );
  }
  if (host !== undefined && host !== null && typeof host !== 'string') {
    throw new TypeError(`${what}: host must be a string, got ${describeValue(host)}`);
  }
  const min = role === 'connect' || role === 'sendto' ? 1 : 0;
  const checked = checkInteger(`${what}: port`, port, min, 65535);
  let h = (host as string | undefined | null) || undefined;
  if (h === undefined) h = role === 'listen' || role === 'bind' ? '0.0.0.0' : '127.0.0.1';
  return { host: h, port: checked };
}

/** `host:port`, with brackets around IPv6 hosts; used in labels and messages. */
export function formatAddress(host: string | undefined, port: number | undefined): string {
  const h = host ?? '?';
  return h.includes(':') ? `[${h}]:${port}` : `${h}:${port}`;
}
