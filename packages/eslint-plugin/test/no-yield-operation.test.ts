import { afterEach } from 'node:test';
import { assertIdle } from '@verdant/hub/testing';
import { rules } from '../src/index.ts';
import { typedRuleTester } from './rule-tester.ts';

afterEach(() => assertIdle());

const IMPORTS = `
import { Event, Queue, run, sleep, type Operation } from '@verdant/hub';
import { socketpair } from '@verdant/green/socket';
`;

typedRuleTester().run('no-yield-operation', rules['no-yield-operation'], {
  valid: [
    `${IMPORTS} run(function* () { yield* sleep(10); });`,
    // A bare promise is waited for by the hub: that yield is meant.
    `${IMPORTS} run(function* () { const v = yield Promise.resolve(1); return v; });`,
    `${IMPORTS} function* numbers(): Generator<number> { yield 1; yield 2; }`,
    `${IMPORTS} run(function* () { const e = new Event<number>(); e.send(1); return yield* e.wait(); });`,
  ],
  invalid: [
    {
      code: `${IMPORTS} run(function* () { yield sleep(10); });`,
      output: `${IMPORTS} run(function* () { yield* sleep(10); });`,
      errors: [{ messageId: 'noStar' }],
    },
    {
      code: `${IMPORTS} run(function* () { const q = new Queue<number>(); const n = yield q.get(); return n; });`,
      output: `${IMPORTS} run(function* () { const q = new Queue<number>(); const n = yield* q.get(); return n; });`,
      errors: [{ messageId: 'noStar' }],
    },
    {
      // green's recv is a hand-written operation class, caught by its shape.
      code: `${IMPORTS} run(function* () { const [a, b] = yield* socketpair(); yield a.recv(1); a.close(); b.close(); });`,
      output: `${IMPORTS} run(function* () { const [a, b] = yield* socketpair(); yield* a.recv(1); a.close(); b.close(); });`,
      errors: [{ messageId: 'noStar' }],
    },
    {
      code: `${IMPORTS} function* f(op: Operation<void>): Operation<void> { yield op; }`,
      output: `${IMPORTS} function* f(op: Operation<void>): Operation<void> { yield* op; }`,
      errors: [{ messageId: 'noStar' }],
    },
  ],
});
