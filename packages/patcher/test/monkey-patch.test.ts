import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { assertIdle } from '@verdant/hub/testing';
import { runFixture } from './run-fixture.ts';

afterEach(() => assertIdle());

test('monkeyPatch from ESM: bound imports, globals, getBuiltinModule, timers on the hub, once as an operation', async () => {
  const { code, out } = await runFixture('monkey-esm.mjs');
  assert.equal(code, 0);
  assert.equal(out.notYet, false);
  assert.deepEqual(out.patched, ['timers', 'timers/promises', 'events']);
  assert.deepEqual(out.again, ['timers', 'timers/promises']);
  assert.equal(out.bindingGreen, true);
  assert.equal(out.globalGreen, true);
  assert.equal(out.builtinModule, true);
  assert.equal(out.promisesGreen, true);
  assert.equal(out.originalIsNode, true);
  assert.deepEqual(out.isPatched, [true, true, true, false, true, false, true, false]);
  assert.equal(out.onHubHeap, 1);
  assert.equal(out.afterClear, 0);
  assert.equal(out.promisified, 'value');
  assert.equal(out.promisifiedWaited, true);
  assert.equal(out.killedThreadTimerFired, true);
  assert.deepEqual(out.once, [7]);
  assert.equal(out.listenersLeft, 0);
  assert.equal(
    out.unknownFlag,
    'monkeyPatch(flags): unknown flag "sockets"; valid flags are os, select, socket, thread, time',
  );
  assert.deepEqual(out.idle, []);
});

test('monkeyPatch: a flag value other than true/false throws a TypeError naming it and patches nothing', async () => {
  const { code, out } = await runFixture('monkey-flags.mjs');
  assert.equal(code, 0);
  const why = 'must be true or false (undefined = not mentioned)';
  assert.deepEqual(out.errors, [
    ['TypeError', `monkeyPatch(flags): flag "socket" ${why}, got number 1`],
    ['TypeError', `monkeyPatch(flags): flag "time" ${why}, got "yes"`],
    ['TypeError', `monkeyPatch(flags): flag "socket" ${why}, got null`],
    ['TypeError', `monkeyPatch(flags): flag "os" ${why}, got an object`],
  ]);
  assert.deepEqual(out.nothingPatched, [false, false, false, false]);
  assert.deepEqual(out.undefinedIsUnmentioned, ['timers', 'timers/promises']);
});

test("original() after monkeyPatch: Node's own functions, and unpatched subclasses of patched classes", async () => {
  const { code, out } = await runFixture('monkey-original.mjs');
  assert.equal(code, 0);
  assert.deepEqual(out, {
    timersNodes: true,
    timersPatched: true,
    netCopyAfterPatch: true,
    sharedWithCjs: true,
    classesUnpatched: true,
    builtinStillGreen: true,
    callableWithoutNew: true,
    dgramUnpatched: true,
    // listen() returned the server, it still listens, the socket is the copy's class and not destroyed.
    survivesKill: [true, true, true, false],
  });
});

test('monkeyPatch from CJS: warns once, later requires are green, a child outlives its spawner, fs requests aborted by a kill', async () => {
  const { code, out } = await runFixture('monkey-cjs.cjs');
  assert.equal(code, 0);
  assert.deepEqual(out.patched, [
    'child_process',
    'fs',
    'fs/promises',
    'timers',
    'timers/promises',
  ]);
  assert.equal(out.warned, 1);
  assert.equal(out.warnedOnce, 1);
  assert.equal(out.sameObject, true);
  assert.equal(out.copiedStaysNode, true);
  assert.equal(out.requireGreen, true);
  assert.deepEqual(out.flags, [true, false, true, true]);
  assert.deepEqual(out.communicate, ['ping', 0]);
  assert.equal(out.childExit, 7);
  assert.equal(out.readAborted, 'AbortError');
  assert.deepEqual(out.idle, []);
});

test("the thread flag: a Worker is a real thread greened inside; its exit, errors and unref are Node's", async () => {
  const { code, out } = await runFixture('worker-thread.cjs', { killAfterMs: 120_000 });
  assert.equal(code, 0); // and it exited by itself, past an unref()'d Worker still listening
  assert.equal(out.mainIsMain, true);
  const r = out.result as Record<string, unknown>;
  const hello = r.hello as Record<string, unknown>;
  assert.deepEqual(hello, {
    hello: true,
    isMainThread: false,
    workerData: { n: 42 },
    threadId: hello.threadId,
    green: true,
    execArgv: [], // the preload that greened it does not show
  });
  assert.deepEqual(r.echo, { echo: 'ping' });
  assert.equal(r.code, 0);
  assert.equal(r.sameThreadId, true);
  assert.equal(out.exitCode, 7);
  assert.deepEqual(out.lateError, ['late', 1]);
  assert.equal(out.terminated, 1);
  assert.equal(out.envClean, true);
  assert.deepEqual(out.idle, []);
});

test("the thread flag: a tpool job that spins never freezes the hub (tpool keeps Node's own Worker)", async () => {
  const { code, out } = await runFixture('tpool-busy.cjs', { killAfterMs: 120_000 });
  assert.equal(code, 0);
  assert.deepEqual(out, { result: 'released', ticks: 5 });
});

test('the seeds examples, transliterated', async () => {
  const { code, out } = await runFixture('seeds.cjs');
  assert.equal(code, 0);
  assert.equal(out.importGreen, true);
  assert.equal(out.importPatchedDefault, true);
  assert.equal(out.pairsAndKeywordSame, true);
  assert.deepEqual(out.selective, [true, true, false]);
  assert.deepEqual(out.all, [true, true, true, true, true]);
  assert.deepEqual(out.byModule, [true, true, true]);
});

test('the socket flag: net sockets get recv/sendall, a killed request drops its socket, servers belong to no thread, dns green', async () => {
  const { code, out } = await runFixture('monkey-socket.mjs');
  assert.equal(code, 0);
  assert.deepEqual(out, {
    patched: ['dns', 'dns/promises', 'net', 'tls', 'dgram', 'perf_hooks'],
    earlySubclassGreen: true,
    isPatched: [true, true, true, true, true, true],
    lookupGreen: true,
    echo: 'hi',
    httpSocketDestroyed: true,
    serverStillListening: [true, true],
    idle: [],
  });
});

test('the ESM and CJS builds of the patcher share one record of what is patched', async () => {
  const { code, out } = await runFixture('dual-build.mjs');
  assert.equal(code, 0);
  assert.deepEqual(out, {
    twoCopies: true,
    cjsSees: true,
    cjsAgain: ['timers', 'timers/promises', 'events'],
    timerStillWorks: 'fired',
    esmSeesSelect: true,
    originalSame: true,
  });
});

test('the thread flag with an ES-module worker script: a real thread, greened inside, its own module state', async () => {
  const { code, out } = await runFixture('worker-esm.mjs', { killAfterMs: 120_000 });
  assert.equal(code, 0);
  const replies = out.out as Record<string, unknown>[];
  assert.deepEqual(
    replies.map((r) => [r.isMainThread, r.workerData, r.n, r.sameId, r.green, r.echo, r.code]),
    [
      [false, 1, 1, true, true, { echo: 'ping' }, 0],
      [false, 2, 1, true, true, { echo: 'ping' }, 0],
    ],
  );
  assert.equal(out.threads, 0);
});

test('monkeyPatch({ time }): AbortSignal.timeout follows the hub clock, virtual included, with Node checks', async () => {
  const { code, out } = await runFixture('monkey-abort-signal.mjs');
  assert.equal(code, 0);
  assert.equal(out.green, true);
  assert.equal(out.abortedEarly, false);
  assert.equal(out.aborted, true);
  assert.deepEqual(out.reason, ['TimeoutError', 'The operation was aborted due to timeout']);
  assert.deepEqual(out.badDelay, [
    'ERR_OUT_OF_RANGE',
    'The value of "delay" is out of range. It must be an integer. Received 1.5',
  ]);
  assert.deepEqual(out.idle, []);
});

test("monkeyPatch(): undici's headersTimeout fires (its timers refresh() Node timers that already fired)", async () => {
  const { code, out } = await runFixture('undici-headers-timeout.mjs');
  assert.equal(code, 0);
  assert.deepEqual(out, { request: 'UND_ERR_HEADERS_TIMEOUT', fetch: 'UND_ERR_HEADERS_TIMEOUT' });
});

test("monkeyPatch(): a green thread's steps keep the async context it was spawned in, whatever woke it", async () => {
  const { code, out } = await runFixture('monkey-async-context.mjs');
  assert.equal(code, 0);
  assert.deepEqual(out, {
    a: ['a', 'a', 'a', 'a'],
    child: ['a', 'a', 'a', 'a'],
    b: ['b', 'b', 'b', 'b'],
    outside: [null, null, null, null],
    after: null,
    idle: [],
  });
});
