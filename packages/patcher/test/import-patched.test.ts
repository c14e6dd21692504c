import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { assertIdle } from '@verdant/hub/testing';
import { runFixture } from './run-fixture.ts';

afterEach(() => assertIdle());

test('importPatched (CJS): fresh copy, cached, late requires redirected, failures restore the module system', async () => {
  const { code, out } = await runFixture('import-patched-cjs.cjs');
  assert.equal(code, 0);
  for (const k of [
    'fresh',
    'ownFilesFresh',
    'boundGreen',
    'helperGreen',
    'plainUnpatched',
    'cachedSame',
    'keywordForm',
    'lateRequire',
    'plainLate',
    'instanceofHolds',
    'requireStillPlain',
    'defaultsAllFaces',
    'loadRestored',
    'cacheRestored',
    'hookChangedLoad',
  ]) {
    assert.equal(out[k], true, k);
  }
  assert.equal(out.throwsMessage, 'fixture module failed on purpose');
  assert.equal(out.missingCode, 'MODULE_NOT_FOUND');
  assert.equal(out.noTargetCode, 'MODULE_NOT_FOUND');
  assert.match(String(out.esmMessage), /is an ES module.*importPatchedAsync/);
  assert.match(String(out.badPair), /argument 2 must be a \[moduleName, module\] pair/);
});

test("importPatched: the copy's Symbol.for singletons on globalThis are its own, in either load order; other globals are shared; the module wrapper is kept", async () => {
  const { code, out } = await runFixture('import-patched-singletons.cjs');
  assert.equal(code, 0);
  assert.deepEqual(out, {
    copyFirstNotLeaked: true,
    plainIsProcess: true,
    copiesOwn: true,
    globalAlias: true,
    filesShareView: true,
    hasKey: true,
    listsKey: true,
    stringKeysShared: true,
    builtinsShared: true,
    nonConfigurableReported: true,
    strict: true,
    thisIsExports: true,
    wrapperArguments: 5,
    ownNames: { global: 'own global', globalThis: 'own globalThis' },
    esmSyntax: true,
    selfAliases: [true, true, true],
    freeze: 'refused',
    realGlobalExtensible: true,
    keysAfterFreeze: true,
  });
});

test('importPatchedAsync (ESM): fresh copy through module hooks, late import() redirected', async () => {
  const { code, out } = await runFixture('import-patched-esm.mjs');
  assert.equal(code, 0);
  assert.deepEqual(out, {
    fresh: true,
    boundGreen: true,
    plainUnpatched: true,
    cachedSame: true,
    lateImport: true,
    plainLate: true,
    syncSaysAsync: true,
    cjsViaAsync: true,
    throwsOriginal: 'esm fixture failed on purpose',
    missingCode: 'MODULE_NOT_FOUND',
    throwsAfterCjs: 'esm fixture failed after importing a CommonJS sibling',
    noCjsLeft: true,
    registryClean: true,
    stillWorks: true,
  });
});

test('importPatchedAsync: concurrent calls with the same arguments share one copy; a failure is not cached', async () => {
  const { code, out } = await runFixture('import-patched-concurrent.mjs');
  assert.equal(code, 0);
  assert.deepEqual(out, {
    concurrentSame: true,
    laterSame: true,
    overridesSame: true,
    bothRejected: ['counted failure', 'counted failure'],
    runsAfterConcurrent: 1,
    retry: ['counted failure', 2],
  });
});

test('ws and undici through importPatched and monkeyPatch, against real servers', async () => {
  const { code, out } = await runFixture('third-party.cjs');
  assert.equal(code, 0);
  assert.deepEqual(out, {
    wsFresh: true,
    wsEcho: 'echo hi',
    undiciFresh: true,
    undiciImportPatched: 'hello /a',
    undiciMonkey: 'hello /b',
    wsMonkey: 'echo again',
  });
});

test('importPatched refuses bad arguments at the call, before loading anything', async () => {
  // Refused before anything loads, so the patcher can be imported into this process.
  const { importPatched, importPatchedAsync } = await import('@verdant/patcher');
  const lib = join(import.meta.dirname, 'fixtures', 'lib', 'index.cjs');
  const rows: [string, () => unknown, ErrorConstructor, RegExp][] = [
    [
      'importPatched(NaN)',
      () => importPatched(Number.NaN as never),
      TypeError,
      /^importPatched\(name\): name must be a module name or path, got number NaN$/,
    ],
    [
      'importPatched(name, { timers: 5 })',
      () => importPatched(lib, { timers: 5 }),
      TypeError,
      /^importPatched\(name, modules\): the module for "timers" must be an object, got number 5$/,
    ],
    [
      "importPatched(name, ['timers', 5])",
      () => importPatched(lib, ['timers', 5]),
      TypeError,
      /the module for "timers" must be an object, got number 5$/,
    ],
  ];
  for (const [name, thunk, Expected, pattern] of rows) {
    assert.throws(
      thunk,
      (e: unknown) => e instanceof Expected && pattern.test((e as Error).message),
      name,
    );
  }
  await assert.rejects(
    importPatchedAsync(lib, { net: null }),
    /the module for "net" must be an object, got null/,
  );
  assert.equal(
    createRequire(import.meta.url).cache[lib],
    undefined,
    'the refused copy loaded its target',
  );
});

test('importPatched from code with no file (node -e, stdin) resolves names from the working directory', async () => {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const run = promisify(execFile);
  const fixtures = join(import.meta.dirname, 'fixtures');
  const code = `const { importPatched } = require('@verdant/patcher');
    console.log(typeof importPatched('./singleton-lib').singleton());`;
  const evaluated = await run(process.execPath, ['-e', code], { cwd: fixtures });
  assert.equal(evaluated.stdout, 'object\n');
  const piped = run(process.execPath, [], { cwd: fixtures });
  piped.child.stdin?.end(code);
  assert.equal((await piped).stdout, 'object\n');
});
