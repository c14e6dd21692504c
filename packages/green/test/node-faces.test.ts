import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { inherits, promisify } from 'node:util';
import * as cp from '@verdant/green/node/child-process';
import * as dns from '@verdant/green/node/dns';
import * as events from '@verdant/green/node/events';
import * as fs from '@verdant/green/node/fs';
import * as fsp from '@verdant/green/node/fs-promises';
import * as timers from '@verdant/green/node/timers';
import * as timersPromises from '@verdant/green/node/timers-promises';
import { Worker } from '@verdant/green/node/worker-threads';
import { getHub, run, sleep, spawn } from '@verdant/hub';
import { assertIdle, useVirtualClock } from '@verdant/hub/testing';
import { parseHosts } from '../src/node/internal/resolve-host.ts';

afterEach(() => assertIdle());

test('timers face: setTimeout lives on the hub heap and fires; clearTimeout removes it', async () => {
  const fired = await run(function* () {
    let n = 0;
    timers.setTimeout((a: number) => (n += a), 5, 2);
    const cleared = timers.setTimeout(() => (n += 100), 5);
    assert.equal(getHub().stats().timers, 2);
    timers.clearTimeout(cleared);
    yield* sleep(20);
    return n;
  });
  assert.equal(fired, 2);
});

test("timers face: a timer belongs to no thread, so a kill never clears it; unref keeps it on the hub, unref'd", async () => {
  let fired = false;
  // On the virtual clock the kill at 1 ms always comes before the 10 ms timer, however busy the machine.
  const clock = useVirtualClock();
  try {
    const gt = spawn(function* () {
      timers.setTimeout(() => (fired = true), 10);
      timers.setTimeout(() => {}, 10).unref();
      yield* sleep(10_000);
    });
    await run(function* () {
      yield* sleep(1);
      gt.kill();
      // Still there after the kill: a library's timer (pg-pool's reaper) must outlive the caller.
      assert.equal(getHub().stats().timers, 2);
      yield* sleep(30);
    });
  } finally {
    clock.restore();
  }
  // Node's contract (eventlet's schedule_call_global): only clearTimeout stops it.
  assert.equal(fired, true);
  const t = timers.setTimeout(() => {}, 50);
  t.unref();
  // Still on the hub's heap (so a virtual clock drives it), but not keeping the process up.
  assert.equal(getHub().stats().timers, 1);
  assert.equal(t.hasRef(), false);
  timers.clearTimeout(+t);
  assert.equal(getHub().stats().timers, 0);
});

test("timers face: the ESM and CJS builds clear each other's timers, by object and by id", async () => {
  const cjs = createRequire(import.meta.url)('@verdant/green/node/timers') as typeof timers;
  assert.notEqual(cjs.clearTimeout, timers.clearTimeout);
  const fired = await run(function* () {
    const hits: string[] = [];
    cjs.clearTimeout(timers.setTimeout(() => hits.push('esm object'), 5));
    cjs.clearTimeout(+timers.setTimeout(() => hits.push('esm id'), 5));
    timers.clearTimeout(cjs.setTimeout(() => hits.push('cjs object'), 5));
    timers.clearInterval(+cjs.setInterval(() => hits.push('cjs id'), 5));
    // Ids come from one counter, so the two copies never hand out the same one.
    const a = timers.setTimeout(() => hits.push('a'), 5);
    const b = cjs.setTimeout(() => hits.push('b'), 5);
    assert.notEqual(+a, +b);
    assert.equal(getHub().stats().timers, 2);
    yield* sleep(20);
    return hits.sort();
  });
  assert.deepEqual(fired, ['a', 'b']);
});

test('timers face: setInterval repeats, util.promisify(setTimeout) resolves with the value', async () => {
  let ticks = 0;
  // Virtual time: how often a 2 ms interval fires in 30 real ms depends on the machine's load.
  const clock = useVirtualClock();
  try {
    const it = timers.setInterval(() => ticks++, 2);
    await run(function* () {
      yield* sleep(30);
    });
    timers.clearInterval(it);
  } finally {
    clock.restore();
  }
  assert.equal(ticks, 15);
  const sleepFor = promisify(timers.setTimeout) as unknown as (
    ms: number,
    v: string,
  ) => Promise<string>;
  assert.equal(await sleepFor(2, 'v'), 'v');
  assert.equal(await timersPromises.setTimeout(2, 'w'), 'w');
});

test('events face: once is an operation; a killed waiter leaves no listener', async () => {
  const e = new EventEmitter();
  const got = await run(function* () {
    timers.setTimeout(() => e.emit('x', 1, 2), 2);
    return yield* events.once(e, 'x');
  });
  assert.deepEqual(got, [1, 2]);
  const waiter = spawn(function* () {
    yield* events.once(e, 'never');
  });
  await run(function* () {
    yield* sleep(1);
    assert.equal(e.listenerCount('never'), 1);
    waiter.kill();
    yield* sleep(1);
  });
  assert.equal(e.listenerCount('never'), 0);
  const lines = events.on(e, 'line');
  const first = await run(function* () {
    timers.setTimeout(() => e.emit('line', 'a'), 1);
    return yield* lines.take();
  });
  assert.deepEqual(first, ['a']);
  await lines.return?.();
});

test('events face: an on() iterator made in a green thread ends when the thread returns normally', async () => {
  const emitter = new EventEmitter();
  await run(function* () {
    const it = events.on(emitter, 'tick');
    setImmediate(() => emitter.emit('tick', 1));
    const [first] = yield* it.take();
    assert.equal(first, 1);
    assert.equal(emitter.listenerCount('tick'), 1);
  });
  // The thread returned: its iterator stopped listening.
  assert.equal(emitter.listenerCount('tick'), 0);
});

test("events face: the default export is callable as Node's EventEmitter (util.inherits + EventEmitter.call)", () => {
  const GreenEmitter = events.default;
  function Legacy(this: EventEmitter): void {
    GreenEmitter.call(this);
  }
  inherits(Legacy, GreenEmitter);
  const legacy = new (Legacy as unknown as new () => EventEmitter)();
  let got: unknown;
  legacy.on('x', (v) => (got = v));
  legacy.emit('x', 7);
  assert.equal(got, 7);
  assert.ok(legacy instanceof GreenEmitter && legacy instanceof EventEmitter);
  assert.ok(new EventEmitter() instanceof GreenEmitter);
  // A mixin: Node's methods copied onto a plain class, then initialised.
  class Mixed {}
  Object.assign(Mixed.prototype, EventEmitter.prototype);
  const mixed = new Mixed() as EventEmitter;
  GreenEmitter.call(mixed);
  assert.equal(mixed.listenerCount('x'), 0);
});

test('dns face: lookup answers from the hosts file and IP literals, callback and promise forms', async () => {
  const hosts = parseHosts('127.0.0.1 localhost # c\n::1 localhost ip6-localhost\nbad line\n');
  assert.deepEqual(hosts.get('localhost'), [
    { address: '127.0.0.1', family: 4 },
    { address: '::1', family: 6 },
  ]);
  const [address, family] = await new Promise<[string, number]>((resolve, reject) =>
    dns.lookup('localhost', { family: 4 }, (err, a, f) =>
      err ? reject(err) : resolve([a as string, f!]),
    ),
  );
  assert.deepEqual([address, family], ['127.0.0.1', 4]);
  assert.deepEqual(await dns.promises.lookup('10.1.2.3'), { address: '10.1.2.3', family: 4 });
  assert.deepEqual(await promisify(dns.lookup)('localhost'), { address: '127.0.0.1', family: 4 });
});

test('child_process face: communicate and wait are operations; a child outlives the killed thread that spawned it', {
  timeout: 60_000,
}, async () => {
  const r = await run(function* () {
    const child = cp.spawn(process.execPath, [
      '-e',
      'process.stdin.pipe(process.stdout)',
    ]) as unknown as cp.GreenChildProcess;
    return yield* child.communicate('hello');
  });
  assert.equal(r.stdout.toString(), 'hello');
  assert.equal(r.returncode, 0);
  let child: cp.GreenChildProcess | undefined;
  const spawner = spawn(function* () {
    // Prints once it runs, then waits for stdin to close: it ends only when told to.
    child = cp.spawn(process.execPath, [
      '-e',
      'process.stdout.write("up"); process.stdin.resume(); process.stdin.on("end", () => process.exit(7))',
    ]) as unknown as cp.GreenChildProcess;
    yield* sleep(60_000);
  });
  const code = await run(function* () {
    yield* sleep(1);
    spawner.kill();
    // Killed with it, the child would exit -15 and never read its stdin's end.
    const [up] = (yield* events.once(child!.stdout!, 'data')) as [Buffer];
    assert.equal(up.toString(), 'up');
    assert.equal(child!.exitCode, null);
    child!.stdin!.end();
    return yield* child!.wait();
  });
  assert.equal(code, 7);
});

test('fs face: readFile started by a killed thread is aborted', async () => {
  let error: unknown;
  const reader = spawn(function* () {
    const p = fsp.readFile(import.meta.filename);
    p.catch((e: unknown) => (error = e));
    yield p;
  });
  await run(function* () {
    yield* sleep(0);
    reader.kill();
    yield* sleep(20);
  });
  assert.equal((error as Error | undefined)?.name, 'AbortError');
});

test('worker_threads face: a Worker is a real thread; recv() and join() are operations', async () => {
  const script = join(
    import.meta.dirname,
    '..',
    '..',
    'patcher',
    'test',
    'fixtures',
    'worker-echo.cjs',
  );
  const r = await run(function* () {
    const w = new Worker(script, { workerData: 'wd' });
    const hello = (yield* w.recv()) as Record<string, unknown>;
    w.postMessage('bye');
    const code = yield* w.join();
    return { hello, code, again: yield* w.join() };
  });
  assert.equal(r.hello.isMainThread, false);
  assert.equal(r.hello.workerData, 'wd');
  assert.equal(r.hello.green, false); // nothing patched: a plain Worker
  assert.deepEqual([r.code, r.again], [0, 0]);
});

test("timers/promises face: killing the thread that waits ends its wait, not the timer (only a signal cancels it, as Node's)", async () => {
  const clock = useVirtualClock();
  try {
    let settled: unknown;
    const sleeper = spawn(function* () {
      const p = timersPromises.setTimeout(10_000, 'done');
      p.then(
        (v) => (settled = v),
        (e: unknown) => (settled = e),
      );
      yield p;
    });
    await run(function* () {
      yield* sleep(1);
      sleeper.kill();
      yield* sleep(1);
      assert.equal(sleeper.dead, true);
      // A library awaiting it (a back-off) must not get an AbortError Node never raises there.
      assert.equal(getHub().stats().timers, 1);
      yield* sleep(10_000);
    });
    assert.equal(settled, 'done');
    const controller = new AbortController();
    const p = timersPromises.setTimeout(10_000, 'never', { signal: controller.signal });
    controller.abort();
    await assert.rejects(p, { name: 'AbortError' });
  } finally {
    clock.restore();
  }
  assert.equal(getHub().stats().timers, 0);
});

test('fs face: a watcher made in a killed thread belongs to no thread and keeps reporting', {
  timeout: 60_000,
}, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'verdant-watch-'));
  let watcher: ReturnType<typeof fs.watch> | undefined;
  try {
    const maker = spawn(function* () {
      watcher = fs.watch(dir);
      yield* sleep(60_000);
    });
    const seen = await run(function* () {
      yield* sleep(1);
      maker.kill();
      yield* sleep(1);
      const change = events.once(watcher!, 'change');
      writeFileSync(join(dir, 'touched'), 'x');
      const [, name] = (yield* change) as [string, string];
      return name;
    });
    assert.equal(seen, 'touched');
  } finally {
    watcher?.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('fs face: callback readFile finishes normally, and is aborted when its thread is killed', async () => {
  const text = await new Promise<string>((resolve, reject) =>
    fs.readFile(import.meta.filename, 'utf8', (err, data) => (err ? reject(err) : resolve(data))),
  );
  assert.match(text, /fs face/);
  let error: unknown = 'not called';
  const reader = spawn(function* () {
    fs.readFile(import.meta.filename, (err) => (error = err));
    yield* sleep(10_000);
  });
  await run(function* () {
    yield* sleep(0);
    reader.kill();
    yield* sleep(20);
  });
  assert.equal((error as Error | null)?.name, 'AbortError');
});

test('worker_threads face: a killed recv() leaves no listener; terminate() ends a worker with code 1', async () => {
  const r = await run(function* () {
    const w = new Worker(
      "const { parentPort, isMainThread } = require('worker_threads'); parentPort.on('message', (m) => parentPort.postMessage([m, isMainThread]));",
      { eval: true },
    );
    const waiter = spawn(function* () {
      return yield* w.recv();
    });
    yield* sleep(0);
    waiter.kill();
    const listeners = w.listenerCount('message');
    w.postMessage('x');
    const reply = yield* w.recv();
    const code: unknown = yield w.terminate();
    return { listeners, reply, code, joined: yield* w.join() };
  });
  assert.deepEqual(r, { listeners: 0, reply: ['x', false], code: 1, joined: 1 });
});

test("every face's CommonJS object keeps the builtin's getters as getters: loading a face reads none of them", async () => {
  const faces: Record<string, string> = {
    child_process: 'child-process',
    dgram: 'dgram',
    dns: 'dns',
    'dns/promises': 'dns-promises',
    fs: 'fs',
    'fs/promises': 'fs-promises',
    net: 'net',
    perf_hooks: 'perf-hooks',
    timers: 'timers',
    'timers/promises': 'timers-promises',
    tls: 'tls',
    worker_threads: 'worker-threads',
  };
  const require = createRequire(import.meta.url);
  let getters = 0;
  for (const [builtin, face] of Object.entries(faces)) {
    const real = Object.getOwnPropertyDescriptors(require(builtin) as object);
    const mod = (await import(`@verdant/green/node/${face}`)) as {
      default: object;
      patched: readonly string[];
    };
    const own = Object.getOwnPropertyDescriptors(mod.default);
    for (const [key, descriptor] of Object.entries(real)) {
      if (descriptor.get === undefined || mod.patched.includes(key) || key === 'promises') continue;
      getters++;
      assert.equal(own[key]?.get, descriptor.get, `${builtin}.${key} is read when the face loads`);
    }
  }
  // fs alone has lazy getters on every supported Node (ReadStream, WriteStream...).
  assert.ok(getters >= 4, `only ${getters} getters seen`);
});

test("assigning to a face's lazy property sets the face's own value, not the builtin's", async () => {
  const require = createRequire(import.meta.url);
  const realFs = require('node:fs') as typeof import('node:fs');
  const { default: face } = (await import('@verdant/green/node/fs')) as {
    default: Record<string, unknown>;
  };
  const before = realFs.ReadStream;
  class Mine {}
  // Node's own setter for fs.ReadStream writes into Node's fs module itself.
  face.ReadStream = Mine;
  assert.equal(face.ReadStream, Mine);
  assert.equal(realFs.ReadStream, before, 'the assignment reached node:fs');
});
