/**
 * examples/chat-server.ts run as a real server in a child process, with real
 * clients: one that never reads must not stall the speaker or the others.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, test } from 'node:test';
import { assertIdle } from '@verdant/hub/testing';

afterEach(() => assertIdle());

const ROOT = join(import.meta.dirname, '..', '..');
const LINES = 100_000;

/** Starts the example on a free port; resolves with the child and the port it printed. */
async function startServer(): Promise<{ child: ChildProcess; port: number; out: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/chat-server.ts', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const out: string[] = [];
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`chat-server exited early (${code})`)));
    lines.on('line', (line) => {
      out.push(line);
      const m = /^chat server on 127\.0\.0\.1:(\d+)$/.exec(line);
      if (m !== null) resolve(Number(m[1]));
    });
  });
  return { child, port, out };
}

async function client(port: number): Promise<Socket> {
  const sock = connect(port, '127.0.0.1');
  await once(sock, 'connect');
  return sock;
}

/** Resolves when `sock` has received `count` lines that satisfy `match`. */
function receiveLines(
  sock: Socket,
  count: number,
  match: (line: string) => boolean,
): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    createInterface({ input: sock }).on('line', (line) => {
      if (match(line) && ++seen === count) resolve();
    });
  });
}

test('chat-server: a client that never reads is dropped; the others get every line', {
  timeout: 120_000,
}, async () => {
  const { child, port, out } = await startServer();
  const exited = once(child, 'exit');
  const sockets: Socket[] = [];
  try {
    const listener = await client(port);
    sockets.push(listener);
    const joins = receiveLines(listener, 2, (l) => l.endsWith(' joined'));
    const slow = await client(port);
    slow.pause(); // never reads
    sockets.push(slow);
    const speaker = await client(port);
    sockets.push(speaker);
    await joins;

    const heard = receiveLines(listener, LINES, (l) => l.includes(' speaker line '));
    const payload = 'x'.repeat(80);
    let text = '';
    for (let i = 0; i < LINES; i++) text += `speaker line ${i} ${payload}\n`;
    speaker.end(text);
    await heard;
    assert.ok(
      out.some((l) => l.startsWith('* dropped 127.0.0.1:')),
      `the slow client is dropped, logged; stdout: ${out.join('\n')}`,
    );
  } finally {
    for (const s of sockets) s.destroy();
    child.kill('SIGTERM');
    await exited;
  }
});
