// The HTTP server the client scenarios kill requests against: `/slow` is
// never answered (only the client's abort ends it) and emits 'slow' with the
// request when it arrives; every other path answers 'fast'.
import http from 'node:http';
import { once } from '@verdant/green/node/events';

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
