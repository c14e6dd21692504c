/**
 * Real PostgreSQL and Redis for the library tests: each started from
 * Debian's binaries in a temp dir, on a free 127.0.0.1 port, and stopped
 * afterwards. A missing binary fails with the apt package to install;
 * nothing is skipped.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningServer {
  port: number;
  /** Environment for a scenario child: PGHOST/PGPORT/PGUSER, or REDIS_PORT (and REDIS_PASSWORD). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** A port the kernel just handed out and released. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function findBinary(name: string, aptPackage: string): string {
  const dirs = (process.env.PATH ?? '').split(':');
  // Debian keeps the server binaries off PATH, per major version.
  const pgRoot = '/usr/lib/postgresql';
  if (existsSync(pgRoot)) {
    for (const v of readdirSync(pgRoot).sort().reverse()) dirs.push(join(pgRoot, v, 'bin'));
  }
  for (const d of dirs) {
    const p = join(d, name);
    if (d !== '' && existsSync(p)) return p;
  }
  throw new Error(
    `library tests need ${name}: install it with \`apt-get install -y ${aptPackage}\` (.ci/run does)`,
  );
}

/** Resolves once `port` accepts a connection, within `ms`. */
async function waitForPort(port: number, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`${what} did not accept connections on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// PostgreSQL refuses to run as root: under root, run its binaries as Debian's postgres user.
function asPostgres(bin: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [bin, args];
  return ['runuser', ['-u', 'postgres', '--', bin, ...args]];
}

/** Starts PostgreSQL (trust auth, user `postgres`, no fsync) on a free port. */
export async function startPostgres(): Promise<RunningServer> {
  const initdb = findBinary('initdb', 'postgresql');
  const pgCtl = findBinary('pg_ctl', 'postgresql');
  const dir = mkdtempSync(join(tmpdir(), 'verdant-pg-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  execFileSync(
    ...asPostgres(initdb, [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '--no-sync',
      '-E',
      'UTF8',
    ]),
    { stdio: 'ignore' },
  );
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300`;
  execFileSync(
    ...asPostgres(pgCtl, ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', 'start']),
    { stdio: 'ignore' },
  );
  await waitForPort(port, 20_000, 'postgres');
  return {
    port,
    env: { PGHOST: '127.0.0.1', PGPORT: String(port), PGUSER: 'postgres', PGDATABASE: 'postgres' },
    async stop() {
      execFileSync(...asPostgres(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']), {
        stdio: 'ignore',
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RedisOptions {
  /** The default user needs it. */
  password?: string;
  /** Connections it accepts at once (Redis refuses more with an error reply). */
  maxClients?: number;
}

/** Starts Redis (no persistence) on a free port. */
export async function startRedis(options: RedisOptions = {}): Promise<RunningServer> {
  const { password, maxClients } = options;
  const bin = findBinary('redis-server', 'redis-server');
  const dir = mkdtempSync(join(tmpdir(), 'verdant-redis-'));
  const port = await freePort();
  const child = spawn(
    bin,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      ...(password === undefined ? [] : ['--requirepass', password]),
      ...(maxClients === undefined ? [] : ['--maxclients', String(maxClients)]),
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForPort(port, 20_000, 'redis-server');
  return {
    port,
    env: {
      REDIS_PORT: String(port),
      ...(password === undefined ? {} : { REDIS_PASSWORD: password }),
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
