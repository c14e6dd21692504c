/**
 * The hub's log is JSON for programs and pino-pretty's lines for people:
 * real child processes, stderr a pipe, and stderr a terminal (script(1)).
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { assertIdle } from '@verdant/hub/testing';

afterEach(() => assertIdle());

const FIXTURE = join(import.meta.dirname, 'fixtures', 'log-thread-error.mjs');

function runFixture(
  file: string,
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ stdout: string; stderr: string }> {
  const merged = {
    ...process.env,
    VERDANT_LOG_LEVEL: 'info',
    VERDANT_LOG_FORMAT: undefined,
    ...env,
  };
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { env: merged, encoding: 'utf8', timeout: 60_000 },
      (error, stdout, stderr) => (error === null ? resolve({ stdout, stderr }) : reject(error)),
    );
  });
}

const PRETTY = /ERROR \(verdant\): green thread worker-7 failed\n\s+thread: "worker-7"/;

test('stderr a pipe: one JSON object per line', async () => {
  const { stderr } = await runFixture(process.execPath, [FIXTURE], {});
  const entry = JSON.parse(stderr.trim().split('\n')[0]!) as Record<string, unknown>;
  assert.equal(entry.thread, 'worker-7');
  assert.equal(entry.msg, 'green thread worker-7 failed');
});

test('VERDANT_LOG_FORMAT=pretty: pino-pretty lines, also on a pipe', async () => {
  const { stderr } = await runFixture(process.execPath, [FIXTURE], {
    VERDANT_LOG_FORMAT: 'pretty',
  });
  assert.match(stderr, PRETTY);
  assert.match(stderr, /boom in a thread/);
});

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

test('stderr a terminal: pino-pretty lines, coloured', {
  skip: !hasScript && 'no script(1) to make a terminal',
}, async () => {
  // script(1) runs the command on a pseudo-terminal and copies it to stdout.
  const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(FIXTURE)}`;
  const { stdout } = await runFixture('script', ['-qec', command, '/dev/null'], {});
  const plain = stripVTControlCharacters(stdout).replaceAll('\r\n', '\n');
  assert.match(plain, PRETTY);
  assert.notEqual(plain, stdout, 'coloured on a terminal');
});
