import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { afterEach, test } from 'node:test';
import { GreenletExit, run, sleep, spawn, spawnN } from '@verdant/hub';
import { assertIdle, assertThrows } from '@verdant/hub/testing';
import { captureLogs } from './fixtures/capture-logs.ts';

afterEach(() => assertIdle());

test('an escaping error is logged once with the thread name and stack, and rethrown to every waiter', async () => {
  const logs = await captureLogs(() =>
    run(function* () {
      const boom = new Error('boom');
      const gt = spawn(function* () {
        yield* sleep(1);
        throw boom;
      });
      gt.name = 'doomed';
      const waiters = [1, 2, 3].map(() =>
        spawn(function* () {
          yield* assertThrows(gt.wait(), (e) => e === boom);
          return 'saw it';
        }),
      );
      for (const w of waiters) assert.equal(yield* w.wait(), 'saw it');
      yield* assertThrows(gt.wait(), (e) => e === boom);
    }),
  );
  const failures = logs.filter((l) => l.level === 50);
  assert.equal(failures.length, 1);
  assert.equal(failures[0]!.thread, 'doomed');
  assert.match(String((failures[0]!.err as { stack: string }).stack), /Error: boom\n\s+at /);
  assert.match(String(failures[0]!.msg), /doomed failed/);
});

test('spawnN failures are logged too; GreenletExit is not', async () => {
  const logs = await captureLogs(() =>
    run(function* () {
      spawnN(function* () {
        throw new TypeError('lost');
      });
      const killed = spawn(function* () {
        yield* sleep(100);
      });
      yield* sleep(0);
      killed.kill();
      yield* sleep(1);
    }),
  );
  assert.equal(logs.length, 1);
  assert.match(String((logs[0]!.err as { message: string }).message), /lost/);
});

test('run() rejects with the error instead of logging it', async () => {
  const logs = await captureLogs(async () => {
    await assert.rejects(
      run(function* () {
        yield* sleep(0);
        throw new Error('to the caller');
      }),
      /to the caller/,
    );
  });
  assert.equal(logs.length, 0);
});

const wrongYields: [string, unknown, RegExp][] = [
  ['an operation without the star', 'op', /write `yield\* op` \(with the star\), not `yield op`/],
  ['a number', 42, /yielded number 42/],
  ['a plain object', { a: 1 }, /yielded a plain object/],
  ['nothing', undefined, /a bare `yield`.*yield\* sleep\(0\)/],
];

for (const [what, value, message] of wrongYields) {
  test(`yielding ${what} throws a TypeError into the thread that says what to write`, async () => {
    await run(function* () {
      let caught: unknown;
      try {
        yield value === 'op' ? sleep(1) : value;
      } catch (e) {
        caught = e;
      }
      assert.ok(caught instanceof TypeError);
      assert.match((caught as Error).message, message);
    });
  });
}

test("`yield op`'s TypeError names the user's line first on its stack", async () => {
  const bad = spawn(function* () {
    const op: unknown = sleep(1); // typed unknown so the lint rule lets the mistake through
    yield op; // the yield under test
  });
  bad.name = 'no-star';
  const joined = run(function* () {
    return yield* bad.wait();
  });
  await assert.rejects(joined, (e: Error) => {
    assert.ok(e instanceof TypeError);
    const line = readFileSync(import.meta.filename, 'utf8')
      .split('\n')
      .findIndex((l) => l.endsWith('// the yield under test'));
    const first = e.stack!.split('\n').find((l) => l.startsWith('    at '));
    assert.equal(first, `    at no-star (${import.meta.filename}:${line + 1}:5)`);
    return true;
  });
});

test('a wrong yield left uncaught fails only that thread', async () => {
  await run(function* () {
    const bad = spawn(function* () {
      yield 5;
    });
    bad.name = 'bad';
    const good = spawn(function* () {
      yield* sleep(1);
      return 'fine';
    });
    yield* assertThrows(bad.wait(), (e) => e instanceof TypeError);
    assert.equal(yield* good.wait(), 'fine');
  });
});

test('GreenletExit is an Error with its own name', () => {
  const e = new GreenletExit();
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'GreenletExit');
  class Custom extends GreenletExit {}
  assert.ok(new Custom() instanceof GreenletExit);
  assert.ok(!(new GreenletExit() instanceof Custom));
});
