import * as dns from 'node:dns';
import { hostname } from 'node:os';
import { type Operation, suspend } from '@verdant/hub';
import { checkChoice, checkInteger, describeValue } from '../internal/check.js';
import type { AddressTuple } from './address.js';
import { translateError } from './errors.js';

/** Address families and socket types (Linux values, as Python reports them). */
export const AF_UNSPEC = 0;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const IPPROTO_UDP = 17;

/** One `getaddrinfo` result: `[family, type, proto, canonname, [address, port]]`, as in Python. */
export type AddrInfo = [
  family: number,
  type: number,
  proto: number,
  canonname: string,
  sockaddr: AddressTuple,
];

function lookupAll(host: string, family: 0 | 4 | 6): Operation<dns.LookupAddress[]> {
  return suspend<dns.LookupAddress[]>((resume, fail) => {
    dns.lookup(host, { all: true, family }, (error, addresses) => {
      if (error) fail(translateError(error));
      else resume(addresses);
    });
  }, `getaddrinfo ${host}`);
}

/**
 * Resolves `host` without blocking other green threads (on Node's dns.lookup,
 * which uses the threadpool). Throws `GaiError` for unknown hosts.
 *
 * @example
 * const infos = yield* socket.getaddrinfo('localhost', 80, socket.AF_INET, socket.SOCK_STREAM);
 * const [family, type, proto, canonname, [address, port]] = infos[0]!; // address: '127.0.0.1'
 */
export function getaddrinfo(
  host: string,
  port: number | null = null,
  family = AF_UNSPEC,
  type = 0,
): Operation<AddrInfo[]> {
  if (typeof host !== 'string') {
    throw new TypeError(`getaddrinfo(host): host must be a string, got ${describeValue(host)}`);
  }
  if (port !== null) {
    checkInteger(
      'getaddrinfo(host, port): port',
      port,
      0,
      65535,
      'an integer from 0 to 65535 or null',
    );
  }
  checkChoice(
    'getaddrinfo(host, port, family): family',
    family,
    [AF_UNSPEC, AF_INET, AF_INET6],
    'AF_UNSPEC, AF_INET or AF_INET6',
  );
  checkChoice(
    'getaddrinfo(host, port, family, type): type',
    type,
    [0, SOCK_STREAM, SOCK_DGRAM],
    '0, SOCK_STREAM or SOCK_DGRAM',
  );
  return resolving(host, port ?? 0, family, type);
}

function* resolving(
  host: string,
  port: number,
  family: number,
  type: number,
): Operation<AddrInfo[]> {
  const addresses = yield* lookupAll(
    host || 'localhost',
    family === AF_INET ? 4 : family === AF_INET6 ? 6 : 0,
  );
  const types = type === 0 ? [SOCK_STREAM, SOCK_DGRAM] : [type];
  const out: AddrInfo[] = [];
  for (const a of addresses) {
    for (const t of types) {
      out.push([
        a.family === 6 ? AF_INET6 : AF_INET,
        t,
        t === SOCK_STREAM ? 6 : IPPROTO_UDP,
        '',
        [a.address, port],
      ]);
    }
  }
  return out;
}

/**
 * The first IPv4 address of `host` (Python's `gethostbyname`).
 *
 * @example
 * const ip = yield* socket.gethostbyname('localhost'); // '127.0.0.1'
 */
export function gethostbyname(host: string): Operation<string> {
  if (typeof host !== 'string') {
    throw new TypeError(`gethostbyname(host): host must be a string, got ${describeValue(host)}`);
  }
  return firstIPv4(host);
}

function* firstIPv4(host: string): Operation<string> {
  const [first] = yield* lookupAll(host, 4);
  return first!.address;
}

/**
 * This machine's host name (does not block: no I/O).
 *
 * @example
 * const name = socket.gethostname(); // this machine's host name
 */
export function gethostname(): string {
  return hostname();
}
