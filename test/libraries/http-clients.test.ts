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

test("global fetch: its own default headersTimeout (300 s) fires under monkeyPatch(), on the hub's clock", async () => {
  const { out } = await runScenario('fetch-headers-timeout.ts', {});
  // Not before 290 s of virtual time, and by 310 s: Node's default is 300 s.
  assert.deepEqual(out, { settledEarly: false, outcome: 'UND_ERR_HEADERS_TIMEOUT' });
});

test("undici through importPatched (and importPatchedAsync, which gives the same copy): a thread killed mid-request drops its connection, the next request is served; the copy's default Agent is its own, and Node's global fetch is not served by it", async () => {
  const { out } = await runScenario('http-import.ts', {});
  assert.deepEqual(out, {
    'undici.request': 'fast',
    'undici.fetch': 'fast',
    'importPatchedAsync copy': 'fast',
    copyAgent: true,
    copyServedItsRequests: true,
    nodeFetch: 'fast',
    nodeFetchNotByCopy: true,
  });
});
