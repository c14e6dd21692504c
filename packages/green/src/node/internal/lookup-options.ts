/**
 * `dns.lookup`'s arguments, checked the way Node checks them (same order,
 * same error codes), so a bad `hints` or `family` fails at the call under the
 * patch exactly as it does without it.
 */
import dns from 'node:dns';
import { checkNodeFunction, checkOneOf, invalidArgType, invalidArgValue } from './node-errors.js';

export type Order = 'ipv4first' | 'ipv6first' | 'verbatim';

export interface LookupRequest {
  family: 0 | 4 | 6;
  hints: number;
  all: boolean;
  order: Order;
}

const FAMILIES = [0, 4, 6] as const;
const ORDERS: readonly Order[] = ['ipv4first', 'ipv6first', 'verbatim'];
const KNOWN_HINTS = dns.ADDRCONFIG | dns.ALL | dns.V4MAPPED;

function defaultOrder(): Order {
  // getDefaultResultOrder appeared in 20.1; before it the default was verbatim.
  const get = (dns as { getDefaultResultOrder?: () => string }).getDefaultResultOrder;
  const order = get?.() ?? 'verbatim';
  return (ORDERS as readonly string[]).includes(order) ? (order as Order) : 'verbatim';
}

function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalidArgType(name, 'of type boolean', value);
  return value;
}

/**
 * The hostname and options of `lookup(hostname, options)`; `callback` is the
 * callback form's (checked where Node checks it, after the hostname), absent
 * for dns/promises, which also takes no `'IPv4'`/`'IPv6'` family names.
 */
export function lookupRequest(
  hostname: unknown,
  options: unknown,
  callback?: { value: unknown },
): LookupRequest {
  const req: LookupRequest = { family: 0, hints: 0, all: false, order: defaultOrder() };
  if (hostname && typeof hostname !== 'string')
    throw invalidArgType('hostname', 'of type string', hostname);
  if (callback !== undefined) checkNodeFunction('callback', callback.value);
  const promises = callback === undefined;
  if (typeof options === 'number') {
    req.family = checkOneOf('family', options, FAMILIES);
    return req;
  }
  if (options !== undefined && (typeof options !== 'object' || typeof options === 'function'))
    throw invalidArgType('options', 'one of type integer or object', options);
  if (options === null || options === undefined) return req;
  const o = options as Record<string, unknown>;
  if (o.hints != null) {
    if (typeof o.hints !== 'number')
      throw invalidArgType('options.hints', 'of type number', o.hints);
    req.hints = o.hints >>> 0;
    if ((req.hints & ~KNOWN_HINTS) !== 0) throw invalidArgValue('hints', req.hints);
  }
  if (o.family != null) {
    if (!promises && o.family === 'IPv4') req.family = 4;
    else if (!promises && o.family === 'IPv6') req.family = 6;
    else req.family = checkOneOf('options.family', o.family, FAMILIES);
  }
  if (o.all != null) req.all = checkBoolean('options.all', o.all);
  if (o.verbatim != null)
    req.order = checkBoolean('options.verbatim', o.verbatim) ? 'verbatim' : 'ipv4first';
  if (o.order != null) req.order = checkOneOf('options.order', o.order, ORDERS);
  return req;
}
