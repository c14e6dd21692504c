/**
 * The coordination cases, each written four ways: Verdant, the promise floor
 * (floors.ts), Effect 4 and effection 4, each in the peer's own idiom.
 */
import { GreenPool, type Operation, Queue, run, Semaphore, sleep, spawn } from '@verdant/hub';
import { Effect, Queue as EffectQueue, Semaphore as EffectSemaphore, Fiber } from 'effect';
import {
  call,
  createQueue,
  type Operation as EffectionOperation,
  run as effectionRun,
  spawn as effectionSpawn,
  type Task,
} from 'effection';
import { PromiseQueue, PromiseSemaphore, promiseMap } from './floors.js';

export type Name = 'verdant' | 'floor' | 'effect' | 'effection';
export const NAMES: Name[] = ['verdant', 'floor', 'effect', 'effection'];

export interface Case {
  what: string;
  detail: string;
  /** The target from DESIGN.md on Verdant / floor, if this case has one. */
  target?: number;
  /** Runs `n` operations. */
  run: Record<Name, (n: number) => Promise<void>>;
}

export const CONTENDERS = 100;
export const PERMITS = 10;
export const POOL = 100;

const queueRoundTrip: Case = {
  what: 'Queue round trip',
  detail:
    'ping-pong between two threads over two unbounded queues; µs per round trip (2 puts + 2 gets)',
  target: 2,
  run: {
    verdant: (n) =>
      run(function* () {
        const ping = new Queue<number>();
        const pong = new Queue<number>();
        const echo = spawn(function* () {
          for (let i = 0; i < n; i++) yield* pong.put(yield* ping.get());
        });
        for (let i = 0; i < n; i++) {
          yield* ping.put(i);
          yield* pong.get();
        }
        yield* echo.wait();
      }),
    floor: async (n) => {
      const ping = new PromiseQueue<number>();
      const pong = new PromiseQueue<number>();
      const echo = (async () => {
        for (let i = 0; i < n; i++) pong.put(await ping.get());
      })();
      for (let i = 0; i < n; i++) {
        ping.put(i);
        await pong.get();
      }
      await echo;
    },
    effect: (n) =>
      Effect.runPromise(
        Effect.gen(function* () {
          const ping = yield* EffectQueue.unbounded<number>();
          const pong = yield* EffectQueue.unbounded<number>();
          const echo = yield* Effect.forkChild(
            Effect.gen(function* () {
              for (let i = 0; i < n; i++)
                yield* EffectQueue.offer(pong, yield* EffectQueue.take(ping));
            }),
          );
          for (let i = 0; i < n; i++) {
            yield* EffectQueue.offer(ping, i);
            yield* EffectQueue.take(pong);
          }
          yield* Fiber.join(echo);
        }),
      ),
    effection: (n) =>
      effectionRun(function* () {
        const ping = createQueue<number, never>();
        const pong = createQueue<number, never>();
        const echo: Task<void> = yield* effectionSpawn(function* () {
          for (let i = 0; i < n; i++) {
            const r = yield* ping.next();
            pong.add(r.value as number);
          }
        });
        for (let i = 0; i < n; i++) {
          ping.add(i);
          yield* pong.next();
        }
        yield* echo;
      }),
  },
};

const semaphoreContention: Case = {
  what: 'Semaphore contention',
  detail: `${CONTENDERS} threads, ${PERMITS} permits, each holds its permit across one yield; µs per acquire + release`,
  run: {
    verdant: (n) =>
      run(function* () {
        const sem = new Semaphore(PERMITS);
        const per = n / CONTENDERS;
        const worker = function* (): Operation<void> {
          for (let i = 0; i < per; i++) {
            yield* sem.acquire();
            yield* sleep(0);
            sem.release();
          }
        };
        const threads = Array.from({ length: CONTENDERS }, () => spawn(worker));
        for (const t of threads) yield* t.wait();
      }),
    floor: async (n) => {
      const sem = new PromiseSemaphore(PERMITS);
      const per = n / CONTENDERS;
      const worker = async (): Promise<void> => {
        for (let i = 0; i < per; i++) {
          await sem.acquire();
          await null;
          sem.release();
        }
      };
      await Promise.all(Array.from({ length: CONTENDERS }, worker));
    },
    effect: (n) =>
      Effect.runPromise(
        Effect.gen(function* () {
          const sem = yield* EffectSemaphore.make(PERMITS);
          const per = n / CONTENDERS;
          const worker = Effect.gen(function* () {
            for (let i = 0; i < per; i++) {
              yield* EffectSemaphore.take(sem, 1);
              yield* Effect.yieldNow;
              yield* EffectSemaphore.release(sem, 1);
            }
          });
          const fibers: Fiber.Fiber<void>[] = [];
          for (let c = 0; c < CONTENDERS; c++) fibers.push(yield* Effect.forkChild(worker));
          for (const f of fibers) yield* Fiber.join(f);
        }),
      ),
    // effection has no semaphore: a queue pre-filled with permits is the idiom.
    effection: (n) =>
      effectionRun(function* () {
        const permits = createQueue<number, never>();
        for (let i = 0; i < PERMITS; i++) permits.add(i);
        const per = n / CONTENDERS;
        const tasks: Task<void>[] = [];
        for (let c = 0; c < CONTENDERS; c++) {
          tasks.push(
            yield* effectionSpawn(function* () {
              for (let i = 0; i < per; i++) {
                const permit = yield* permits.next();
                yield* call(() => Promise.resolve());
                permits.add(permit.value as number);
              }
            }),
          );
        }
        for (const t of tasks) yield* t;
      }),
  },
};

const pooledMap: Case = {
  what: 'GreenPool.imap',
  detail: `ordered map, ${POOL} in flight, each job yields once; µs per item`,
  run: {
    verdant: (n) =>
      run(function* () {
        const pool = new GreenPool(POOL);
        const inputs = Array.from({ length: n }, (_, i) => i);
        const job = function* (x: number): Operation<number> {
          yield* sleep(0);
          return x * 2;
        };
        const results = pool.imap(job, inputs);
        let expect = 0;
        for (let r = yield* results.next(); !r.done; r = yield* results.next()) {
          if (r.value !== expect) throw new Error('out of order');
          expect += 2;
        }
      }),
    floor: async (n) => {
      const inputs = Array.from({ length: n }, (_, i) => i);
      const out = await promiseMap(inputs, POOL, async (x) => {
        await null;
        return x * 2;
      });
      if (out[n - 1] !== (n - 1) * 2) throw new Error('wrong');
    },
    effect: async (n) => {
      const inputs = Array.from({ length: n }, (_, i) => i);
      const out = await Effect.runPromise(
        Effect.forEach(
          inputs,
          (x) =>
            Effect.gen(function* () {
              yield* Effect.yieldNow;
              return x * 2;
            }),
          { concurrency: POOL },
        ),
      );
      if (out[n - 1] !== (n - 1) * 2) throw new Error('wrong');
    },
    // effection: a permit queue bounds the tasks in flight; a sibling task takes
    // the results in order (jobs are spawned by the main operation, so they
    // outlive nothing they belong to).
    effection: (n) =>
      effectionRun(function* () {
        const permits = createQueue<number, never>();
        for (let i = 0; i < POOL; i++) permits.add(i);
        const tasks: Task<number>[] = [];
        const spawned = createQueue<void, never>();
        const consumer: Task<void> = yield* effectionSpawn(function* () {
          for (let i = 0; i < n; i++) {
            while (tasks.length <= i) yield* spawned.next();
            if ((yield* tasks[i]!) !== i * 2) throw new Error('out of order');
          }
        });
        for (let i = 0; i < n; i++) {
          const permit = (yield* permits.next()).value as number;
          tasks.push(
            yield* effectionSpawn(function* (): EffectionOperation<number> {
              try {
                yield* call(() => Promise.resolve());
                return i * 2;
              } finally {
                permits.add(permit);
              }
            }),
          );
          spawned.add();
        }
        yield* consumer;
      }),
  },
};

export const CASES: Case[] = [queueRoundTrip, semaphoreContention, pooledMap];
