/**
 * A blocking step a green thread runs with `yield*`, so TypeScript infers
 * its result: `const n: number = yield* op`.
 */
export type Operation<T> = Generator<unknown, T, unknown>;
