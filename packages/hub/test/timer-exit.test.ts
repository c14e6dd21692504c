import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { assertIdle } from '@verdant/hub/testing';
import { assertExitedByItself, runScript } from './fixtures/run-script.ts';

afterEach(() => assertIdle());

const here = join(import.meta.dirname, '..');

test('a cancelled callLater never keeps the process alive until its old deadline', async () => {
  const out = await runScript(
    `
    import { getHub } from '@verdant/hub';
    const long = getHub().callLater(8000, () => console.log('long fired'), undefined);
    getHub().callLater(10, () => console.log('short fired'), undefined);
    long.cancel();
  `,
    here,
  );
  assertExitedByItself(out);
  assert.equal(out.stdout, 'short fired\n');
});

test('a cancelled Timeout never keeps the process alive until its old deadline', async () => {
  const out = await runScript(
    `
    import { run, sleep, spawn, Timeout } from '@verdant/hub';
    await run(function* () {
      const t = new Timeout(8000);
      const short = spawn(function* () { yield* sleep(10); });
      yield* sleep(0); // short is asleep: the 8000 ms timer is not the only one
      t.cancel();
      yield* short.wait();
    });
    console.log('done');
  `,
    here,
  );
  assertExitedByItself(out);
  assert.equal(out.stdout, 'done\n');
});

test('a killed sleep(8000) never keeps the process alive until its old deadline', async () => {
  const out = await runScript(
    `
    import { run, sleep, spawn } from '@verdant/hub';
    await run(function* () {
      const sleeper = spawn(function* () { yield* sleep(8000); });
      const short = spawn(function* () { yield* sleep(10); });
      yield* sleep(0); // both asleep
      sleeper.kill();
      yield* short.wait();
    });
    console.log('done');
  `,
    here,
  );
  assertExitedByItself(out);
  assert.equal(out.stdout, 'done\n');
});

test('a deadline past 2^31-1 ms is slept towards in steps, silently: no overflow warning, no spinning', async () => {
  // Node turns a longer delay into 1 ms with a warning: a hub that handed it
  // over as is woke every millisecond, warning each time.
  const out = await runScript(
    `
    import { run, sleep, spawn, spawnAfter, Timeout } from '@verdant/hub';
    let warnings = 0;
    process.on('warning', () => warnings++);
    const far = 2 ** 31 + 10_000;
    const threads = [
      spawn(function* () { yield* sleep(far); }),
      spawn(function* () { new Timeout(far); yield* sleep(far + 1); }),
      spawnAfter(far, function* () {}),
    ];
    // Node's own timer, so the hub has every chance to spin meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const woke = threads.filter((t) => t.dead).length;
    for (const t of threads) t.kill();
    await run(function* () { yield* sleep(1); });
    console.log(JSON.stringify({ warnings, woke }));
  `,
    here,
  );
  assertExitedByItself(out);
  const result = JSON.parse(out.stdout) as { warnings: number; woke: number };
  assert.equal(result.warnings, 0);
  assert.equal(result.woke, 0);
});

test('a lone timer cancelled and set again reuses the armed Node timer, which never holds the process', async () => {
  // A pool's idle timer is cleared and set again per request; each Node timer
  // the hub made for that cost a clearTimeout and a setTimeout (issue 13).
  const out = await runScript(
    `
    let made = 0;
    const setTimeout = globalThis.setTimeout;
    globalThis.setTimeout = (...args) => { made++; return setTimeout(...args); };
    const { getHub } = await import('@verdant/hub');
    globalThis.setTimeout = setTimeout;
    for (let i = 0; i < 100; i++) getHub().callLater(8000 + i, () => console.log('fired'), undefined).cancel();
    getHub().callLater(20, () => console.log('short fired'), undefined);
    // Counted now, not when the short timer fires: a Node timer may fire a
    // little before the hub's clock reaches its deadline (Node dates it from
    // the loop's cached time), and re-arming for the rest is right.
    console.log('made ' + made);
  `,
    here,
  );
  assertExitedByItself(out);
  assert.equal(out.stdout, 'made 2\nshort fired\n');
});

test('a queue emptied by a cancel, with nothing after it, lets the process exit', async () => {
  // The emptied queue keeps its Node timer armed for reuse: unref'd, so it holds nothing.
  const out = await runScript(
    `
    import { getHub } from '@verdant/hub';
    getHub().callLater(3_600_000, () => console.log('fired'), undefined).cancel();
    console.log('cancelled');
  `,
    here,
  );
  assertExitedByItself(out);
  assert.equal(out.stdout, 'cancelled\n');
});
