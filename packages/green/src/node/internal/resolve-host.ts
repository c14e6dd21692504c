/**
 * Host name resolution without libuv's thread pool: IP literals, then the
 * hosts file, then a TTL cache, then c-ares queries (`dns.Resolver`), the
 * way eventlet's greendns answers `getaddrinfo`.
 */
import { ADDRCONFIG, ALL, promises as dnsPromises, V4MAPPED } from 'node:dns';
import { readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { LookupRequest } from './lookup-options.js';

export type LookupAll = { address: string; family: 4 | 6 }[];

/** What the resolver needs of a lookup: Node's family, hints and order. */
export type Options = Pick<LookupRequest, 'family' | 'hints' | 'order'>;

const HOSTS =
  process.platform === 'win32' ? 'C:\\Windows\\System32\\drivers\\etc\\hosts' : '/etc/hosts';
/** How often the hosts file's mtime is checked, as eventlet's greendns does. */
const HOSTS_CHECK_MS = 10_000;
const NEGATIVE_TTL_MS = 1_000;

let hosts = new Map<string, LookupAll>();
let hostsCheckedAt = Number.NEGATIVE_INFINITY;
let hostsMtime = -1;

function loadHosts(): Map<string, LookupAll> {
  const now = Date.now();
  if (now - hostsCheckedAt < HOSTS_CHECK_MS) return hosts;
  hostsCheckedAt = now;
  try {
    const mtime = statSync(HOSTS).mtimeMs;
    if (mtime === hostsMtime) return hosts;
    hostsMtime = mtime;
    hosts = parseHosts(readFileSync(HOSTS, 'utf8'));
  } catch {
    hosts = new Map();
  }
  return hosts;
}

/** Parses a hosts file: `address name [aliases...]`, `#` comments. */
export function parseHosts(text: string): Map<string, LookupAll> {
  const map = new Map<string, LookupAll>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    const [address, ...names] = line.split(/\s+/);
    const family = isIP(address!);
    if (family === 0) continue;
    for (const name of names) {
      const key = name.toLowerCase();
      const list = map.get(key) ?? [];
      if (!list.some((a) => a.address === address))
        list.push({ address: address!, family: family as 4 | 6 });
      map.set(key, list);
    }
  }
  return map;
}

const LOOPBACK: LookupAll = [
  { address: '127.0.0.1', family: 4 },
  { address: '::1', family: 6 },
];
/** Answers kept at most; the oldest go first. */
const CACHE_MAX = 4096;
/** How long the machine's address families are trusted, for AI_ADDRCONFIG. */
const INTERFACES_CHECK_MS = 10_000;

type Entry = { until: number; answer: LookupAll | Error };
const cache = new Map<string, Entry>();
const resolver = new dnsPromises.Resolver();

function remember(key: string, entry: Entry): void {
  cache.delete(key);
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, entry);
}

function notFound(hostname: string, code = 'ENOTFOUND'): Error {
  const error = new Error(`getaddrinfo ${code} ${hostname}`) as Error & Record<string, unknown>;
  error.code = code;
  error.errno = code === 'ENOTFOUND' ? -3008 : -3001;
  error.syscall = 'getaddrinfo';
  error.hostname = hostname;
  return error;
}

function order(list: LookupAll, options: Options): LookupAll {
  if (options.order === 'ipv4first') return [...list].sort((a, b) => a.family - b.family);
  if (options.order === 'ipv6first') return [...list].sort((a, b) => b.family - a.family);
  return list;
}

let families: { v4: boolean; v6: boolean; at: number } = { v4: true, v6: true, at: -Infinity };

/**
 * The address families this machine has at all. Loopback counts (unlike
 * glibc's AI_ADDRCONFIG): a loopback-only machine still reaches localhost.
 */
function configuredFamilies(): { v4: boolean; v6: boolean } {
  const now = Date.now();
  if (now - families.at < INTERFACES_CHECK_MS) return families;
  let v4 = false;
  let v6 = false;
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === 'IPv4') v4 = true;
      else v6 = true;
    }
  }
  // No interface information at all: filter nothing rather than everything.
  families = v4 || v6 ? { v4, v6, at: now } : { v4: true, v6: true, at: now };
  return families;
}

/**
 * getaddrinfo's hints on a list of answers: AI_ADDRCONFIG drops families the
 * machine has no address of; AI_V4MAPPED answers a family-6 lookup that found
 * no IPv6 address with IPv4-mapped ones (all of them beside IPv6 with AI_ALL).
 */
export function applyHints(all: LookupAll, options: Options): LookupAll {
  let list = all;
  if ((options.hints & ADDRCONFIG) !== 0) {
    const have = configuredFamilies();
    list = list.filter((a) => (a.family === 4 ? have.v4 : have.v6));
  }
  if (options.family !== 6)
    return options.family === 0 ? list : list.filter((a) => a.family === options.family);
  const v6 = list.filter((a) => a.family === 6);
  if ((options.hints & V4MAPPED) === 0 || (v6.length !== 0 && (options.hints & ALL) === 0))
    return v6;
  const mapped = list
    .filter((a) => a.family === 4)
    .map((a) => ({ address: `::ffff:${a.address}`, family: 6 as const }));
  return [...v6, ...mapped];
}

/**
 * The answer that needs no query: an IP literal, localhost, or a name in the
 * hosts file; `undefined` for a name only DNS can answer. Synchronous, so a
 * lookup of a literal answers in the same tick as Node's does.
 */
export function lookupNow(hostname: string, options: Options): LookupAll | undefined {
  const literal = isIP(hostname);
  if (literal !== 0) return [{ address: hostname, family: literal as 4 | 6 }];
  const name = hostname.toLowerCase();
  const fromHosts = loadHosts().get(name);
  // RFC 6761: localhost is the loopback, hosts file or not.
  const known =
    fromHosts ?? (name === 'localhost' || name.endsWith('.localhost') ? LOOPBACK : undefined);
  if (known === undefined) return undefined;
  const list = applyHints(known, options);
  return list.length === 0 ? undefined : order(list, options);
}

async function query(name: string, family: 4 | 6): Promise<{ list: LookupAll; ttl: number }> {
  try {
    const records =
      family === 4
        ? await resolver.resolve4(name, { ttl: true })
        : await resolver.resolve6(name, { ttl: true });
    let ttl = Number.POSITIVE_INFINITY;
    const list: LookupAll = [];
    for (const r of records) {
      list.push({ address: r.address, family });
      ttl = Math.min(ttl, r.ttl);
    }
    return { list, ttl: Number.isFinite(ttl) ? ttl * 1000 : NEGATIVE_TTL_MS };
  } catch (error) {
    const code = (error as { code?: string }).code;
    // EBADNAME (a label over 63 bytes, a bad character): getaddrinfo says EAI_NONAME, ENOTFOUND.
    if (code === 'ENOTFOUND' || code === 'ENODATA' || code === 'ENONAME' || code === 'EBADNAME')
      return { list: [], ttl: NEGATIVE_TTL_MS };
    // No answer from any server (refused, timed out): what getaddrinfo calls EAI_AGAIN.
    const again = notFound(name, 'EAI_AGAIN');
    (again as Error & { cause?: unknown }).cause = error;
    throw again;
  }
}

/**
 * Every address for `hostname` (never empty: it rejects with ENOTFOUND
 * instead). `hostname` is a non-empty string; the faces answer an empty one
 * as Node does, before they get here.
 */
export async function lookupAll(hostname: string, options: Options): Promise<LookupAll> {
  const now0 = lookupNow(hostname, options);
  if (now0 !== undefined) return now0;
  const name = hostname.toLowerCase();
  const key = `${options.family}|${options.hints}|${name}`;
  const hit = cache.get(key);
  const now = Date.now();
  if (hit !== undefined && hit.until > now) {
    if (hit.answer instanceof Error) throw hit.answer;
    return order(hit.answer, options);
  }
  // A family-6 lookup with AI_V4MAPPED may answer with IPv4 addresses: ask for both.
  const wanted: (4 | 6)[] =
    options.family === 4
      ? [4]
      : options.family === 6 && (options.hints & V4MAPPED) === 0
        ? [6]
        : [4, 6];
  const answers = await Promise.all(wanted.map((f) => query(name, f)));
  const list = applyHints(
    answers.flatMap((a) => a.list),
    options,
  );
  const ttl = Math.min(...answers.map((a) => a.ttl));
  if (list.length === 0) {
    const error = notFound(hostname);
    remember(key, { until: now + NEGATIVE_TTL_MS, answer: error });
    throw error;
  }
  remember(key, { until: now + ttl, answer: list });
  return order(list, options);
}
