import { type GreenThread, type Operation, spawn } from '@verdant/hub';

/** Runs one operation as its own thread. */
export function go<T>(op: () => Operation<T>): GreenThread<T> {
  return spawn(function* () {
    return yield* op();
  });
}
