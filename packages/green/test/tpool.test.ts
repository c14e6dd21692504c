import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, beforeEach, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as tpool from '@verdant/green/tpool';
import { GreenletExit, type Operation, run, sleep, spawn, Timeout } from '@verdant/hub';
import { assertIdle } from '@verdant/hub/testing';

afterEach(() => assertIdle());

// A real module for the workers to import (the module form of execute).
const dir = mkdtempSync(join(tmpdir(), 'verdant-tpool-test-'));
const work = join(dir, 'work.mjs');
writeFileSync(
  work,
  `import { createHash } from 'node:crypto';
export function spin(ms) { const end = Date.now() + ms; let n = 0; while (Date.now() < end) n++; return n; }
export function sha256(text, rounds) { let h = text; for (let i = 0; i < rounds; i++) h = createHash('sha256').update(h).digest('hex'); return h; }
export async function later(v) { await new Promise((r) => setTimeout(r, 5)); return v; }
export function fail(msg) { const e = new RangeError(msg); e.code = 'E_TEST'; throw e; }
export const notAFunction = 5;
`,
);
after(() => rmSync(dir, { recursive: true, force: true }));

// Each test starts from an empty pool of two, so none sees another's workers. Idle workers
// live a minute: a worker that retired while a busy machine was slow would change the counts.
beforeEach(async () => {
  tpool.configure({ size: 2, idleTimeoutMs: 60_000 });
  await run(tpool.killall);
});
after(() => run(tpool.killall));

/**
 * Shared memory between a test and its jobs, so a job's progress is an event
 * the test waits for instead of a duration it guesses. Slots: 0 the gate a job
 * blocks on until the test opens it, 1 jobs running now, 2 the most seen
 * running at once, 3 jobs started. Job sources use the numbers: they run in a
 * worker and cannot see these names.
 */
const OPEN = 0;
const MOST = 2;
const STARTED = 3;
function shared(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT));
}
function openGate(s: Int32Array): void {
  Atomics.store(s, OPEN, 1);
  Atomics.notify(s, OPEN);
}
/** Waits (green) until `ready()`; each check costs one hub turn. */
function* until(ready: () => boolean): Operation<void> {
  while (!ready()) yield* sleep(1);
}
/**
 * Runs in a worker (sent by its source, so self-contained): counts itself in,
 * waits for the gate, returns `value`. The wait is bounded so a broken pool
 * fails the test instead of hanging it.
 */
const gated = (s: Int32Array, value: unknown): unknown => {
  Atomics.add(s, 3, 1);
  const now = Atomics.add(s, 1, 1) + 1;
  for (let most = Atomics.load(s, 2); now > most; most = Atomics.load(s, 2)) {
    Atomics.compareExchange(s, 2, most, now);
  }
  const opened = Atomics.wait(s, 0, 0, 60_000) !== 'timed-out';
  Atomics.sub(s, 1, 1);
  return opened ? value : 'the gate never opened';
};

test('execute(module, export, ...args) returns the result', async () => {
  await run(function* () {
    const h = yield* tpool.execute<string>(work, 'sha256', 'abc', 1);
    assert.equal(h, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(yield* tpool.execute(pathToFileURL(work), 'later', 42), 42);
    const url = new URL(pathToFileURL(work).href);
    assert.equal(yield* tpool.execute(url, 'sha256', '', 0), '');
  });
});

test('execute(fn, ...args) runs a self-contained function by its source', async () => {
  await run(function* () {
    assert.equal(yield* tpool.execute((a: number, b: number) => a * b, 6, 7), 42);
    assert.deepEqual(
      yield* tpool.execute(async (xs: number[]) => xs.map((x) => x + 1), [1, 2]),
      [2, 3],
    );
  });
});

test('green threads keep running while a worker burns CPU', async () => {
  // The worker burns until the green ticker has ticked ten times during the burn: run inline,
  // the ticker could not tick, and the burn would end at its bound instead.
  const burn = (s: Int32Array): number => {
    Atomics.store(s, 3, 1);
    const bound = Date.now() + 60_000;
    let n = 0;
    while (Atomics.load(s, 0) === 0 && Date.now() < bound) n++;
    return Atomics.load(s, 0) === 1 ? n : -1;
  };
  await run(function* () {
    const s = shared();
    const ticker = spawn(function* () {
      yield* until(() => Atomics.load(s, STARTED) === 1);
      for (let tick = 0; tick < 10; tick++) yield* sleep(1);
      openGate(s);
    });
    const n = yield* tpool.execute(burn, s);
    assert.ok(n > 0, 'the burn ended before the green ticker had ticked ten times');
    yield* ticker.wait();
  });
});

test('jobs run in parallel up to the pool size', async () => {
  // Each job waits until a partner runs beside it (the first two together, then the last
  // two), then for the gate.
  const pair = (s: Int32Array): boolean => {
    const order = Atomics.add(s, 3, 1) + 1;
    const now = Atomics.add(s, 1, 1) + 1;
    for (let most = Atomics.load(s, 2); now > most; most = Atomics.load(s, 2)) {
      Atomics.compareExchange(s, 2, most, now);
    }
    const partner = order <= 2 ? 2 : 4;
    const bound = Date.now() + 60_000;
    for (let seen = Atomics.load(s, 3); seen < partner; seen = Atomics.load(s, 3)) {
      if (Date.now() > bound) break;
      Atomics.wait(s, 3, seen, 100);
    }
    const met = Atomics.load(s, 3) >= partner && Atomics.wait(s, 0, 0, 60_000) !== 'timed-out';
    Atomics.sub(s, 1, 1);
    Atomics.notify(s, 3);
    return met;
  };
  await run(function* () {
    const s = shared();
    const jobs = [0, 1, 2, 3].map(() =>
      spawn(function* () {
        return yield* tpool.execute(pair, s);
      }),
    );
    yield* sleep(0);
    assert.deepEqual([tpool.stats().busy, tpool.stats().queued], [2, 2]);
    openGate(s);
    for (const j of jobs) assert.equal(yield* j.wait(), true, 'a job ran without a partner');
    assert.equal(Atomics.load(s, MOST), 2);
    assert.equal(tpool.stats().workers, 2);
  });
});

test('errors come back with their type, code and the worker stack', async () => {
  await run(function* () {
    try {
      yield* tpool.execute(work, 'fail', 'boom');
      assert.fail('expected an error');
    } catch (e) {
      assert.ok(e instanceof RangeError, String(e));
      assert.equal(e.message, 'boom');
      assert.equal((e as NodeJS.ErrnoException).code, 'E_TEST');
      assert.match(e.stack!, /work\.mjs/);
      assert.match(e.stack!, /in a tpool worker, called from/);
    }
    try {
      yield* tpool.execute(work, 'notAFunction');
      assert.fail('expected an error');
    } catch (e) {
      assert.match(String(e), /has no exported function "notAFunction"/);
    }
    try {
      yield* tpool.execute(join(dir, 'missing.mjs'), 'x');
      assert.fail('expected an error');
    } catch (e) {
      assert.match(String(e), /missing\.mjs|Cannot find module/);
    }
    const outer = 5;
    try {
      yield* tpool.execute(() => outer * 2);
      assert.fail('expected an error');
    } catch (e) {
      assert.ok(e instanceof ReferenceError);
      assert.match(e.message, /cannot use variables from its enclosing scope/);
    }
    try {
      yield* tpool.execute(() => () => 1);
      assert.fail('expected an error');
    } catch (e) {
      assert.match(String(e), /could not be cloned/);
    }
  });
});

test('killing the caller stops the running job (its worker is terminated)', async () => {
  // Spins (interruptible only by terminating its worker) once it has said it started.
  const spin = (s: Int32Array): never => {
    Atomics.store(s, 3, 1);
    for (;;) Atomics.add(s, 2, 1);
  };
  await run(function* () {
    const s = shared();
    const caller = spawn(function* () {
      return yield* tpool.execute(spin, s);
    });
    yield* until(() => Atomics.load(s, STARTED) === 1);
    assert.deepEqual([tpool.stats().busy, tpool.stats().workers], [1, 1]);
    caller.kill();
    try {
      yield* caller.wait();
    } catch (e) {
      assert.ok(e instanceof GreenletExit);
    }
    assert.deepEqual([tpool.stats().busy, tpool.stats().workers], [0, 0]);
    // The pool still works afterwards.
    assert.equal(yield* tpool.execute((x: number) => x + 1, 1), 2);
  });
});

test('a Timeout drops a queued job before it runs', async () => {
  const mark = (s: Int32Array): void => {
    Atomics.store(s, 2, 99);
  };
  await run(function* () {
    tpool.setNumThreads(1);
    const s = shared();
    const busy = spawn(function* () {
      return yield* tpool.execute(gated, s, 'done');
    });
    yield* sleep(0);
    const timeout = new Timeout(20);
    try {
      yield* tpool.execute(mark, s);
      assert.fail('expected the Timeout');
    } catch (e) {
      assert.equal(e, timeout);
    }
    assert.deepEqual([tpool.stats().busy, tpool.stats().queued], [1, 0]);
    openGate(s);
    assert.equal(yield* busy.wait(), 'done');
    // The one worker has taken every job queued behind the gate by now: the dropped one never ran.
    assert.equal(yield* tpool.execute((x: number) => x, 7), 7);
    assert.equal(Atomics.load(s, MOST), 1, 'the dropped job ran (it marks MOST)');
  });
});

test('bad input is rejected at the call', () => {
  assert.throws(() => tpool.execute(5 as never), /first argument must be a module path\/URL/);
  assert.throws(() => tpool.execute('relative/x.js', 'f'), /absolute path or a URL/);
  assert.throws(
    () => tpool.execute(work, undefined as never),
    /exportName must be a non-empty string/,
  );
  assert.throws(() => tpool.execute(Math.max), /native or bound/);
  assert.throws(() => tpool.execute(function* () {} as never), /not a generator/);
  const o = {
    m(x: number) {
      return x;
    },
  };
  assert.throws(() => tpool.execute(o.m, 1), /not a standalone function expression/);
  assert.throws(() => tpool.setNumThreads(0), RangeError);
  assert.throws(() => tpool.configure({ idleTimeoutMs: -1 }), RangeError);
});

test('idle workers exit and do not hold the process', async () => {
  await run(function* () {
    yield* tpool.execute(() => 1);
    assert.ok(tpool.stats().workers >= 1);
    yield* tpool.killall();
    assert.equal(tpool.stats().workers, 0);
  });
});

test('arguments that cannot be cloned fail at the call with a TypeError naming them', async () => {
  assert.throws(
    () =>
      tpool.execute(
        (x: unknown) => x,
        () => 2,
      ),
    (e: unknown) => e instanceof TypeError && /argument 1 cannot be sent/.test(e.message),
  );
  assert.throws(
    () => tpool.execute(work, 'later', 1, Symbol('s')),
    (e: unknown) => e instanceof TypeError && /argument 3 cannot be sent/.test(e.message),
  );
  assert.throws(
    () => tpool.execute((x: unknown) => x, { nested: [() => 1] }),
    (e: unknown) => e instanceof TypeError && /argument 1 cannot be sent/.test(e.message),
  );
  await run(function* () {
    assert.equal(tpool.stats().busy, 0);
    assert.equal(yield* tpool.execute((x: number) => x + 1, 41), 42);
  });
});

/** Passes the check at the call (its first read is a number), then fails to clone in postMessage. */
function cloneableOnce(): { f: unknown } {
  let reads = 0;
  return {
    get f(): unknown {
      return reads++ === 0 ? 1 : () => 1;
    },
  };
}

test('a job whose arguments fail to clone at dispatch fails alone; the pool keeps working', async () => {
  await run(function* () {
    // Dispatched at once to a free worker.
    try {
      yield* tpool.execute((o: unknown) => o, cloneableOnce());
      assert.fail('expected a TypeError');
    } catch (e) {
      assert.ok(e instanceof TypeError, String(e));
      assert.match((e as Error).message, /cannot be sent to a worker/);
    }
    assert.equal(tpool.stats().busy, 0);
    // Queued behind a full pool, then dispatched from the worker's reply.
    const s = shared();
    const holders = [0, 1].map(() =>
      spawn(function* () {
        return yield* tpool.execute(gated, s, 'ok');
      }),
    );
    const queued = spawn(function* () {
      try {
        yield* tpool.execute((o: unknown) => o, cloneableOnce());
        return 'no error';
      } catch (e) {
        return e instanceof TypeError ? 'TypeError' : String(e);
      }
    });
    const after = spawn(function* () {
      return yield* tpool.execute((x: number) => x * 2, 21);
    });
    yield* sleep(0);
    assert.deepEqual([tpool.stats().busy, tpool.stats().queued], [2, 2]);
    openGate(s);
    assert.equal(yield* queued.wait(), 'TypeError');
    assert.equal(yield* after.wait(), 42);
    for (const h of holders) assert.equal(yield* h.wait(), 'ok');
    assert.deepEqual([tpool.stats().busy, tpool.stats().queued], [0, 0]);
  });
});

test('shrinking the pool bounds concurrency and retires the extra workers', async () => {
  await run(function* () {
    tpool.setNumThreads(4);
    const first = shared();
    const four = [0, 1, 2, 3].map(() =>
      spawn(function* () {
        return yield* tpool.execute(gated, first, 20);
      }),
    );
    yield* sleep(0);
    assert.deepEqual([tpool.stats().busy, tpool.stats().workers], [4, 4]);
    openGate(first);
    for (const t of four) assert.equal(yield* t.wait(), 20);
    assert.deepEqual([tpool.stats().busy, tpool.stats().workers], [0, 4]);
    tpool.setNumThreads(1);
    // Idle workers beyond the new size go at once.
    assert.equal(tpool.stats().workers, 1);

    const second = shared();
    const three = [0, 1, 2].map(() =>
      spawn(function* () {
        return yield* tpool.execute(gated, second, 40);
      }),
    );
    yield* sleep(0);
    assert.deepEqual([tpool.stats().busy, tpool.stats().queued], [1, 2]);
    openGate(second);
    for (const t of three) {
      assert.equal(yield* t.wait(), 40);
      assert.ok(tpool.stats().workers <= 1, `workers: ${tpool.stats().workers}`);
    }
    assert.equal(Atomics.load(second, MOST), 1, 'two jobs ran at once on a pool of one');

    // Shrinking while busy: the extra workers retire as their jobs finish.
    tpool.setNumThreads(3);
    const third = shared();
    const busy = [0, 1, 2].map(() =>
      spawn(function* () {
        return yield* tpool.execute(gated, third, 40);
      }),
    );
    yield* sleep(0);
    assert.deepEqual([tpool.stats().busy, tpool.stats().workers], [3, 3]);
    tpool.setNumThreads(1);
    const fourth = shared();
    const queued = [0, 1].map(() =>
      spawn(function* () {
        return yield* tpool.execute(gated, fourth, 10);
      }),
    );
    yield* sleep(0);
    // Running jobs are never interrupted, and nothing new starts while more than one runs.
    assert.deepEqual([tpool.stats().busy, tpool.stats().queued], [3, 2]);
    openGate(third);
    for (const t of busy) assert.equal(yield* t.wait(), 40);
    assert.equal(tpool.stats().workers, 1);
    assert.equal(tpool.stats().busy, 1);
    openGate(fourth);
    for (const t of queued) assert.equal(yield* t.wait(), 10);
    assert.equal(Atomics.load(fourth, MOST), 1, 'two jobs ran at once on a pool of one');
    assert.deepEqual([tpool.stats().busy, tpool.stats().workers], [0, 1]);
  });
});
