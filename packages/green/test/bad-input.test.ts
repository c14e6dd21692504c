/**
 * The bad-input sweep: public calls of the green modules given values of
 * the wrong type or out of range. Each must throw at the call a TypeError
 * (wrong type) or RangeError (a number out of range) whose message names the
 * call and the argument, and change nothing; values a call accepts as valid
 * are listed beside it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, test } from 'node:test';
import * as os from '@verdant/green/os';
import * as queue from '@verdant/green/queue';
import * as socket from '@verdant/green/socket';
import * as threading from '@verdant/green/threading';
import * as tpool from '@verdant/green/tpool';
import { run } from '@verdant/hub';
import { assertIdle } from '@verdant/hub/testing';

afterEach(() => assertIdle());

const dir = mkdtempSync(join(tmpdir(), 'verdant-bad-input-'));
const file = join(dir, 'f.txt');
writeFileSync(file, 'x');
after(() => rmSync(dir, { recursive: true, force: true }));

/** The values every argument is tried with. */
const BAD: [string, unknown][] = [
  ['undefined', undefined],
  ['null', null],
  ['NaN', Number.NaN],
  ['-1', -1],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['2**53', 2 ** 53],
  ['1.5', 1.5],
  ['a string', '10'],
  ['an object', {}],
  ['a function', () => {}],
];

/**
 * One argument of one call: `call(v)` tries it; `fragment` is what the
 * message must say (the call and the argument); `valid` names the tried
 * values the call accepts.
 */
interface Argument {
  call: (v: unknown) => unknown;
  fragment: string;
  valid?: string[];
  /** Not a number (a flag...): a number is then of the wrong type too. */
  notNumber?: boolean;
}

function* sweep(args: Argument[]): Generator<[string, () => unknown, ErrorConstructor, string]> {
  for (const a of args) {
    for (const [label, v] of BAD) {
      if (a.valid?.includes(label)) continue;
      const expected = typeof v === 'number' && !a.notNumber ? RangeError : TypeError;
      yield [`${a.fragment} with ${label}`, () => a.call(v), expected, a.fragment];
    }
  }
}

/** What is wrong with one row, or undefined: the right class, a message naming the call and argument. */
function refusal(
  name: string,
  thunk: () => unknown,
  Expected: ErrorConstructor,
  fragment: string,
): string | undefined {
  try {
    thunk();
  } catch (e) {
    if (!(e instanceof Expected)) return `${name}: expected a ${Expected.name}, got ${String(e)}`;
    if (!e.message.includes(fragment))
      return `${name}: the message does not name ${fragment}: ${e.message}`;
    return undefined;
  }
  return `${name} was accepted`;
}

test('green: every bad argument is refused at the call, naming the call and the argument', async () => {
  await run(function* () {
    const [a, b] = yield* socket.socketpair();
    const server = yield* socket.listen(['127.0.0.1', 0]);
    const lock = new threading.Lock();
    const cond = new threading.Condition();
    const q = new queue.Queue();
    const sizeBefore = tpool.stats().size;
    try {
      const rows = [
        ...sweep([
          {
            call: (v) => a.setblocking(v as never),
            fragment: 'setblocking(flag)',
            notNumber: true,
          },
          { call: (v) => a.recv(v as never), fragment: 'recv(n): n', valid: ['2**53'] },
          {
            call: (v) => a.setTimeout(v as never),
            fragment: 'setTimeout(ms): ms',
            valid: ['undefined', 'null', '2**53', '1.5'],
          },
          {
            call: (v) => socket.connect(['127.0.0.1', 1], { localPort: v as never }),
            fragment: 'connect(address, { localPort }): localPort',
            valid: ['undefined'],
          },
          {
            call: (v) => socket.connect(['127.0.0.1', 1], { timeoutMs: v as never }),
            fragment: 'connect(address, { timeoutMs }): timeoutMs',
            valid: ['undefined', 'null', '2**53', '1.5'],
          },
          {
            call: (v) => tpool.setNumThreads(v as never),
            fragment: 'tpool.setNumThreads(n): n',
            valid: ['2**53'],
          },
          {
            call: (v) => tpool.configure({ size: v as never }),
            fragment: 'tpool.configure({ size }): size',
            valid: ['undefined', '2**53'],
          },
          {
            call: (v) => tpool.configure({ idleTimeoutMs: v as never }),
            fragment: 'tpool.configure({ idleTimeoutMs }): idleTimeoutMs',
            valid: ['undefined', '2**53', '1.5'],
          },
          {
            call: (v) => os.open(file, v as never),
            fragment: 'os.open(path, flags)',
            valid: ['-1', '2**53', 'a string', 'undefined'],
          },
          {
            call: (v) => os.open(file, 'r', v as never),
            fragment: 'os.open(path, flags, mode): mode',
            valid: ['undefined'],
          },
          { call: (v) => os.read(v as never, 1), fragment: 'os.read(fd, n)', valid: ['2**53'] },
          {
            call: (v) => lock.acquire(true, v as never),
            fragment: 'Lock.acquire(blocking, timeoutMs): timeoutMs',
            valid: ['undefined', 'null', '-1', '2**53', '1.5'],
          },
          {
            call: (v) => cond.notify(v as never),
            fragment: 'Condition.notify(n): n',
            valid: ['undefined', '2**53'],
          },
          {
            call: (v) => new threading.Semaphore(v as never),
            fragment: 'new Semaphore(value): value',
            valid: ['undefined', '2**53'],
          },
          {
            call: (v) => new threading.BoundedSemaphore(v as never),
            fragment: 'new BoundedSemaphore(value): value',
            valid: ['undefined', '2**53'],
          },
          {
            call: (v) => new threading.Barrier(v as never),
            fragment: 'new Barrier(parties): parties',
            valid: ['2**53'],
          },
          {
            call: (v) => new queue.Queue(v as never),
            fragment: 'new Queue(maxsize): maxsize',
            valid: ['undefined', '-1', '2**53'],
          },
          {
            call: (v) => new threading.Timer(v as never, function* () {}),
            fragment: 'new Timer(intervalMs, fn): intervalMs',
            valid: ['2**53', '1.5'],
          },
          {
            call: (v) => q.get(true, v as never),
            fragment: 'timeoutMs',
            valid: ['undefined', 'null', '2**53', '1.5'],
          },
        ]),
      ];
      const wrong = rows.map((row) => refusal(...row)).filter((w) => w !== undefined);
      assert.deepEqual(wrong, []);
      // Refusing left nothing behind: the sockets are as they were, no fd was opened.
      assert.equal(a.getTimeout(), null);
      assert.equal(tpool.stats().size, sizeBefore);
    } finally {
      a.close();
      b.close();
      server.close();
    }
  });
});

test('green: the calls of issue 12, one row each', async () => {
  const fdsBefore = readdirSync('/proc/self/fd').length;
  await run(function* () {
    const [a, b] = yield* socket.socketpair();
    try {
      const sizeBefore = tpool.stats().size;
      const rows: [string, () => unknown, ErrorConstructor, RegExp][] = [
        [
          'setblocking()',
          () => a.setblocking(undefined as never),
          TypeError,
          /^setblocking\(flag\): flag must be a boolean, got undefined$/,
        ],
        [
          'setblocking(NaN)',
          () => a.setblocking(Number.NaN as never),
          TypeError,
          /^setblocking\(flag\): flag must be a boolean/,
        ],
        [
          'os.open(path, fn)',
          () => os.open(file, (() => {}) as never),
          TypeError,
          /^os\.open\(path, flags\): flags must be/,
        ],
        [
          'os.open(path, flags, fn)',
          () => os.open(file, 'r', (() => {}) as never),
          TypeError,
          /^os\.open\(path, flags, mode\): mode must be/,
        ],
        [
          "tpool.configure({ size: 'abc' })",
          () => tpool.configure({ size: 'abc' as never }),
          TypeError,
          /^tpool\.configure\(\{ size \}\): size must be an integer >= 1, got the string "abc"$/,
        ],
        [
          'tpool.configure({ size: 3, idleTimeoutMs: -1 })',
          () => tpool.configure({ size: 3, idleTimeoutMs: -1 }),
          RangeError,
          /idleTimeoutMs/,
        ],
        [
          'connect(addr, { localPort: 1.5 })',
          () => socket.connect(['127.0.0.1', 1], { localPort: 1.5 }),
          RangeError,
          /^connect\(address, \{ localPort \}\): localPort must be an integer from 0 to 65535 \(0: any\), got number 1\.5$/,
        ],
        [
          'connect(addr, { localPort: 70000 })',
          () => socket.connect(['127.0.0.1', 1], { localPort: 70000 }),
          RangeError,
          /localPort/,
        ],
      ];
      for (const [name, thunk, Expected, pattern] of rows) {
        assert.throws(
          thunk,
          (e: unknown) => e instanceof Expected && pattern.test((e as Error).message),
          name,
        );
      }
      // Nothing half-done: the socket stayed blocking, the bad configure changed no setting.
      assert.equal(a.getTimeout(), null);
      assert.equal(tpool.stats().size, sizeBefore);
    } finally {
      a.close();
      b.close();
    }
  });
  assert.equal(readdirSync('/proc/self/fd').length, fdsBefore, 'a refused os.open left an fd open');
});
