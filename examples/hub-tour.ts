// A tour of the hub: green threads, sleep, Timeout, kill, and a wait on a
// promise — all blocking-style code, all on Node's one loop.
// Run: npx --yes pnpm@10 build && node --import tsx examples/hub-tour.ts
import {
  getHub,
  main,
  type Operation,
  sleep,
  spawn,
  Timeout,
  wait,
  withTimeout,
} from '@verdant/hub';

function* worker(name: string, ms: number): Operation<string> {
  for (let step = 1; step <= 3; step++) {
    yield* sleep(ms);
    console.log(`${name}: step ${step}`);
  }
  return `${name} done`;
}

main(function* () {
  // Three threads interleave on one loop, each written as straight-line code.
  const threads = [
    spawn(worker, 'fast', 10),
    spawn(worker, 'medium', 15),
    spawn(worker, 'slow', 25),
  ];
  for (const t of threads) console.log(yield* t.wait());

  // A Timeout lands inside whatever the thread is blocked on.
  const timeout = new Timeout(30);
  try {
    yield* sleep(1000);
  } catch (e) {
    if (e !== timeout) throw e;
    console.log('the 1 s sleep was cut short after 30 ms');
  }

  // withTimeout with a fallback, over a promise-based API.
  const answer = yield* withTimeout(
    50,
    function* () {
      return yield* wait(
        new Promise<string>((resolve) => setTimeout(() => resolve('on time'), 10)),
      );
    },
    'too late',
  );
  console.log(`promise answered: ${answer}`);

  // Killing a thread runs its finally blocks at the point where it waits.
  const sleeper = spawn(function* () {
    try {
      yield* sleep(60_000);
    } finally {
      console.log('sleeper: cleaned up after kill');
    }
  });
  yield* sleep(0);
  console.log(
    'live threads:',
    getHub()
      .threads()
      .map((t) => `${t.name} (${t.blockedOn ?? t.state})`)
      .join(', '),
  );
  sleeper.kill();
  yield* sleep(0);
  console.log('hub stats:', getHub().stats());
});
