/**
 * Host name resolution without libuv's thread pool: IP literals, then the
 * hosts file, then a TTL cache, then c-ares queries (`dns.Resolver`), the
 * way eventlet's greendns answers `getaddrinfo`.
 */
import { promises as dnsPromises } from 'node:dns';
import { readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';

export type LookupAll = { address: string; family: 4 | 6 }[];

interface Options {
  family?: number | 'IPv4' | 'IPv6';
  order?: 'ipv4first' | 'ipv6first' | 'verbatim';
  verbatim?: boolean;
}

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

type Entry = { until: number; answer: LookupAll | Error };
const cache = new Map<string, Entry>();
const resolver = new dnsPromises.Resolver();

function remember(key: string, entry: Entry): void {
  cache.delete(key);
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, entry);
}

function familyOf(options: Options): 0 | 4 | 6 {
  const f = options.family;
  if (f === 4 || f === 'IPv4') return 4;
  if (f === 6 || f === 'IPv6') return 6;
  return 0;
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
  const o = options.order ?? (options.verbatim === false ? 'ipv4first' : undefined);
  if (o === 'ipv4first') return [...list].sort((a, b) => a.family - b.family);
  if (o === 'ipv6first') return [...list].sort((a, b) => b.family - a.family);
  return list;
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
    if (code === 'ENOTFOUND' || code === 'ENODATA' || code === 'ENONAME')
      return { list: [], ttl: NEGATIVE_TTL_MS };
    // No answer from any server (refused, timed out): what getaddrinfo calls EAI_AGAIN.
    const again = notFound(name, 'EAI_AGAIN');
    (again as Error & { cause?: unknown }).cause = error;
    throw again;
  }
}

/** Every address for `hostname` (never empty: it throws ENOTFOUND instead). */
export async function lookupAll(hostname: string, options: Options = {}): Promise<LookupAll> {
  if (typeof hostname !== 'string') {
    throw new TypeError(
      `The "hostname" argument must be of type string. Received ${typeof hostname}`,
    );
  }
  const family = familyOf(options);
  if (hostname === '')
    return [{ address: family === 6 ? '::1' : '127.0.0.1', family: family === 6 ? 6 : 4 }];
  const literal = isIP(hostname);
  if (literal !== 0) return [{ address: hostname, family: literal as 4 | 6 }];
  const name = hostname.toLowerCase();
  const fromHosts0 = loadHosts().get(name);
  if (fromHosts0 === undefined && (name === 'localhost' || name.endsWith('.localhost'))) {
    // RFC 6761: localhost is the loopback, hosts file or not.
    return order(
      LOOPBACK.filter((a) => family === 0 || a.family === family),
      options,
    );
  }
  const fromHosts = loadHosts().get(name);
  if (fromHosts !== undefined) {
    const list = family === 0 ? fromHosts : fromHosts.filter((a) => a.family === family);
    if (list.length !== 0) return order(list, options);
  }
  const key = `${family}|${name}`;
  const hit = cache.get(key);
  const now = Date.now();
  if (hit !== undefined && hit.until > now) {
    if (hit.answer instanceof Error) throw hit.answer;
    return order(hit.answer, options);
  }
  const families: (4 | 6)[] = family === 0 ? [4, 6] : [family];
  const answers = await Promise.all(families.map((f) => query(name, f)));
  const list = answers.flatMap((a) => a.list);
  const ttl = Math.min(...answers.map((a) => a.ttl));
  if (list.length === 0) {
    const error = notFound(hostname);
    remember(key, { until: now + NEGATIVE_TTL_MS, answer: error });
    throw error;
  }
  remember(key, { until: now + ttl, answer: list });
  return order(list, options);
}
