import * as E from 'effection';

/**
 * The effection side of the hub benchmarks: in one root task, spawns `total`
 * child tasks running `body`, `alive` at a time, waiting for each batch before
 * the next (`E.run` does not wait for its children). Every effection
 * contestant measures around this.
 *
 * @example
 * await spawnAndJoin(1000, function* () { yield* E.sleep(0); });
 */
export function spawnAndJoin(
  total: number,
  body: () => E.Operation<void>,
  alive: number = total,
): Promise<void> {
  return E.run(function* () {
    for (let left = total; left > 0; left -= alive) {
      const tasks: E.Task<void>[] = [];
      for (let i = Math.min(alive, left); i > 0; i--) tasks.push(yield* E.spawn(body));
      for (const t of tasks) yield* t;
    }
  });
}
