/**
 * A blocking step a green thread runs with `yield*`, so TypeScript infers
 * its result: `const n: number = yield* op`.
 *
 * @example
 * function* twice(): Operation<number> {
 *   yield* sleep(10);
 *   return 2;
 * }
 */
export type Operation<T> = Generator<unknown, T, unknown>;

/** Yielded by `suspend`: the driver parks the thread and calls its arm. */
export const PARK: unique symbol = Symbol.for('verdant.hub/park') as never;
/** Yielded by `sleep(0)`: the thread goes to the back of the run queue. */
export const YIELD: unique symbol = Symbol.for('verdant.hub/yield') as never;
/** Yielded by `sleep(ms)`: the driver parks the thread on a timer, no closure needed. */
export const SLEEP: unique symbol = Symbol.for('verdant.hub/sleep') as never;
