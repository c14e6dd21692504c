import * as E from 'effection';

/**
 * The effection side of the hub benchmarks: in one root task, spawns `n`
 * child tasks running `body`, then waits for each, as `E.run` does not wait
 * for its children. Every effection contestant measures around this.
 *
 * @example
 * const t0 = now();
 * await spawnAndJoin(1000, function* () { yield* E.sleep(0); });
 * const ms = now() - t0;
 */
export function spawnAndJoin(n: number, body: () => E.Operation<void>): Promise<void> {
  return E.run(function* () {
    const tasks: E.Task<void>[] = [];
    for (let i = 0; i < n; i++) tasks.push(yield* E.spawn(body));
    for (const t of tasks) yield* t;
  });
}
