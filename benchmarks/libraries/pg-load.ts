/**
 * One measured run of the pg benchmark, in its own process: 200 workers x 50
 * queries on a pg.Pool of 20, as green threads under monkeyPatch() (`green`),
 * as green threads with nothing patched (`hub`: what the hub's own
 * wait/wake costs, without the faces and attribution), as plain async
 * functions (`async`), or as plain async functions with an AsyncLocalStorage
 * entered (`async-als`: what the context that attribution rides on costs any
 * program, on Node 20/22 V8's promise hooks). The workload runs once
 * untimed first, so that the timing measures code the JIT has compiled, as a
 * server's steady state does, then TIMED_PASSES times in the timed window (a
 * single pass lasts about half a second, too short for a shared machine). Prints one JSON line: throughput, this
 * process's CPU time per query (user and all), and the PostgreSQL server's
 * CPU per query (every process of the postmaster, from /proc, over the same
 * window).
 */
import { readdirSync, readFileSync } from 'node:fs';

const mode = process.argv[2];
if (mode !== 'green' && mode !== 'hub' && mode !== 'async' && mode !== 'async-als')
  throw new RangeError(`pg-load(mode): expected green, hub, async or async-als, got ${mode}`);
const WORKERS = 200;
const QUERIES = process.env.BENCH_QUICK === '1' ? 5 : 50;
const TIMED_PASSES = process.env.BENCH_QUICK === '1' ? 1 : 5;

if (mode === 'green') (await import('@verdant/patcher')).monkeyPatch();
if (mode === 'async-als') new (await import('node:async_hooks')).AsyncLocalStorage().enterWith(0);
const { default: pg } = await import('pg');
const { run, spawn, wait } = await import('@verdant/hub');
const pool = new pg.Pool({ max: 20 });
// Connect outside the timing, and find the server's processes.
const { rows } = await pool.query<{ dir: string }>(
  "SELECT current_setting('data_directory') AS dir",
);
const postmaster = Number(readFileSync(`${rows[0]!.dir}/postmaster.pid`, 'utf8').split('\n')[0]);

/** CPU µs (user + system) of the postmaster and its children so far; clock ticks are 10 ms. */
function serverCpuUs(): Map<number, number> {
  const out = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the parenthesised command: state ppid ... utime(14) stime(15).
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(name);
    if (pid !== postmaster && Number(f[1]) !== postmaster) continue;
    out.set(pid, (Number(f[11]) + Number(f[12])) * 10_000);
  }
  return out;
}

async function workload(): Promise<void> {
  if (mode === 'async' || mode === 'async-als') {
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        for (let j = 0; j < QUERIES; j++) await pool.query('SELECT $1::int AS n', [j]);
      }),
    );
    return;
  }
  await run(function* () {
    const threads = Array.from({ length: WORKERS }, () =>
      spawn(function* () {
        for (let j = 0; j < QUERIES; j++) yield* wait(pool.query('SELECT $1::int AS n', [j]));
      }),
    );
    for (const t of threads) yield* t.wait();
  });
}

await workload();
const server0 = serverCpuUs();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < TIMED_PASSES; i++) await workload();
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
// Backends that started during the run count from zero; none exits before pool.end().
let serverUs = 0;
for (const [pid, us] of serverCpuUs()) serverUs += us - (server0.get(pid) ?? 0);
await pool.end();
const n = WORKERS * QUERIES * TIMED_PASSES;
process.stdout.write(
  `${JSON.stringify({
    mode,
    queriesPerSec: (n / wallMs) * 1000,
    cpuUsPerQuery: (cpu.user + cpu.system) / n,
    userUsPerQuery: cpu.user / n,
    serverCpuUsPerQuery: serverUs / n,
  })}\n`,
);
