// HTTP clients (fetch, undici, axios, got, node-fetch) killed mid-request under
// monkeyPatch(): the connection is dropped, the next request served.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScenario } from './run-scenario.ts';

test('http clients: a thread killed mid-request drops its connection; the next request is served', async () => {
  const { out } = await runScenario('http-clients.ts', {});
  assert.deepEqual(out, {
    fetch: 'fast',
    undici: 'fast',
    axios: 'fast',
    got: 'fast',
    'node-fetch': 'fast',
  });
});
