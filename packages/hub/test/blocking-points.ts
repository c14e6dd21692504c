import { type Operation, sleep, spawn, suspend, wait } from '@verdant/hub';

/** Every kind of place the hub can park a thread; kill and Timeout tests run over all of them. */
export const blockingPoints: [string, () => Operation<unknown>][] = [
  ['sleep(ms)', () => sleep(10_000)],
  [
    'sleep(0) loop',
    function* () {
      for (;;) yield* sleep(0);
    },
  ],
  ['suspend that never resumes', () => suspend(() => {})],
  ['a promise that never settles', () => wait(new Promise(() => {}))],
  [
    'a bare yield of a promise',
    function* () {
      yield new Promise(() => {});
    },
  ],
  [
    'wait() on another thread',
    () =>
      spawn(function* () {
        yield* sleep(50);
      }).wait(),
  ],
];
