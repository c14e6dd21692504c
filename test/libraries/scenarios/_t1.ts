// undici through importPatched, nothing monkeyPatched: undici speaks HTTP
// over net/tls itself, so the copy's sockets are the green net's; a thread
// killed mid-request (the server holds the answer) has its connection
// closed, and the next request through the same copy is served. (Clients on
// Node's http, as axios, got and node-fetch are, get Node's shared net even
// in a copy: see the patcher README, "importPatched".)
import http from 'node:http';
import { once } from '@verdant/green/node/events';
import { run, spawn, wait } from '@verdant/hub';
import { importPatched, importPatchedAsync } from '@verdant/patcher';
import { finish } from './finish.ts';

const undici = importPatched('undici') as typeof import('undici');
const viaAsync = (await importPatchedAsync('undici')) as typeof import('undici');
if (viaAsync !== undici) throw new Error("importPatchedAsync(undici) is not importPatched's copy");

const server = http.createServer((req, res) => {
  if (req.url === '/slow') {
    server.emit('slow', req);
    return; // never answered: only the client's abort ends it
  }
  res.end('fast');
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

const clients: Record<string, (url: string) => Promise<string>> = {
  'undici.request': async (url) => (await undici.request(url)).body.text(),
  'undici.fetch': async (url) => (await undici.fetch(url)).text(),
  // A CommonJS target: importPatchedAsync hands back the same copy.
  'importPatchedAsync copy': async (url) => (await viaAsync.request(url)).body.text(),
};

const out = await run(function* () {
  const results: Record<string, unknown> = {};
  for (const [name, get] of Object.entries(clients)) {
    const arrived = once(server, 'slow');
    const victim = spawn(function* () {
      return yield* wait(get(`${base}/slow`));
    });
    const [req] = (yield* arrived) as [http.IncomingMessage];
    const closed = once(req.socket, 'close');
    console.error('arrived', name); victim.kill();
    yield* closed; console.error('closed', name);
    results[name] = yield* wait(get(`${base}/fast`));
  }
  return results;
});
console.error('done'); server.closeAllConnections();
server.close();
await finish(out);
