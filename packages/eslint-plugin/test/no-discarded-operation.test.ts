import { afterEach } from 'node:test';
import { assertIdle } from '@verdant/hub/testing';
import { rules } from '../src/index.ts';
import { typedRuleTester } from './rule-tester.ts';

afterEach(() => assertIdle());

const IMPORTS = `
import { GreenPool, Queue, run, sleep, spawn, type Operation } from '@verdant/hub';
import { socketpair } from '@verdant/green/socket';
`;

typedRuleTester().run('no-discarded-operation', rules['no-discarded-operation'], {
  valid: [
    // spawn() returns a thread, which runs without anyone stepping it.
    `${IMPORTS} run(function* () { const pool = new GreenPool(2); yield* pool.spawn(function* () {}); yield* pool.waitall(); });`,
    `${IMPORTS} run(function* () { spawn(function* () { yield* sleep(1); }); });`,
    `${IMPORTS} run(function* () { const q = new Queue<number>(); yield* q.put(1); yield* sleep(10); });`,
    // An operation kept for later, or dropped on purpose.
    `${IMPORTS} run(function* () { const op = sleep(10); yield* op; void sleep(1); });`,
    `${IMPORTS} run(function* () { const [a, b] = yield* socketpair(); a.close(); b.close(); });`,
    // A plain function may hand an operation to its caller.
    `${IMPORTS} function later(): Operation<void> { return sleep(5); } run(function* () { yield* later(); });`,
    `${IMPORTS} run(function* () { return yield* socketpair(); });`,
    // Promises are another rule's business (no-floating-promises).
    `async function f(): Promise<void> {} f();`,
    `${IMPORTS} run(function* () { const q = new Queue<number>(); q.putNowait(1); q.qsize(); });`,
  ],
  invalid: [
    {
      // GreenPool.spawn is an operation (it waits for a free slot), unlike spawn().
      code: `${IMPORTS} run(function* () { const pool = new GreenPool(2); pool.spawn(function* () {}); yield* pool.waitall(); });`,
      errors: [{ messageId: 'discarded' }],
    },
    {
      code: `${IMPORTS} run(function* () { const q = new Queue<number>(); q.put(1); });`,
      errors: [{ messageId: 'discarded' }],
    },
    {
      code: `${IMPORTS} run(function* () { sleep(10); });`,
      errors: [{ messageId: 'discarded' }],
    },
    {
      code: `${IMPORTS} run(function* () { const [a] = yield* socketpair(); a.recv(1); a.sendall(new Uint8Array(1)); });`,
      errors: [{ messageId: 'discarded' }, { messageId: 'discarded' }],
    },
    {
      code: `${IMPORTS} run(function* () { return socketpair(); });`,
      errors: [{ messageId: 'returned' }],
    },
    {
      code: `${IMPORTS} function* child(): Operation<number> { return 1; } run(function* () { child(); });`,
      errors: [{ messageId: 'discarded' }],
    },
    {
      // A maybe-operation discarded is still an operation discarded.
      code: `${IMPORTS} declare const op: Operation<void> | undefined; op;`,
      errors: [{ messageId: 'discarded' }],
    },
    {
      code: `${IMPORTS} const t = spawn(function* () { return 1; }); run(function* () { t.wait(); });`,
      errors: [{ messageId: 'discarded' }],
    },
  ],
});
