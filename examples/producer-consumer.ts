// A bounded Queue between fast producers and slow consumers: when the queue
// is full, put() blocks the producers, so they run at the consumers' pace
// and memory stays bounded (backpressure). Queue.join() waits until every
// job was handled; then the consumers are stopped.
// Run: npx --yes pnpm@10 build && node --import tsx examples/producer-consumer.ts
import { type GreenThread, getHub, main, type Operation, Queue, sleep, spawn } from '@verdant/hub';

const CAPACITY = 5;
const PRODUCERS = 3;
const JOBS_PER_PRODUCER = 10;
const CONSUMERS = 2;

type Job = { from: string; n: number };

function* producer(name: string, jobs: Queue<Job>): Operation<void> {
  for (let n = 1; n <= JOBS_PER_PRODUCER; n++) {
    const t0 = getHub().now();
    yield* jobs.put({ from: name, n }); // blocks while the queue is full
    const waited = getHub().now() - t0;
    if (waited >= 1)
      console.log(`${name}: queue full, waited ${waited.toFixed(0)} ms to put #${n}`);
  }
  console.log(`${name}: produced all ${JOBS_PER_PRODUCER} jobs`);
}

function* consumer(name: string, jobs: Queue<Job>, done: Map<string, number>): Operation<void> {
  for (;;) {
    const job = yield* jobs.get();
    try {
      yield* sleep(20); // slow work
      done.set(name, (done.get(name) ?? 0) + 1);
      if (job.n === JOBS_PER_PRODUCER) console.log(`${name}: handled the last job of ${job.from}`);
    } finally {
      jobs.taskDone();
    }
  }
}

main(function* () {
  const jobs = new Queue<Job>(CAPACITY);
  const done = new Map<string, number>();
  let peak = 0;
  const watcher = spawn(function* () {
    for (;;) {
      peak = Math.max(peak, jobs.qsize());
      yield* sleep(5);
    }
  });
  const consumers: GreenThread<void>[] = [];
  for (let i = 1; i <= CONSUMERS; i++) consumers.push(spawn(consumer, `consumer-${i}`, jobs, done));
  const producers: GreenThread<void>[] = [];
  for (let i = 1; i <= PRODUCERS; i++) producers.push(spawn(producer, `producer-${i}`, jobs));

  const t0 = getHub().now();
  for (const p of producers) yield* p.wait();
  yield* jobs.join(); // every job handled
  const ms = getHub().now() - t0;
  for (const c of [...consumers, watcher]) c.kill();

  console.log(
    `${[...done.values()].reduce((a, b) => a + b, 0)} jobs in ${ms.toFixed(0)} ms ` +
      `(${[...done].map(([c, n]) => `${c}: ${n}`).join(', ')}); ` +
      `the queue never held more than ${peak} (capacity ${CAPACITY})`,
  );
});
