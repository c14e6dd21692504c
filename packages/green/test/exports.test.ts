import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { afterEach, test } from 'node:test';
import { assertIdle } from '@verdant/hub/testing';

afterEach(() => assertIdle());

const require = createRequire(import.meta.url);

const MODULES = [
  'socket',
  'ssl',
  'select',
  'selectors',
  'time',
  'thread',
  'threading',
  'queue',
  'os',
  'subprocess',
  'tpool',
];
const FACES = [
  'child-process',
  'dgram',
  'dns',
  'dns-promises',
  'events',
  'fs',
  'fs-promises',
  'net',
  'timers',
  'timers-promises',
  'tls',
  'worker-threads',
];
const PUBLIC = [
  '@verdant/green',
  ...MODULES.map((m) => `@verdant/green/${m}`),
  ...FACES.map((f) => `@verdant/green/node/${f}`),
  '@verdant/green/node/pristine',
];

test('every public entry loads from ESM and from CJS', async () => {
  for (const name of PUBLIC) {
    const esm = (await import(name)) as Record<string, unknown>;
    const cjs = require(name) as Record<string, unknown>;
    assert.ok(Object.keys(esm).length > 0, `${name} (import) exports something`);
    assert.ok(Object.keys(cjs).length > 0, `${name} (require) exports something`);
  }
  const root = (await import('@verdant/green')) as Record<string, unknown>;
  assert.deepEqual(Object.keys(root).sort(), [...MODULES].sort());
});

test('internal paths are refused from ESM and from CJS', async () => {
  for (const name of [
    '@verdant/green/park-slot',
    '@verdant/green/internal/check',
    '@verdant/green/internal/byte-queue',
    '@verdant/green/socket/green-socket',
    '@verdant/green/threading/lock',
    '@verdant/green/node/internal/ownership',
    '@verdant/green/node/resolve-host',
    '@verdant/green/dist/esm/socket.js',
  ]) {
    await assert.rejects(import(name), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' }, name);
    assert.throws(() => require(name), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' }, name);
  }
});

test('setEsmWorkerLoader is a named export only: not patched in, not on the CommonJS face', async () => {
  const face = (await import('@verdant/green/node/worker-threads')) as Record<string, unknown> & {
    patched: readonly string[];
    default: Record<string, unknown>;
  };
  assert.equal(typeof face.setEsmWorkerLoader, 'function');
  assert.ok(!face.patched.includes('setEsmWorkerLoader'));
  assert.equal(face.default.setEsmWorkerLoader, undefined);
  assert.throws(() => (face.setEsmWorkerLoader as (x: unknown) => void)('nope'), TypeError);
});
