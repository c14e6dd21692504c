// undici through importPatched, nothing monkeyPatched: undici speaks HTTP
// over net/tls itself, so the copy's sockets are the green net's; a thread
// killed mid-request (the server holds the answer) has its connection
// closed, and the next request through the same copy is served. (Clients on
// Node's http, as axios, got and node-fetch are, get Node's shared net even
// in a copy: see the patcher README, "importPatched".)
// The copy is its own instance of undici: its default dispatcher is its own
// green Agent, not the one Node's bundled undici keeps on globalThis (which
// Node 22 and 24 put there when node:http is imported as an ES module: its
// namespace reads http.WebSocket), and Node's global fetch never gets the
// copy's Agent (on Node 20 the copy is the first to look at that slot).
import { run } from '@verdant/hub';
import { importPatched, importPatchedAsync } from '@verdant/patcher';
import { finish } from './finish.ts';
import { killEachMidRequest, slowServer } from './slow-server.ts';

const undici = importPatched('undici') as typeof import('undici');
const viaAsync = (await importPatchedAsync('undici')) as typeof import('undici');
if (viaAsync !== undici) throw new Error("importPatchedAsync(undici) is not importPatched's copy");

// Every request the copy's own Agent dispatches is counted.
const agent = undici.getGlobalDispatcher();
const copyAgent = agent instanceof undici.Agent;
let served = 0;
const dispatch = agent.dispatch;
agent.dispatch = function (this: typeof agent, ...args: Parameters<typeof dispatch>) {
  served++;
  return dispatch.apply(this, args);
};

const { server, base } = await slowServer();

const clients: Record<string, (url: string) => Promise<string>> = {
  'undici.request': async (url) => (await undici.request(url)).body.text(),
  'undici.fetch': async (url) => (await undici.fetch(url)).text(),
  // A CommonJS target: importPatchedAsync hands back the same copy.
  'importPatchedAsync copy': async (url) => (await viaAsync.request(url)).body.text(),
};

const out = await run(function* () {
  // Through Node's Agent a kill cancels nothing and the loop would never end.
  if (!copyAgent) return {};
  return yield* killEachMidRequest(server, base, clients);
});
const byCopy = served;
// Node's own fetch: served by Node's dispatcher, whatever loaded first.
const nodeFetch = await (await fetch(`${base}/fast`)).text();
const slot = (globalThis as Record<symbol, unknown>)[Symbol.for('undici.globalDispatcher.1')];
out.copyAgent = copyAgent;
out.copyServedItsRequests = byCopy === 2 * Object.keys(clients).length;
out.nodeFetch = nodeFetch;
out.nodeFetchNotByCopy =
  served === byCopy && slot !== undefined && slot !== agent && !(slot instanceof undici.Agent);
server.closeAllConnections();
server.close();
await finish(out);
