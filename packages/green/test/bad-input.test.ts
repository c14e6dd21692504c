/**
 * The bad-input sweep: public calls of the green modules given values of
 * the wrong type or out of range. Each must throw at the call a TypeError
 * (wrong type) or RangeError (a number out of range) whose message names the
 * call and the argument, and change nothing; values a call accepts as valid
 * are listed beside it.
 */
import assert from 'node:assert/strict';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, test } from 'node:test';
import * as os from '@verdant/green/os';
import * as queue from '@verdant/green/queue';
import * as select from '@verdant/green/select';
import * as selectors from '@verdant/green/selectors';
import * as socket from '@verdant/green/socket';
import * as ssl from '@verdant/green/ssl';
import * as subprocess from '@verdant/green/subprocess';
import * as threading from '@verdant/green/threading';
import * as tpool from '@verdant/green/tpool';
import { run } from '@verdant/hub';
import { assertIdle } from '@verdant/hub/testing';

afterEach(() => assertIdle());

const dir = mkdtempSync(join(tmpdir(), 'verdant-bad-input-'));
const file = join(dir, 'f.txt');
writeFileSync(file, 'x');
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Each open fd with what it points at. A socket or pipe names its own inode,
 * so a file opened during a test is told apart from one an earlier test was
 * still closing when the count was taken (a count alone fails on that).
 */
function openFiles(): Set<string> {
  const files = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      files.add(`${fd} -> ${readlinkSync(`/proc/self/fd/${fd}`)}`);
    } catch {
      // The directory's own fd, closed by the time it is read.
    }
  }
  return files;
}

/** The files open now that were not open in `before`. */
const openedSince = (before: Set<string>): string[] =>
  [...openFiles()].filter((f) => !before.has(f));

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
  const filesBefore = openFiles();
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
  assert.deepEqual(openedSince(filesBefore), [], 'a refused os.open left an fd open');
});

const tlsKey = readFileSync(new URL('fixtures/tls-key.pem', import.meta.url));
const tlsCert = readFileSync(new URL('fixtures/tls-cert.pem', import.meta.url));

test('subprocess, ssl, udp, select: every bad argument is refused at the call, naming the call and the argument', async () => {
  const filesBefore = openFiles();
  await run(function* () {
    const [a, b] = yield* socket.socketpair();
    const udp = socket.udpSocket();
    yield* udp.bind(['127.0.0.1', 0]);
    const spare = socket.udpSocket();
    // A child that waits on its stdin, so its files stay open through the sweep.
    const child = new subprocess.Popen(['cat'], {
      stdin: subprocess.PIPE,
      stdout: subprocess.PIPE,
    });
    const poller = select.poll();
    poller.register(a, select.POLLIN);
    const selector = new selectors.DefaultSelector();
    selector.register(a, selectors.EVENT_READ);
    const TRUE = ['true'];
    try {
      const rows = [
        ...sweep([
          {
            call: (v) => new subprocess.Popen(v as never),
            fragment: 'Popen(args, options): args',
            valid: ['a string'],
            notNumber: true,
          },
          {
            call: (v) => new subprocess.Popen(TRUE, v as never),
            fragment: 'Popen(args, options): options',
            valid: ['undefined', 'an object'],
            notNumber: true,
          },
          ...(['stdin', 'stdout', 'stderr'] as const).map((k) => ({
            call: (v: unknown) => new subprocess.Popen(TRUE, { [k]: v as never }),
            fragment: `Popen(args, options): options.${k}`,
            valid: ['undefined', 'null'],
          })),
          ...(['cwd', 'env', 'shell', 'text', 'encoding', 'killOnInterrupt'] as const).map((k) => ({
            call: (v: unknown) => new subprocess.Popen(TRUE, { [k]: v as never }),
            fragment: `Popen(args, options): options.${k}`,
            valid: [
              'undefined',
              ...(k === 'env' ? ['an object'] : []),
              ...(k === 'cwd' || k === 'shell' ? ['a string'] : []),
            ],
            notNumber: true,
          })),
          {
            call: (v) => subprocess.run(TRUE, { timeoutMs: v as never }),
            fragment: 'subprocess.run(args, options): options.timeoutMs',
            valid: ['undefined', 'null', '2**53', '1.5'],
          },
          ...(['check', 'captureOutput'] as const).map((k) => ({
            call: (v: unknown) => subprocess.run(TRUE, { [k]: v as never }),
            fragment: `subprocess.run(args, options): options.${k}`,
            valid: ['undefined'],
            notNumber: true,
          })),
          {
            call: (v) => subprocess.run(TRUE, { input: v as never }),
            fragment: 'subprocess.run(args, options): options.input',
            valid: ['undefined', 'a string'],
            notNumber: true,
          },
          {
            call: (v) => child.wait(v as never),
            fragment: 'Popen.wait(timeoutMs): timeoutMs',
            valid: ['undefined', 'null', '2**53', '1.5'],
          },
          {
            call: (v) => child.communicate(null, v as never),
            fragment: 'Popen.communicate(input, timeoutMs): timeoutMs',
            valid: ['undefined', 'null', '2**53', '1.5'],
          },
          {
            call: (v) => child.sendSignal(v as never),
            fragment: 'Popen.sendSignal(signal): signal',
          },
          {
            call: (v) => child.stdout!.read(v as never),
            fragment: 'GreenFile.read(n): n',
            valid: ['undefined', '-1', '2**53'],
          },
          {
            call: (v) => child.stdout!.readline(v as never),
            fragment: 'GreenFile.readline(limit): limit',
            valid: ['undefined', '-1', '2**53'],
          },
          {
            call: (v) => child.stdin!.write(v as never),
            fragment: 'GreenFile.write(data): data',
            valid: ['a string'],
            notNumber: true,
          },
          {
            call: (v) => ssl.connect(v as never),
            fragment: 'ssl.connect(address)',
            valid: ['-1', '2**53', '1.5', 'a string'],
          },
          {
            call: (v) => ssl.connect(['127.0.0.1', 1], v as never),
            fragment: 'ssl.connect(address, options): options',
            valid: ['undefined', 'an object'],
            notNumber: true,
          },
          {
            call: (v) => ssl.connect(['127.0.0.1', 1], { timeoutMs: v as never }),
            fragment: 'ssl.connect(address, { timeoutMs }): timeoutMs',
            valid: ['undefined', 'null', '2**53', '1.5'],
          },
          {
            call: (v) => ssl.listen(v as never, { key: tlsKey, cert: tlsCert }),
            fragment: 'ssl.listen(address',
          },
          {
            call: (v) => ssl.listen(['127.0.0.1', 0], v as never),
            fragment: 'ssl.listen(address, options): options',
            valid: ['an object'],
            notNumber: true,
          },
          {
            call: (v) => ssl.wrapSocket(v as never),
            fragment: 'wrapSocket(sock)',
            notNumber: true,
          },
          {
            call: (v) => ssl.wrapSocket(a, v as never),
            fragment: 'wrapSocket(sock, options): options',
            valid: ['undefined', 'an object'],
            notNumber: true,
          },
          {
            call: (v) => ssl.wrapSocket(a, { timeoutMs: v as never }),
            fragment: 'wrapSocket(sock, { timeoutMs }): timeoutMs',
            valid: ['undefined', 'null', '2**53', '1.5'],
          },
          ...(
            [
              'serverSide',
              'rejectUnauthorized',
              'requestCert',
              'serverHostname',
              'ALPNProtocols',
            ] as const
          ).map((k) => ({
            call: (v: unknown) => ssl.wrapSocket(a, { [k]: v as never }),
            fragment: `wrapSocket(sock, { ${k} }): ${k}`,
            valid: ['undefined', ...(k === 'serverHostname' ? ['a string'] : [])],
            notNumber: true,
          })),
          {
            call: (v) => socket.udpSocket(v as never),
            fragment: 'udpSocket(options): options',
            valid: ['undefined', 'an object'],
            notNumber: true,
          },
          {
            call: (v) => socket.udpSocket({ type: v as never }),
            fragment: 'udpSocket({ type }): type',
            valid: ['undefined'],
            notNumber: true,
          },
          {
            call: (v) => socket.udpSocket({ reuseAddr: v as never }),
            fragment: 'udpSocket({ reuseAddr }): reuseAddr',
            valid: ['undefined'],
            notNumber: true,
          },
          { call: (v) => spare.bind(v as never), fragment: 'bind(address)', valid: ['a string'] },
          {
            call: (v) => udp.sendto(v as never, ['127.0.0.1', 9]),
            fragment: 'sendto(data, address): data',
            notNumber: true,
          },
          {
            call: (v) => udp.sendto(Buffer.from('x'), v as never),
            fragment: 'sendto(data, address)',
            valid: ['a string'],
          },
          { call: (v) => udp.recvfrom(v as never), fragment: 'recvfrom(n): n', valid: ['2**53'] },
          {
            call: (v) => udp.setTimeout(v as never),
            fragment: 'setTimeout(ms): ms',
            valid: ['undefined', 'null', '2**53', '1.5'],
          },
          {
            call: (v) => select.select(v as never, [], []),
            fragment: 'select(rlist)',
            notNumber: true,
          },
          {
            call: (v) => select.select([], v as never, []),
            fragment: 'select(rlist, wlist)',
            notNumber: true,
          },
          {
            call: (v) => select.select([], [], v as never),
            fragment: 'select(rlist, wlist, xlist)',
            valid: ['undefined'],
            notNumber: true,
          },
          {
            call: (v) => select.select([a], [], [], v as never),
            fragment: 'select(..., timeoutMs)',
            valid: ['undefined', 'null', '2**53', '1.5'],
          },
          {
            call: (v) => poller.register(v as never),
            fragment: 'poll.register(obj)',
            notNumber: true,
          },
          {
            call: (v) => poller.register(b, v as never),
            fragment: 'poll.register(obj, eventmask): eventmask',
            valid: ['undefined'],
          },
          {
            call: (v) => poller.modify(a, v as never),
            fragment: 'poll.modify(obj, eventmask): eventmask',
          },
          {
            call: (v) => poller.modify(v as never, 1),
            fragment: 'poll.modify(obj)',
            notNumber: true,
          },
          {
            call: (v) => poller.unregister(v as never),
            fragment: 'poll.unregister(obj)',
            notNumber: true,
          },
          {
            call: (v) => poller.poll(v as never),
            fragment: 'poll(timeoutMs)',
            valid: ['undefined', 'null', '-1', '2**53', '1.5'],
          },
          {
            call: (v) => selector.register(v as never, selectors.EVENT_READ),
            fragment: 'register(fileobj)',
            notNumber: true,
          },
          {
            call: (v) => selector.register(b, v as never),
            fragment: 'register(fileobj, events)',
          },
          {
            call: (v) => selector.modify(a, v as never),
            fragment: 'modify(fileobj, events)',
          },
          {
            call: (v) => selector.unregister(v as never),
            fragment: 'unregister(fileobj)',
            notNumber: true,
          },
          {
            call: (v) => selector.select(v as never),
            fragment: 'select(timeoutMs)',
            valid: ['undefined', 'null', '-1', '2**53', '1.5'],
          },
        ]),
      ];
      const wrong = rows.map((row) => refusal(...row)).filter((w) => w !== undefined);
      assert.deepEqual(wrong, []);
      // Refusing changed nothing: no mode, registration or child moved.
      assert.equal(a.getTimeout(), null);
      assert.equal(selector.getMap().size, 1);
      assert.equal(selector.getKey(a).events, selectors.EVENT_READ);
      assert.equal(child.poll(), null, 'the child was signalled');
      assert.deepEqual(spare.getsockname(), ['0.0.0.0', 0], 'a refused bind bound the socket');
    } finally {
      child.kill();
      yield* child.wait();
      selector.close();
      a.close();
      b.close();
      udp.close();
      spare.close();
    }
  });
  assert.deepEqual(openedSince(filesBefore), [], 'a refused call left an fd open');
});
