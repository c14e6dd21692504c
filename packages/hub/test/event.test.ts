import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import {
  Event,
  GreenletExit,
  getHub,
  run,
  sleep,
  spawn,
  spawnAfter,
  spawnN,
  Timeout,
} from '@verdant/hub';
import { assertIdle, assertThrows } from '@verdant/hub/testing';
import { resume } from './go.ts';

afterEach(() => assertIdle());

test('wait returns what another thread sends', async () => {
  await run(function* () {
    const evt = new Event<string>();
    spawnN(function* () {
      evt.send('some stuff');
    });
    assert.equal(yield* evt.wait(), 'some stuff');
    assert.equal(evt.ready(), true);
    assert.equal(evt.hasResult(), true);
    assert.equal(evt.hasException(), false);
  });
});

test('every waiter wakes, with the value or the exception', async () => {
  await run(function* () {
    for (const exception of [false, true]) {
      const evt = new Event<number>();
      const waiters = [1, 2, 3, 4, 5].map(() =>
        spawn(function* () {
          try {
            return yield* evt.wait();
          } catch (e) {
            return (e as Error).message;
          }
        }),
      );
      yield* sleep(0);
      assert.equal(evt.waiting(), 5);
      if (exception) evt.sendException(new Error('boom'));
      else evt.send(7);
      const results = [];
      for (const w of waiters) results.push(yield* w.wait());
      assert.deepEqual(results, Array(5).fill(exception ? 'boom' : 7));
      assert.equal(evt.waiting(), 0);
    }
  });
});

test('reset: not before send; sending twice needs a reset in between', async () => {
  await run(function* () {
    const evt = new Event<string>();
    assert.throws(() => evt.reset(), /not sent yet/);
    evt.send('first');
    assert.throws(() => evt.send('second'), /already sent/);
    assert.equal(yield* evt.wait(), 'first');
    evt.reset();
    assert.equal(evt.ready(), false);
    spawnN(function* () {
      evt.send('second');
    });
    assert.equal(yield* evt.wait(), 'second');
  });
});

test('a waiter woken before a reset still gets the value it was sent', async () => {
  await run(function* () {
    const evt = new Event<number>();
    const w = spawn(function* () {
      return yield* evt.wait();
    });
    yield* sleep(0);
    evt.send(1);
    evt.reset();
    assert.equal(yield* w.wait(), 1);
  });
});

test('an exception does not outlive a reset', async () => {
  await run(function* () {
    const evt = new Event();
    evt.sendException(new RangeError('from the test'));
    assert.equal(evt.hasException(), true);
    yield* assertThrows(evt.wait(), (e) => e instanceof RangeError);
    assert.throws(() => evt.poll(), RangeError);
    evt.reset();
    const timeout = new Timeout(1);
    yield* assertThrows(evt.wait(), (e) => e === timeout);
  });
});

test('wait(timeoutMs): the value if sent in time, else undefined after about timeoutMs', async () => {
  await run(function* () {
    const evt = new Event<boolean>();
    spawnAfter(10, function* () {
      evt.send(true);
    });
    assert.equal(yield* evt.wait(200), true);

    const late = new Event<boolean>();
    const sender = spawnAfter(60, function* () {
      late.send(true);
    });
    const start = getHub().now();
    assert.equal(yield* late.wait(20), undefined);
    assert.ok(getHub().now() - start >= 19);
    assert.equal(late.waiting(), 0);
    yield* sender.wait();
  });
});

test('poll never blocks', () => {
  const evt = new Event<number>();
  assert.equal(evt.poll(), undefined);
  assert.equal(evt.poll('not yet'), 'not yet');
  evt.send(3);
  assert.equal(evt.poll('not yet'), 3);
});

test('a killed waiter leaves the line; send from outside any thread works', async () => {
  const evt = new Event<string>();
  await run(function* () {
    const victim = spawn(function* () {
      return yield* evt.wait(10_000);
    });
    const other = spawn(function* () {
      return yield* evt.wait();
    });
    yield* sleep(0);
    victim.kill();
    yield* assertThrows(victim.wait(), (e) => e instanceof GreenletExit);
    assert.equal(evt.waiting(), 1);
    setImmediate(() => evt.send('from a callback'));
    assert.equal(yield* other.wait(), 'from a callback');
  });
  assert.throws(() => evt.wait(-5), RangeError);
});

test('a wait driven by hand parks until sent, takes a value its own thread sends between its steps, and waits anew once its park was dropped', async () => {
  await run(function* () {
    const ev = new Event<string>();
    const own = ev.wait(5000)[Symbol.iterator]();
    assert.equal(own.next().done, false, 'not sent: it parks');
    assert.equal(own.next().done, false, 'a step before the wake-up parks still, not "timed out"');
    ev.send('own'); // from the waiting thread itself: its wake-up finds it running
    assert.deepEqual(own.next(), { value: 'own', done: true });
    assert.equal(ev.waiting(), 0);
    ev.reset();
    const dropped = ev.wait(5000)[Symbol.iterator]();
    assert.equal(dropped.next().done, false);
    yield* sleep(1); // drops its park, and its timer
    assert.equal(ev.waiting(), 0, 'the dropped waiter left the line');
    assert.equal(dropped.next().done, false, 'still not sent: it waits anew');
    assert.equal(ev.waiting(), 1);
    const sender = spawn(function* () {
      ev.send('later');
    });
    assert.equal(yield* resume(dropped), 'later');
    yield* sender.wait();
    ev.reset();
    const late = ev.wait()[Symbol.iterator]();
    late.next();
    yield* sleep(1);
    ev.send('meanwhile');
    assert.deepEqual(
      late.next(),
      { value: 'meanwhile', done: true },
      'sent while dropped: at once',
    );
    assert.equal(getHub().stats().timers, 0);
  });
});
