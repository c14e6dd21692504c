import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, test } from 'node:test';
import * as os from '@verdant/green/os';
import * as subprocess from '@verdant/green/subprocess';
import * as time from '@verdant/green/time';
import { run, spawn } from '@verdant/hub';
import { assertIdle } from '@verdant/hub/testing';

afterEach(() => assertIdle());
const dir = mkdtempSync(join(tmpdir(), 'verdant-os-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('read and write regular files by fd', async () => {
  const path = join(dir, 'f.txt');
  await run(function* () {
    const w = yield* os.open(path, 'w');
    assert.equal(yield* os.write(w, 'hello '), 6);
    assert.equal(yield* os.write(w, Buffer.from('world')), 5);
    yield* os.close(w);
    const r = yield* os.open(path);
    assert.equal((yield* os.read(r, 5)).toString(), 'hello');
    assert.equal((yield* os.read(r, 100)).toString(), ' world');
    assert.equal((yield* os.read(r, 100)).length, 0);
    yield* os.close(r);
  });
  assert.equal(readFileSync(path, 'utf8'), 'hello world');
});

test('pipe(): a reader blocks until a writer writes; EOF after close', async () => {
  await run(function* () {
    const [r, w] = yield* os.pipe();
    const got: string[] = [];
    const reader = spawn(function* () {
      for (;;) {
        const chunk = yield* os.read(r, 1024);
        if (chunk.length === 0) return;
        got.push(chunk.toString());
      }
    });
    yield* time.sleep(10);
    assert.deepEqual(got, []);
    yield* os.write(w, 'ping');
    yield* time.sleep(10);
    assert.deepEqual(got, ['ping']);
    yield* os.write(w, 'pong');
    yield* os.close(w);
    yield* reader.wait();
    assert.equal(got.join(''), 'pingpong');
    yield* os.close(r);
  });
});

test('pipe(): a megabyte through a pipe, with backpressure', async () => {
  await run(function* () {
    const [r, w] = yield* os.pipe();
    const total = 1 << 20;
    const writer = spawn(function* () {
      const block = Buffer.alloc(64 * 1024, 7);
      for (let sent = 0; sent < total; sent += block.length) yield* os.write(w, block);
      yield* os.close(w);
    });
    let received = 0;
    for (;;) {
      const chunk = yield* os.read(r, 65536);
      if (chunk.length === 0) break;
      assert.ok(chunk.length <= 65536);
      received += chunk.length;
    }
    yield* writer.wait();
    yield* os.close(r);
    assert.equal(received, total);
  });
});

test('a pipe end handed to a child as its stdout', async () => {
  await run(function* () {
    const [r, w] = yield* os.pipe();
    const p = new subprocess.Popen(['echo', 'from child'], { stdout: w });
    yield* os.close(w);
    const data = yield* os.read(r, 100);
    assert.equal(data.toString(), 'from child\n');
    assert.equal((yield* os.read(r, 100)).length, 0);
    yield* p.wait();
    yield* os.close(r);
  });
});

test('waitpid on a subprocess child; WNOHANG; ECHILD after reaping', async () => {
  await run(function* () {
    const p = new subprocess.Popen(['sh', '-c', 'sleep 0.05; exit 3']);
    assert.deepEqual(yield* os.waitpid(p.pid, os.WNOHANG), [0, 0]);
    const [pid, status] = yield* os.waitpid(p.pid, 0);
    assert.equal(pid, p.pid);
    assert.ok(os.WIFEXITED(status));
    assert.equal(os.WEXITSTATUS(status), 3);
    assert.equal(os.waitstatusToExitcode(status), 3);
    assert.equal(p.returncode, 3);
    assert.throws(
      () => os.waitpid(p.pid),
      (e: NodeJS.ErrnoException) => e.code === 'ECHILD',
    );
    const k = new subprocess.Popen(['sleep', '5']);
    os.kill(k.pid, 'SIGKILL');
    const [, killed] = yield* os.waitpid(k.pid);
    assert.ok(os.WIFSIGNALED(killed));
    assert.equal(os.WTERMSIG(killed), 9);
    assert.equal(os.waitstatusToExitcode(killed), -9);
  });
});

test('bad input is rejected at the call', () => {
  assert.throws(() => os.read(-1, 10), /fd must be an integer/);
  assert.throws(() => os.read(0, -1), /n must be an integer >= 0/);
  assert.throws(() => os.write(1, 5 as never), /data must be a string or Uint8Array/);
  assert.throws(() => os.waitpid(0), /pid must be a positive integer/);
  assert.throws(
    () => os.waitpid(process.pid),
    (e: NodeJS.ErrnoException) => e.code === 'ECHILD',
  );
  assert.throws(() => os.open(5 as never), /path must be a string/);
});

test('reading a file that is not there fails with ENOENT', async () => {
  writeFileSync(join(dir, 'x'), '');
  await run(function* () {
    try {
      yield* os.open(join(dir, 'missing'));
      assert.fail('expected ENOENT');
    } catch (e) {
      assert.equal((e as NodeJS.ErrnoException).code, 'ENOENT');
    }
  });
});
