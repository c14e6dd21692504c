import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as time from '@verdant/green/time';
import * as tpool from '@verdant/green/tpool';
import { GreenletExit, run, sleep, spawn, Timeout } from '@verdant/hub';
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

tpool.configure({ size: 2, idleTimeoutMs: 200 });

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

test('green threads keep their timing while a worker burns CPU', async () => {
  await run(function* () {
    const ticks: number[] = [];
    const ticker = spawn(function* () {
      for (;;) {
        const t0 = time.monotonicMs();
        yield* sleep(10);
        ticks.push(time.monotonicMs() - t0);
      }
    });
    const n = yield* tpool.execute<number>(work, 'spin', 300);
    ticker.kill();
    assert.ok(n > 0);
    assert.ok(ticks.length >= 10, `only ${ticks.length} ticks during 300 ms of work`);
    const worst = Math.max(...ticks);
    // Inline, the 300 ms of work would make one tick >= 300 ms late.
    assert.ok(worst < 250, `a 10 ms tick took ${worst} ms: the hub was blocked`);
  });
});

test('jobs run in parallel up to the pool size', async () => {
  await run(function* () {
    const t0 = time.monotonicMs();
    const jobs = [0, 1, 2, 3].map(() =>
      spawn(function* () {
        return yield* tpool.execute<number>(work, 'spin', 100);
      }),
    );
    for (const j of jobs) assert.ok((yield* j.wait()) > 0);
    const elapsed = time.monotonicMs() - t0;
    assert.ok(elapsed >= 195, `4 jobs of 100 ms on 2 workers took ${elapsed} ms`);
    assert.ok(tpool.stats().workers <= 2);
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
  await run(function* () {
    const caller = spawn(function* () {
      return yield* tpool.execute(work, 'spin', 10_000);
    });
    yield* time.sleep(50);
    assert.equal(tpool.stats().busy, 1);
    caller.kill();
    try {
      yield* caller.wait();
    } catch (e) {
      assert.ok(e instanceof GreenletExit);
    }
    assert.equal(tpool.stats().busy, 0);
    // The pool still works afterwards.
    assert.equal(yield* tpool.execute((x: number) => x + 1, 1), 2);
  });
});

test('a Timeout drops a queued job before it runs', async () => {
  await run(function* () {
    tpool.setNumThreads(1);
    try {
      const busy = spawn(function* () {
        return yield* tpool.execute<number>(work, 'spin', 150);
      });
      yield* sleep(1);
      const timeout = new Timeout(20);
      try {
        yield* tpool.execute(work, 'spin', 10_000);
        assert.fail('expected the Timeout');
      } catch (e) {
        assert.equal(e, timeout);
      }
      assert.equal(tpool.stats().queued, 0);
      assert.ok((yield* busy.wait()) > 0);
    } finally {
      tpool.setNumThreads(2);
    }
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
    const sleepers = [0, 1].map(() =>
      spawn(function* () {
        return yield* tpool.execute(work, 'later', 'ok');
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
    assert.equal(tpool.stats().queued, 2);
    assert.equal(yield* queued.wait(), 'TypeError');
    assert.equal(yield* after.wait(), 42);
    for (const s of sleepers) assert.equal(yield* s.wait(), 'ok');
    assert.deepEqual([tpool.stats().busy, tpool.stats().queued], [0, 0]);
  });
});

test('shrinking the pool bounds concurrency and retires the extra workers', async () => {
  const hold = (ms: number) => new Promise((r) => setTimeout(() => r(ms), ms));
  await run(function* () {
    try {
      tpool.setNumThreads(4);
      const first = [0, 1, 2, 3].map(() =>
        spawn(function* () {
          return yield* tpool.execute(hold, 20);
        }),
      );
      for (const t of first) yield* t.wait();
      assert.equal(tpool.stats().workers, 4);
      tpool.setNumThreads(1);
      // Idle workers beyond the new size go at once.
      assert.equal(tpool.stats().workers, 1);
      const second = [0, 1, 2].map(() =>
        spawn(function* () {
          return yield* tpool.execute(hold, 40);
        }),
      );
      let maxBusy = 0;
      while (second.some((t) => !t.dead)) {
        maxBusy = Math.max(maxBusy, tpool.stats().busy);
        assert.ok(tpool.stats().workers <= 1, `workers: ${tpool.stats().workers}`);
        yield* sleep(5);
      }
      assert.equal(maxBusy, 1);
      for (const t of second) assert.equal(yield* t.wait(), 40);

      // Shrinking while busy: the extra workers retire as their jobs finish.
      tpool.setNumThreads(3);
      const third = [0, 1, 2].map(() =>
        spawn(function* () {
          return yield* tpool.execute(hold, 40);
        }),
      );
      yield* sleep(0);
      assert.equal(tpool.stats().busy, 3);
      tpool.setNumThreads(1);
      const fourth = [0, 1].map(() =>
        spawn(function* () {
          return yield* tpool.execute(hold, 10);
        }),
      );
      for (const t of third) assert.equal(yield* t.wait(), 40);
      assert.ok(tpool.stats().busy <= 1);
      assert.ok(tpool.stats().workers <= 1, `workers: ${tpool.stats().workers}`);
      for (const t of fourth) assert.equal(yield* t.wait(), 10);
    } finally {
      tpool.setNumThreads(2);
    }
    yield* tpool.killall();
  });
});
