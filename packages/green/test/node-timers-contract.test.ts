import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import * as timers from '@verdant/green/node/timers';
import * as timersPromises from '@verdant/green/node/timers-promises';
import { getCurrent, run, sleep, spawn } from '@verdant/hub';
import { assertIdle, useVirtualClock } from '@verdant/hub/testing';
import { assertExitedByItself, runScript } from '../../hub/test/fixtures/run-script.ts';

afterEach(() => assertIdle());

const here = join(import.meta.dirname, '..');

/** Runs `body` on a virtual clock (auto-advance unless told otherwise), restoring it after. */
async function onVirtualClock(
  body: (clock: ReturnType<typeof useVirtualClock>) => Promise<void>,
  autoAdvance = true,
): Promise<void> {
  const clock = useVirtualClock({ autoAdvance });
  try {
    await body(clock);
  } finally {
    clock.restore();
  }
}

test('refresh() re-arms a timer that already fired, from its own callback or later', async () => {
  await onVirtualClock(async () => {
    let n = 0;
    const t = timers.setTimeout(() => {
      if (++n < 3) t.refresh();
    }, 10);
    await run(function* () {
      yield* sleep(100);
    });
    assert.equal(n, 3);
    t.refresh();
    await run(function* () {
      yield* sleep(100);
    });
    assert.equal(n, 4);
  });
});

test('refresh() restarts the countdown of a pending timeout and interval; a cleared one stays cleared', async () => {
  await onVirtualClock(async (clock) => {
    const fired: string[] = [];
    const once = timers.setTimeout(() => fired.push('once'), 10);
    const every = timers.setInterval(() => fired.push('every'), 10);
    clock.advance(5);
    once.refresh();
    every.refresh();
    clock.advance(9);
    assert.deepEqual(fired, []);
    clock.advance(1);
    assert.deepEqual(fired, ['once', 'every']);
    timers.clearInterval(every);
    every.refresh();
    clock.advance(50);
    assert.deepEqual(fired, ['once', 'every']);
  }, false);
});

test("unref'd timers follow the virtual clock too: they only stop keeping the process alive", async () => {
  await onVirtualClock(async () => {
    const fired: string[] = [];
    const t = timers.setTimeout(() => fired.push('unref timeout'), 60_000).unref();
    const i = timers.setInterval(() => fired.push('unref interval'), 50_000).unref();
    assert.equal(t.hasRef(), false);
    await run(function* () {
      yield* sleep(120_000);
    });
    timers.clearInterval(i);
    assert.deepEqual(fired, ['unref interval', 'unref timeout', 'unref interval']);
  });
});

test('delays are truncated as Node does: 1, 1.8, 1.1, 1 fire in the order they were set', async () => {
  await onVirtualClock(async (clock) => {
    const order: number[] = [];
    timers.setTimeout(() => order.push(1), 1);
    timers.setTimeout(() => order.push(2), 1.8);
    timers.setTimeout(() => order.push(3), 1.1);
    timers.setTimeout(() => order.push(4), 1);
    clock.advance(1);
    assert.deepEqual(order, [1, 2, 3, 4]);
  }, false);
});

test('a delay past 2^31-1 becomes 1 ms with TimeoutOverflowWarning, as Node says', async () => {
  const warnings: Error[] = [];
  const onWarning = (w: Error): void => {
    warnings.push(w);
  };
  process.on('warning', onWarning);
  try {
    await onVirtualClock(async (clock) => {
      let fired = 0;
      timers.setTimeout(() => fired++, 2 ** 31);
      clock.advance(1);
      assert.equal(fired, 1);
    }, false);
    // Warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', onWarning);
  }
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0]!.name, 'TimeoutOverflowWarning');
  assert.equal(
    warnings[0]!.message,
    '2147483648 does not fit into a 32-bit signed integer.\nTimeout duration was set to 1.',
  );
});

/** The warnings a child process sees for bad delays, through `source`'s setTimeout/setInterval. */
async function delayWarnings(source: string): Promise<string[]> {
  const out = await runScript(
    `${source}
    const seen = [];
    process.on('warning', (w) => seen.push(w.name + ': ' + w.message.split('\\n')[0]));
    for (const ms of [-1, -2, NaN, NaN, 2 ** 31, 2 ** 31]) clearTimeout(setTimeout(() => {}, ms));
    clearInterval(setInterval(() => {}, -3));
    await promises.setTimeout(NaN);
    await promises.setTimeout(-4);
    setImmediate(() => console.log(JSON.stringify(seen)));`,
    here,
  );
  assertExitedByItself(out);
  return JSON.parse(out.stdout) as string[];
}

test('bad delays give the warnings this Node gives for them, once per process where Node warns once', async () => {
  const node = await delayWarnings(
    "import { setTimeout, setInterval, clearTimeout, clearInterval } from 'node:timers'; import promises from 'node:timers/promises';",
  );
  const face = await delayWarnings(
    "import { setTimeout, setInterval, clearTimeout, clearInterval } from '@verdant/green/node/timers'; import promises from '@verdant/green/node/timers-promises';",
  );
  assert.deepEqual(face, node);
  assert.ok(
    node.includes('TimeoutOverflowWarning: 2147483648 does not fit into a 32-bit signed integer.'),
  );
});

test("scheduler's methods refuse a this that is not the scheduler, and it cannot be constructed, as Node's", () => {
  const { scheduler } = timersPromises;
  for (const method of ['yield', 'wait'] as const) {
    assert.throws(() => (scheduler[method] as (...a: unknown[]) => unknown).call({}, 1), {
      name: 'TypeError',
      code: 'ERR_INVALID_THIS',
      message: 'Value of "this" must be of type Scheduler',
    });
  }
  const Ctor = scheduler.constructor as new () => unknown;
  assert.throws(() => new Ctor(), { name: 'TypeError', code: 'ERR_ILLEGAL_CONSTRUCTOR' });
});

test('the nextTick queue runs between due callbacks: a tick of the first can clear the second', async () => {
  await onVirtualClock(async () => {
    const fired: string[] = [];
    let t2: NodeJS.Timeout | undefined;
    const done = new Promise<void>((resolve) => {
      timers.setTimeout(() => {
        fired.push('t1');
        process.nextTick(() => timers.clearTimeout(t2));
      }, 1);
      t2 = timers.setTimeout(() => fired.push('t2'), 1);
      timers.setTimeout(() => {
        fired.push('t3');
        resolve();
      }, 1);
    });
    await done;
    assert.deepEqual(fired, ['t1', 't3']);
  });
});

test('a timer of 1 ms set before 1 ms of synchronous work fires in the next loop turn, before the immediates queued meanwhile, as Node counts whole ms', async () => {
  // Node counts a timer's delay from the whole ms of libuv's loop time; a
  // deadline counted from the exact clock read instead fell up to 1 ms
  // later, and so a loop turn late here. Deterministic on a busy machine:
  // the work only ever takes longer. Twenty tries, so that no lucky clock
  // read lets the old count pass.
  const lateTurns: number[] = [];
  for (let i = 0; i < 20; i++) {
    let fired = false;
    const late = await new Promise<number>((resolve) => {
      setImmediate(() => {
        timers.setTimeout(() => {
          fired = true;
        }, 1);
        // Just over 1 ms, from after the call: the timer is due by the next turn.
        const start = performance.now();
        while (performance.now() - start < 1.05);
        let turns = 0;
        const nextTurn = (): void => {
          if (fired) resolve(turns);
          else {
            turns++;
            setImmediate(nextTurn);
          }
        };
        setImmediate(nextTurn);
      });
    });
    lateTurns.push(late);
  }
  assert.deepEqual(
    lateTurns,
    Array(20).fill(0),
    'each fired in the turn after the one that set it',
  );
});

test("the callback runs as the timer's method; _onTimeout, _idleTimeout, _repeat and unenroll work as Node's", async () => {
  await onVirtualClock(async (clock) => {
    const seen: unknown[] = [];
    // Called as the timer's method, even when the function's own call/apply are shadowed.
    const callback = function (this: unknown) {
      seen.push(this === t);
    };
    Object.assign(callback, { call: 'not a function', apply: 'not a function' });
    const t = timers.setTimeout(callback, 1);
    const stoppedByNull = timers.setInterval(() => {
      seen.push('null');
      (stoppedByNull as unknown as { _onTimeout: null })._onTimeout = null;
    }, 1);
    const stoppedByIdle = timers.setInterval(() => {
      seen.push('idle');
      (stoppedByIdle as unknown as { _idleTimeout: number })._idleTimeout = -1;
    }, 1);
    const stoppedByUnenroll = timers.setInterval(() => {
      seen.push('unenroll');
      timers.unenroll(stoppedByUnenroll);
    }, 1);
    let repeats = 0;
    const turned = timers.setTimeout(() => {
      // A timeout made an interval from its own callback, as test-timers-timeout-to-interval does.
      if (++repeats === 3) timers.clearInterval(turned);
      (turned as unknown as { _repeat: number })._repeat = 1;
    }, 1);
    clock.advance(10);
    assert.deepEqual(seen, [true, 'null', 'idle', 'unenroll']);
    assert.equal(repeats, 3);
  }, false);
});

test('a cleared face timer never keeps the process alive; an unref one lets it exit, yet fires while it is up', async () => {
  const cleared = await runScript(
    `
    import { clearTimeout, setTimeout } from '@verdant/green/node/timers';
    const long = setTimeout(() => console.log('long fired'), 8000);
    setTimeout(() => console.log('short fired'), 10);
    clearTimeout(long);
  `,
    here,
  );
  assertExitedByItself(cleared);
  assert.equal(cleared.stdout, 'short fired\n');
  const unref = await runScript(
    `
    import { setTimeout } from '@verdant/green/node/timers';
    setTimeout(() => console.log('never: the process is gone by then'), 8000).unref();
    setTimeout(() => console.log('unref fired'), 10).unref();
    setTimeout(() => console.log('ref fired'), 50);
  `,
    here,
  );
  assertExitedByItself(unref);
  assert.equal(unref.stdout, 'unref fired\nref fired\n');
});

test('a throwing callback is an uncaught exception; a domain it left entered does not leak into the next timer', async () => {
  const out = await runScript(
    `
    import domain from 'node:domain';
    import { setTimeout } from '@verdant/green/node/timers';
    setTimeout(() => {
      const d = domain.create();
      d.on('error', (e) => console.log('domain caught', e.message, e.domain === d));
      d.run(() => { throw new Error('boom'); });
    }, 20);
    setTimeout(() => console.log('next timer domain', process.domain ?? null), 20);
  `,
    here,
  );
  assertExitedByItself(out);
  assert.equal(out.stdout, 'domain caught boom true\nnext timer domain null\n');
});

test('timers/promises: bad arguments reject with ERR_INVALID_ARG_TYPE; an interval rejects on next(), not at the call', async () => {
  const code = { code: 'ERR_INVALID_ARG_TYPE', name: 'TypeError' };
  await assert.rejects(timersPromises.setTimeout('10' as unknown as number), code);
  await assert.rejects(timersPromises.setTimeout(1, null, 1 as never), code);
  await assert.rejects(timersPromises.setTimeout(1, null, { ref: 1 as never }), code);
  await assert.rejects(timersPromises.setTimeout(1, null, { signal: {} as never }), code);
  const iterator = timersPromises.setInterval(10, undefined, { ref: 1 as never });
  await assert.rejects(iterator.next(), /ERR_INVALID_ARG_TYPE/);
  await assert.rejects(timersPromises.scheduler.wait('x' as unknown as number), code);
  const Scheduler = timersPromises.scheduler.constructor as new () => unknown;
  assert.throws(() => new Scheduler(), { code: 'ERR_ILLEGAL_CONSTRUCTOR' });
  await timersPromises.scheduler.yield();
});

test('timers/promises: setInterval and scheduler.wait run on the hub clock and stop on abort', async () => {
  await onVirtualClock(async () => {
    const ac = new AbortController();
    let ticks = 0;
    const loop = (async () => {
      for await (const _ of timersPromises.setInterval(60_000, 'v', { signal: ac.signal })) {
        if (++ticks === 3) ac.abort();
      }
    })();
    await assert.rejects(loop, { name: 'AbortError' });
    assert.equal(ticks, 3);
    await timersPromises.scheduler.wait(3_600_000);
  });
});

test("a callback runs in its setter's async context, as Node's timers, and in no green thread", async () => {
  await onVirtualClock(async () => {
    const als = new AsyncLocalStorage<string>();
    const seen: unknown[] = [];
    await run(function* () {
      yield* spawn(function* () {
        // Several contexts: the hub fires every timer from one Node timer of its own.
        als.run('req-1', () => {
          timers.setTimeout(() => seen.push(['timeout', als.getStore(), getCurrent()]), 5);
        });
        als.run('req-2', () => {
          let n = 0;
          const iv = timers.setInterval(() => {
            seen.push(['interval', als.getStore(), getCurrent()]);
            if (++n === 2) timers.clearInterval(iv);
          }, 3);
        });
      }).wait();
      yield* sleep(10);
    });
    assert.deepEqual(seen, [
      ['interval', 'req-2', null],
      ['timeout', 'req-1', null],
      ['interval', 'req-2', null],
    ]);
  });
});
