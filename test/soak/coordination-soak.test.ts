/**
 * Randomized Queue / Semaphore / threading.Lock / RLock traffic with kills
 * and time limits, bounded by count (OPERATIONS). Holds: mutual exclusion
 * is never broken, every permit and the locks come back, every item whose
 * put returned is got exactly once or still queued, none is got twice, and
 * no wake-up is lost: when the operations run out, a worker may still wait
 * only in an untimed put on a full queue or an untimed get on an empty one.
 * The seed (VERDANT_SOAK_SEED to replay) is in every message.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { threading } from '@verdant/green';
import {
  GreenletExit,
  type GreenThread,
  getCurrent,
  type Operation,
  Queue,
  QueueEmpty,
  QueueFull,
  run,
  Semaphore,
  sleep,
  spawn,
  Timeout,
} from '@verdant/hub';
import { assertIdle } from '@verdant/hub/testing';
import { prng } from '../../packages/hub/test/fixtures/prng.ts';

afterEach(() => assertIdle());

const SEED = Number(process.env.VERDANT_SOAK_SEED ?? 20261202);
const WORKERS = 64;
const OPERATIONS = 40_000;
const PERMITS = 3;

test(`coordination soak: ${OPERATIONS} random operations with kills (seed ${SEED})`, {
  timeout: 240_000,
}, async () => {
  await run(function* () {
    const random = prng(SEED);
    const lock = new threading.Lock();
    const rlock = new threading.RLock();
    const sem = new Semaphore(PERMITS);
    const queue = new Queue<number>(8);
    let inLock = 0;
    let inRLock = 0;
    let inSem = 0;
    let nextItem = 0;
    let done = 0;
    const put = new Set<number>();
    const got = new Set<number>();
    const problems: string[] = [];
    const note = (what: string): void => {
      if (problems.length < 20) problems.push(what);
    };

    /** What each worker is blocked in, and whether without any time limit. */
    const waitingIn = new Map<GreenThread, { on: string; untimed: boolean }>();

    /** A time limit on the blocking part: none, its own timeout, or a Timeout. */
    function* limited<T>(
      on: string,
      op: (ms: number | undefined) => Operation<T>,
    ): Operation<T | undefined> {
      const mode = Math.floor(random() * 3);
      const ms = Math.floor(random() * 3);
      const self = getCurrent()!;
      waitingIn.set(self, { on, untimed: mode === 0 });
      try {
        if (mode === 0) return yield* op(undefined);
        if (mode === 1) return yield* op(ms);
        const timeout = new Timeout(ms);
        try {
          return yield* op(undefined);
        } catch (error) {
          if (error === timeout) return undefined;
          throw error;
        } finally {
          timeout.cancel();
        }
      } finally {
        waitingIn.delete(self);
      }
    }

    function* step(): Operation<void> {
      switch (Math.floor(random() * 5)) {
        case 0: {
          const ok = yield* limited('Lock', (ms) => lock.acquire(true, ms ?? null));
          if (ok !== true) return;
          try {
            if (++inLock !== 1) note(`Lock held by ${inLock} threads`);
            yield* sleep(Math.floor(random() * 2));
          } finally {
            inLock--;
            lock.release();
          }
          return;
        }
        case 1: {
          const ok = yield* limited('RLock', (ms) => rlock.acquire(true, ms ?? null));
          if (ok !== true) return;
          try {
            if (++inRLock !== 1) note(`RLock held by ${inRLock} threads`);
            // Re-entered: the same owner may acquire it again without blocking.
            assert.equal(yield* rlock.acquire(false), true);
            rlock.release();
            yield* sleep(Math.floor(random() * 2));
          } finally {
            inRLock--;
            rlock.release();
          }
          return;
        }
        case 2: {
          const ok = yield* limited('Semaphore', (ms) => sem.acquire(true, ms));
          if (ok !== true) return;
          try {
            if (++inSem > PERMITS) note(`Semaphore(${PERMITS}) held by ${inSem}`);
            yield* sleep(Math.floor(random() * 2));
          } finally {
            inSem--;
            sem.release();
          }
          return;
        }
        case 3: {
          const item = nextItem++;
          let returned: true | undefined;
          try {
            returned = yield* limited('put', function* (ms) {
              yield* queue.put(item, true, ms);
              return true as const;
            });
          } catch (error) {
            if (!(error instanceof QueueFull)) throw error;
          }
          if (returned !== true) return; // not put (full, or cut by the Timeout): never to be got
          put.add(item);
          return;
        }
        default: {
          let item: number | undefined;
          try {
            item = yield* limited('get', (ms) => queue.get(true, ms));
          } catch (error) {
            if (!(error instanceof QueueEmpty)) throw error;
          }
          if (item === undefined) return;
          if (got.has(item)) note(`item ${item} got twice`);
          got.add(item);
        }
      }
    }

    function* worker(): Operation<void> {
      while (done < OPERATIONS) {
        done++;
        yield* step();
      }
    }

    const threads = new Set<GreenThread>();
    const start = (): void => {
      const t = spawn(worker);
      threads.add(t);
      t.link(() => threads.delete(t));
    };
    for (let i = 0; i < WORKERS; i++) start();
    while (done < OPERATIONS) {
      yield* sleep(Math.floor(random() * 3));
      // Kill a random worker wherever it is blocked, and start another.
      const victims = [...threads];
      const victim = victims[Math.floor(random() * victims.length)];
      if (victim?.kill()) start();
    }
    // The operations are spent, so a worker in an untimed put on a full queue,
    // or an untimed get on an empty one, waits for a partner that never comes.
    // Every other worker finishes by itself; wait (bounded by count) until only
    // such waiters are left, then check that each still has a reason to wait.
    const stranded = (): boolean =>
      [...threads].every((t) => {
        const w = waitingIn.get(t);
        return w?.untimed === true && (w.on === 'put' || w.on === 'get');
      });
    let rounds = 0;
    while (!stranded() && rounds++ < 10_000) yield* sleep(1);
    yield* sleep(1); // one more round: a wake-up already under way lands first
    for (const t of threads) {
      const w = waitingIn.get(t);
      if (w === undefined || !w.untimed) note(`a worker never finished (${w?.on ?? 'running'})`);
      else if (w.on === 'put' && !queue.full()) note('a put waits on a queue with room');
      else if (w.on === 'get' && queue.qsize() > 0) note('a get waits on a queue with items');
      else if (w.on !== 'put' && w.on !== 'get') note(`a worker waits on a free ${w.on}`);
    }
    for (const t of [...threads]) {
      t.kill();
      try {
        yield* t.wait();
      } catch (error) {
        if (!(error instanceof GreenletExit)) note(`a worker failed: ${String(error)}`);
      }
    }
    const left = new Set<number>();
    while (queue.qsize() > 0) left.add(queue.getNowait());
    for (const item of got)
      if (!put.has(item) && !left.has(item)) note(`item ${item} got but never put`);
    for (const item of put) if (!got.has(item) && !left.has(item)) note(`item ${item} lost`);
    assert.deepEqual(problems, [], `seed ${SEED}`);
    assert.equal(lock.locked(), false, `Lock released (seed ${SEED})`);
    assert.equal(rlock.locked(), false, `RLock released (seed ${SEED})`);
    assert.equal(sem.balance, PERMITS, `every permit back (seed ${SEED})`);
  });
});
