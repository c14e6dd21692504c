// `tr | sort | uniq -c`, with the parent in between: green threads feed the
// first child, pump each child's stdout into the next one's stdin, and drain
// the last, all at once, while another thread runs unrelated commands.
// Backpressure holds end to end: a slow stage pauses the ones before it.
// Run: npx --yes pnpm@10 build && node --import tsx examples/subprocess-pipeline.ts
import { subprocess, time } from '@verdant/green';
import { main, type Operation, spawn } from '@verdant/hub';

const { PIPE, Popen } = subprocess;
type Proc = InstanceType<typeof Popen>;

/** Copies `from`'s stdout into `to`'s stdin, then closes it (the next stage sees EOF). */
function* pump(from: Proc, to: Proc): Operation<number> {
  let bytes = 0;
  for (;;) {
    const chunk = yield* from.stdout!.read1(64 * 1024);
    if (chunk.length === 0) break;
    bytes += yield* to.stdin!.write(chunk);
  }
  yield* to.stdin!.close();
  return bytes;
}

main(function* () {
  const words = ['green', 'thread', 'hub', 'pipe', 'green', 'loop', 'hub', 'green'];
  const upper = new Popen(['tr', 'a-z', 'A-Z'], { stdin: PIPE, stdout: PIPE });
  const sort = new Popen(['sort'], { stdin: PIPE, stdout: PIPE });
  const count = new Popen(['uniq', '-c'], { stdin: PIPE, stdout: PIPE, text: true });

  const feeder = spawn(function* () {
    // 20k lines: far more than a pipe buffer, so every stage must be drained while it is fed.
    for (let i = 0; i < 20_000; i++) yield* upper.stdin!.write(`${words[i % words.length]}\n`);
    yield* upper.stdin!.close();
  });
  const pumps = [spawn(pump, upper, sort), spawn(pump, sort, count)];
  const side = spawn(function* () {
    const t0 = time.monotonicMs();
    const out = yield* subprocess.checkOutput(['sh', '-c', 'sleep 0.1; uname -s'], { text: true });
    return `side job said ${out.trim()} after ${Math.round(time.monotonicMs() - t0)} ms`;
  });

  const lines = yield* count.stdout!.readlines();
  yield* feeder.wait();
  for (const p of pumps) console.log(`pumped ${yield* p.wait()} bytes`);
  for (const line of lines) console.log(line.trimEnd());
  for (const p of [upper, sort, count]) console.log(`${p.args[0]} exited ${yield* p.wait()}`);
  console.log(yield* side.wait());

  console.log(yield* runWithTimeout());
});

function* runWithTimeout(): Operation<string> {
  try {
    yield* subprocess.run(['sleep', '5'], { timeoutMs: 100 });
    return 'not reached';
  } catch (e) {
    if (e instanceof subprocess.TimeoutExpired)
      return `killed after ${e.timeoutMs} ms: ${e.message}`;
    throw e;
  }
}
