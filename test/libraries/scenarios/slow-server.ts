// The HTTP server the client scenarios kill requests against: `/slow` is
// never answered (only the client's abort ends it) and emits 'slow' with the
// request when it arrives; every other path answers 'fast'.
import http from 'node:http';
import { once } from '@verdant/green/node/events';
import { type Operation, spawn, wait } from '@verdant/hub';

export async function slowServer(): Promise<{ server: http.Server; base: string }> {
  const server = http.createServer((req, res) => {
    if (req.url === '/slow') {
      server.emit('slow', req);
      return;
    }
    res.end('fast');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, base: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

/**
 * Each client in turn: a thread asks `/slow` and is killed once the server
 * holds its request; when the client has dropped that connection, the same
 * client asks `/fast`. Returns each client's answer to `/fast`.
 */
export function* killEachMidRequest(
  server: http.Server,
  base: string,
  clients: Record<string, (url: string) => Promise<string>>,
): Operation<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  for (const [name, get] of Object.entries(clients)) {
    const arrived = once(server, 'slow');
    const victim = spawn(function* () {
      return yield* wait(get(`${base}/slow`));
    });
    const [req] = (yield* arrived) as [http.IncomingMessage];
    const closed = once(req.socket, 'close');
    victim.kill();
    yield* closed; // the client dropped the connection
    results[name] = yield* wait(get(`${base}/fast`));
  }
  return results;
}
