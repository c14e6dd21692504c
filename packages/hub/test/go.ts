import { type GreenThread, type Operation, spawn } from '@verdant/hub';

/** Runs one operation as its own thread. */
export function go<T>(op: () => Operation<T>): GreenThread<T> {
  return spawn(function* () {
    return yield* op();
  });
}

/** Runs the rest of an operation a test has started by hand, as `yield*` would have. */
export function* resume<T>(started: Iterator<unknown, T>): Operation<T> {
  return yield* { [Symbol.iterator]: () => started };
}
