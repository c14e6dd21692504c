// eventlet's web crawler: fetch pages concurrently with a GreenPool, each
// fetch plain blocking socket code (connect, sendall, read to EOF), follow
// the links, never fetch a page twice. The example starts its own little
// HTTP site on 127.0.0.1 (a green server too), so it needs no network.
// Run: npx --yes pnpm@10 build && node --import tsx examples/web-crawler.ts
import { socket } from '@verdant/green';
import { GreenPool, main, type Operation, Queue, sleep, spawn } from '@verdant/hub';

const PAGES = 40;

/** The site: page n links to 2n+1 and 2n+2; each page takes 20 ms to serve. */
function* site(sock: socket.GreenSocket): Operation<void> {
  const request = (yield* sock.makefile().readline()).toString();
  const n = Number(/GET \/page\/(\d+)/.exec(request)?.[1] ?? -1);
  yield* sleep(20);
  const links = [2 * n + 1, 2 * n + 2]
    .filter((k) => k < PAGES)
    .map((k) => `<a href="/page/${k}">${k}</a>`);
  const body = n >= 0 && n < PAGES ? `<h1>page ${n}</h1>${links.join(' ')}` : 'not found';
  const status = n >= 0 && n < PAGES ? '200 OK' : '404 Not Found';
  yield* sock.sendall(
    Buffer.from(`HTTP/1.0 ${status}\r\nContent-Length: ${body.length}\r\n\r\n${body}`),
  );
}

function* fetch(port: number, path: string): Operation<string> {
  const sock = yield* socket.createConnection(['127.0.0.1', port], 5000);
  try {
    yield* sock.sendall(Buffer.from(`GET ${path} HTTP/1.0\r\nHost: localhost\r\n\r\n`));
    const response = (yield* sock.makefile().read()).toString();
    return response.slice(response.indexOf('\r\n\r\n') + 4);
  } finally {
    sock.close();
  }
}

main(function* () {
  const server = yield* socket.listen(['127.0.0.1', 0]);
  const port = server.getsockname()[1];
  const serving = spawn(function* () {
    yield* socket.serve(server, site);
  });

  const pool = new GreenPool(8); // at most 8 fetches at once
  // Fetchers report new links and their own end on a queue; the main thread
  // is the only one that spawns, so a full pool only ever blocks it.
  const found = new Queue<string | null>();
  const seen = new Set<string>(['/page/0']);
  const started = Date.now();
  let fetched = 0;
  function* crawl(path: string): Operation<void> {
    try {
      const body = yield* fetch(port, path);
      fetched++;
      for (const [, link] of body.matchAll(/href="([^"]+)"/g)) yield* found.put(link!);
    } finally {
      yield* found.put(null); // this fetch is over
    }
  }
  let outstanding = 1;
  yield* pool.spawnN(crawl, '/page/0');
  while (outstanding > 0) {
    const link = yield* found.get();
    if (link === null) outstanding--;
    else if (!seen.has(link)) {
      seen.add(link);
      outstanding++;
      yield* pool.spawnN(crawl, link);
    }
  }
  const ms = Date.now() - started;
  console.log(
    `crawled ${fetched} pages in ${ms} ms with 8 green fetchers (${fetched * 20} ms of server time)`,
  );
  server.close();
  yield* serving.wait();
});
