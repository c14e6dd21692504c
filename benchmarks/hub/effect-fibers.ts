import { Effect, Fiber } from 'effect';

/**
 * The Effect 4 side of the hub benchmarks: in one root fiber, forks `total`
 * child fibers running `body` with `Effect.forkChild`, `alive` at a time,
 * joining each batch with `Fiber.join` before the next. Every Effect
 * contestant measures around this.
 *
 * @example
 * await forkAndJoin(1000, Effect.yieldNow);
 */
export function forkAndJoin(
  total: number,
  body: Effect.Effect<void>,
  alive: number = total,
): Promise<void> {
  return Effect.runPromise(
    Effect.gen(function* () {
      for (let left = total; left > 0; left -= alive) {
        const fibers: Fiber.Fiber<void>[] = [];
        for (let i = Math.min(alive, left); i > 0; i--) fibers.push(yield* Effect.forkChild(body));
        for (const f of fibers) yield* Fiber.join(f);
      }
    }),
  );
}
