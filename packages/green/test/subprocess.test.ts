import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import * as subprocess from '@verdant/green/subprocess';
import * as time from '@verdant/green/time';
import { GreenletExit, run, sleep, spawn, Timeout } from '@verdant/hub';
import { assertIdle } from '@verdant/hub/testing';

const { PIPE, DEVNULL, STDOUT, Popen, CalledProcessError, TimeoutExpired } = subprocess;
const NODE = process.execPath;

afterEach(() => assertIdle());

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('wait returns exit codes; a signal gives -N', async () => {
  await run(function* () {
    assert.equal(yield* new Popen(['sh', '-c', 'exit 0']).wait(), 0);
    const p = new Popen(['sh', '-c', 'exit 7']);
    assert.equal(p.returncode, null);
    assert.equal(yield* p.wait(), 7);
    assert.equal(p.returncode, 7);
    const s = new Popen(['sleep', '5']);
    s.kill();
    assert.equal(yield* s.wait(), -9);
    const t = new Popen(['sleep', '5']);
    t.terminate();
    assert.equal(yield* t.wait(), -15);
  });
});

test('stdout is a green file: readline, read', async () => {
  await run(function* () {
    const p = new Popen(['sh', '-c', 'printf "one\\ntwo\\nthree"'], { stdout: PIPE, text: true });
    assert.equal(yield* p.stdout!.readline(), 'one\n');
    assert.equal(yield* p.stdout!.readline(), 'two\n');
    assert.equal(yield* p.stdout!.readline(), 'three');
    assert.equal(yield* p.stdout!.readline(), '');
    assert.equal(yield* p.wait(), 0);
    const b = new Popen(['printf', 'abcdef'], { stdout: PIPE });
    const first = yield* b.stdout!.read(2);
    assert.ok(Buffer.isBuffer(first));
    assert.equal(first.toString(), 'ab');
    assert.equal((yield* b.stdout!.read()).toString(), 'cdef');
    yield* b.wait();
  });
});

test('communicate feeds stdin and drains megabytes from both pipes without deadlock', async () => {
  const input = 'z'.repeat(3 << 20);
  await run(function* () {
    // The child echoes stdin to stdout and writes as much to stderr, concurrently: a naive
    // write-then-read would block once the pipe buffers (64 KiB) fill up.
    const p = new Popen(
      [NODE, '-e', "process.stderr.write('e'.repeat(3 << 20)); process.stdin.pipe(process.stdout)"],
      { stdin: PIPE, stdout: PIPE, stderr: PIPE },
    );
    const ticks: number[] = [];
    const ticker = spawn(function* () {
      for (;;) {
        yield* sleep(5);
        ticks.push(1);
      }
    });
    const [out, err] = yield* p.communicate(input);
    ticker.kill();
    assert.equal(out!.length, input.length);
    assert.equal(out!.toString(), input);
    assert.equal(err!.length, 3 << 20);
    assert.equal(p.returncode, 0);
    assert.ok(ticks.length > 0, 'other green threads ran meanwhile');
  });
});

test('stderr=STDOUT merges into stdout; DEVNULL discards', async () => {
  await run(function* () {
    const p = new Popen(['sh', '-c', 'echo out; echo err 1>&2'], {
      stdout: PIPE,
      stderr: STDOUT,
      text: true,
    });
    const [out, err] = yield* p.communicate();
    assert.equal(err, null);
    assert.deepEqual(out!.split('\n').filter(Boolean).sort(), ['err', 'out']);
    const q = new Popen(['sh', '-c', 'echo hidden'], { stdout: DEVNULL });
    assert.deepEqual(yield* q.communicate(), [null, null]);
  });
});

test('wait(timeoutMs) throws TimeoutExpired and leaves the child running', async () => {
  await run(function* () {
    const p = new Popen(['sleep', '5']);
    yield* assertThrowsOp(
      p.wait(50),
      (e) =>
        e instanceof TimeoutExpired &&
        e.timeoutMs === 50 &&
        e.cmd === p.args &&
        String(e) === 'TimeoutExpired: Command ["sleep","5"] timed out after 50 ms',
    );
    assert.equal(p.poll(), null);
    assert.ok(alive(p.pid));
    p.kill();
    assert.equal(yield* p.wait(), -9);
  });
});

test('communicate timeout keeps partial output; a second communicate gets the rest', async () => {
  await run(function* () {
    const p = new Popen(['sh', '-c', 'echo early; sleep 0.3; echo late'], {
      stdout: PIPE,
      text: true,
    });
    let partial: unknown;
    try {
      yield* p.communicate(null, 150);
      assert.fail('expected a timeout');
    } catch (e) {
      assert.ok(e instanceof TimeoutExpired);
      partial = e.output;
    }
    assert.equal(partial, 'early\n');
    const [out] = yield* p.communicate();
    assert.equal(out, 'early\nlate\n');
  });
});

test('killing the green thread that waits on a child SIGKILLs and reaps the child', async () => {
  await run(function* () {
    const p = new Popen(['sleep', '30']);
    const waiter = spawn(function* () {
      return yield* p.wait();
    });
    yield* time.sleep(20);
    waiter.kill();
    yield* assertThrowsOp(waiter.wait(), (e) => e instanceof GreenletExit);
    // The child was killed, not orphaned: its exit arrives and is reaped.
    for (let i = 0; i < 100 && p.poll() === null; i++) yield* time.sleep(5);
    assert.equal(p.returncode, -9);
    assert.equal(alive(p.pid), false);
  });
});

test('a hub Timeout around communicate also kills the child', async () => {
  await run(function* () {
    const p = new Popen(['sleep', '30'], { stdout: PIPE });
    const timeout = new Timeout(30);
    try {
      yield* p.communicate();
      assert.fail('expected the Timeout');
    } catch (e) {
      assert.equal(e, timeout);
    }
    const code = yield* p.wait();
    assert.equal(code, -9);
  });
});

test('killOnInterrupt: false leaves the child running', async () => {
  await run(function* () {
    const p = new Popen(['sleep', '30'], { killOnInterrupt: false });
    const waiter = spawn(function* () {
      yield* p.wait();
    });
    yield* time.sleep(10);
    waiter.kill();
    yield* time.sleep(30);
    assert.equal(p.poll(), null);
    p.kill();
    yield* p.wait();
  });
});

test('run captures output, checks and times out', async () => {
  await run(function* () {
    const r = yield* subprocess.run(['sh', '-c', 'echo hi; echo oops 1>&2; exit 3'], {
      captureOutput: true,
      text: true,
    });
    assert.equal(r.returncode, 3);
    assert.equal(r.stdout, 'hi\n');
    assert.equal(r.stderr, 'oops\n');
    assert.throws(() => r.checkReturncode(), CalledProcessError);
    yield* assertThrowsOp(
      subprocess.run(['sh', '-c', 'exit 2'], { check: true }),
      (e) => e instanceof CalledProcessError && e.returncode === 2,
    );
    const fed = yield* subprocess.run(['cat'], { input: 'fed', captureOutput: true });
    assert.equal(fed.stdout!.toString(), 'fed');
    // The child prints its pid and would sleep far past the test's own timeout:
    // run returns only because it killed the child at timeoutMs (long enough
    // for a busy machine to start sh and pass its first line along).
    let output = '';
    yield* assertThrowsOp(
      subprocess.run(['sh', '-c', 'echo $$; exec sleep 600'], {
        timeoutMs: 2000,
        stdout: PIPE,
        text: true,
      }),
      (e) => {
        output = e instanceof TimeoutExpired ? String(e.output) : '';
        return /^\d+\n$/.test(output);
      },
    );
    assert.throws(() => process.kill(Number(output), 0), { code: 'ESRCH' }, 'the child is gone');
  });
});

test('call, checkCall, checkOutput', async () => {
  await run(function* () {
    assert.equal(yield* subprocess.call(['sh', '-c', 'exit 4']), 4);
    assert.equal(yield* subprocess.call('exit 6', { shell: true }), 6);
    assert.equal(yield* subprocess.checkCall(['true']), 0);
    yield* assertThrowsOp(
      subprocess.checkCall(['false']),
      (e) => e instanceof CalledProcessError && e.returncode === 1,
    );
    assert.equal(yield* subprocess.checkOutput(['echo', 'hello'], { text: true }), 'hello\n');
    const bytes = yield* subprocess.checkOutput(['printf', 'x']);
    assert.ok(Buffer.isBuffer(bytes));
    yield* assertThrowsOp(
      subprocess.checkOutput(['sh', '-c', 'echo partial; exit 5'], { text: true }),
      (e) => e instanceof CalledProcessError && e.returncode === 5 && e.output === 'partial\n',
    );
    yield* assertThrowsOp(
      subprocess.call(['sleep', '10'], { timeoutMs: 50 }),
      (e) => e instanceof TimeoutExpired,
    );
  });
});

test('stdin from a Node stream, stdout into a Node stream, readlines', async () => {
  const { PassThrough, Readable } = await import('node:stream');
  await run(function* () {
    const sink = new PassThrough();
    const got: Buffer[] = [];
    sink.on('data', (c: Buffer) => got.push(c));
    const p = new Popen(['tr', 'a-z', 'A-Z'], {
      stdin: Readable.from(['abc\n', 'def\n']),
      stdout: sink,
    });
    assert.equal(yield* p.wait(), 0);
    yield* sleep(5);
    assert.equal(Buffer.concat(got).toString(), 'ABC\nDEF\n');
    const q = new Popen(['printf', 'a\nb\nc'], { stdout: PIPE, encoding: 'latin1' });
    assert.deepEqual(yield* q.stdout!.readlines(), ['a\n', 'b\n', 'c']);
    yield* q.wait();
  });
});

test('output survives when the child exits long before anyone reads it', async () => {
  await run(function* () {
    const p = new Popen(['printf', 'kept'], { stdout: PIPE, text: true });
    assert.equal(yield* p.wait(), 0);
    yield* time.sleep(50);
    assert.equal(yield* p.stdout!.read(), 'kept');
  });
});

test('stdin: PIPE written by hand, then closed', async () => {
  await run(function* () {
    const p = new Popen(['wc', '-c'], { stdin: PIPE, stdout: PIPE, text: true });
    const block = 'x'.repeat(100_000);
    for (let i = 0; i < 10; i++) assert.equal(yield* p.stdin!.write(block), 100_000);
    yield* p.stdin!.close();
    assert.equal((yield* p.stdout!.read()).trim(), '1000000');
    assert.equal(yield* p.wait(), 0);
  });
});

test('writing to stdin after the child is gone fails at once with EPIPE, every time', async () => {
  await run(function* () {
    const p = new Popen([NODE, '-e', ''], { stdin: PIPE });
    assert.equal(yield* p.wait(), 0);
    const t = new Timeout(2000);
    try {
      // The first write finds the reader gone; later ones meet a destroyed stream.
      for (const data of [Buffer.alloc(1 << 20), 'x', 'y']) {
        try {
          yield* p.stdin!.write(data);
          assert.fail('expected EPIPE');
        } catch (e) {
          assert.notEqual(e, t, 'write blocked until the Timeout');
          assert.equal((e as { code?: string }).code, 'EPIPE', String(e));
        }
      }
    } finally {
      t.cancel();
    }
    yield* p.stdin!.close();
  });
});

test('several children are fed and drained concurrently', { timeout: 60_000 }, async () => {
  await run(function* () {
    // A barrier: each child exits only once all four have been fed, so
    // communicate() calls that ran one after another would never finish.
    const barrier = mkdtempSync(join(tmpdir(), 'verdant-barrier-'));
    try {
      const procs = [1, 2, 3, 4].map(
        (n) =>
          new Popen(
            [
              'sh',
              '-c',
              `read fed; touch "$0/${n}"; while [ $(ls "$0" | wc -l) -lt 4 ]; do sleep 0.01; done; echo "$fed"`,
              barrier,
            ],
            { stdin: PIPE, stdout: PIPE, text: true },
          ),
      );
      const outs = yield* waitAll(
        procs.map((p, i) =>
          spawn(function* () {
            return (yield* p.communicate(`fed ${i + 1}\n`))[0];
          }),
        ),
      );
      assert.deepEqual(outs, ['fed 1\n', 'fed 2\n', 'fed 3\n', 'fed 4\n']);
    } finally {
      rmSync(barrier, { recursive: true, force: true });
    }
  });
});

test('bad input fails at the call with clear errors', async () => {
  assert.throws(() => new Popen([]), /non-empty array/);
  assert.throws(() => new Popen([1 as unknown as string]), /args\[0\] must be a string/);
  assert.throws(
    () => new Popen(['true'], { stdout: 'pipes' as never }),
    /options.stdout must be PIPE/,
  );
  assert.throws(() => new Popen(['true'], { cwd: 5 as never }), /cwd must be a string/);
  assert.throws(
    () => new Popen(['no-such-program-verdant']),
    (e: NodeJS.ErrnoException) => {
      return e.code === 'ENOENT' && /no-such-program-verdant/.test(e.message);
    },
  );
  assert.throws(() => subprocess.run(['true'], { timeoutMs: -5 }), RangeError);
  assert.throws(() => subprocess.checkOutput(['true'], { input: 5 as never }), /input must be/);
  await run(function* () {
    const p = new Popen(['true']);
    assert.throws(() => p.wait(-1 as number), RangeError);
    assert.throws(() => p.wait(Number.NaN), RangeError);
    assert.throws(() => p.communicate('x'), /stdin: PIPE/);
    yield* p.wait();
  });
});

function* waitAll<T>(threads: { wait(): Generator<unknown, T, unknown> }[]) {
  const out: T[] = [];
  for (const t of threads) out.push(yield* t.wait());
  return out;
}

function* assertThrowsOp(op: Generator<unknown, unknown, unknown>, check: (e: unknown) => boolean) {
  try {
    yield* op;
  } catch (e) {
    assert.ok(check(e), `unexpected error: ${String(e)}`);
    return;
  }
  assert.fail('expected the operation to throw');
}
