// HTTP clients under monkeyPatch(): a thread killed mid-request (the server
// holds the answer) has its connection closed, and the next request through
// the same client is served. fetch (Node's undici), undici.request, axios,
// got, node-fetch.
import { run } from '@verdant/hub';
import { monkeyPatch } from '@verdant/patcher';
import { finish } from './finish.ts';
import { killEachMidRequest, slowServer } from './slow-server.ts';

// Every flag, the thread flag too (a Worker started after this, as tsx's
// esbuild service may be, runs patched inside).
monkeyPatch();
const { request } = await import('undici');
const { default: axios } = await import('axios');
const { default: got } = await import('got');
// node-fetch 2 ships no types; its default export is a fetch.
const { default: nodeFetch } = (await import('node-fetch' as string)) as {
  default: (url: string) => Promise<{ text(): Promise<string> }>;
};

const { server, base } = await slowServer();

const clients: Record<string, (url: string) => Promise<string>> = {
  fetch: async (url) => (await fetch(url)).text(),
  undici: async (url) => (await request(url)).body.text(),
  axios: async (url) => (await axios.get(url, { responseType: 'text' })).data as string,
  got: (url) => got(url, { retry: { limit: 0 } }).text(),
  'node-fetch': async (url) => (await nodeFetch(url)).text(),
};

const out = await run(function* () {
  return yield* killEachMidRequest(server, base, clients);
});
server.closeAllConnections();
server.close();
await finish(out);
