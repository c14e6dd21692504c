import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { afterEach, test } from 'node:test';
import { assertIdle } from '@verdant/hub/testing';

const require = createRequire(import.meta.url);

afterEach(() => assertIdle());

const entries = {
  '@verdant/hub': 'spawn',
  '@verdant/hub/testing': 'assertIdle',
  '@verdant/hub/internal': 'WaiterList',
} as const;

test('the three entry points load from ESM and CJS', async () => {
  for (const [name, member] of Object.entries(entries)) {
    const esm = (await import(name)) as Record<string, unknown>;
    const cjs = require(name) as Record<string, unknown>;
    assert.equal(typeof esm[member], 'function', `${name} (ESM) exports ${member}`);
    assert.equal(typeof cjs[member], 'function', `${name} (CJS) exports ${member}`);
  }
  assert.equal(require('@verdant/hub/package.json').name, '@verdant/hub');
});

test('internal modules are not importable', async () => {
  for (const name of ['@verdant/hub/hub', '@verdant/hub/green-thread', '@verdant/hub/check']) {
    await assert.rejects(import(name), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' }, name);
    assert.throws(() => require(name), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' }, name);
  }
});

test('the main index does not expose what only green needs', async () => {
  const index = (await import('@verdant/hub')) as Record<string, unknown>;
  for (const name of ['Waiter', 'WaiterList', 'startTimer', 'stopTimer', 'Done', 'DONE']) {
    assert.equal(index[name], undefined, `${name} is only in @verdant/hub/internal`);
  }
});
