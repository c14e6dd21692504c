/**
 * The correctness probe every echo server passes before it is timed: it
 * must return every byte, in order, on each connection (payloads of 1 B to
 * 256 KiB sent back to back, and ten connections at once), and close its side
 * once the client has closed its own. A server that fails is not measured.
 */
import { randomBytes } from 'node:crypto';
import * as net from 'node:net';

const PAYLOADS = [1, 64, 4096, 256 * 1024];
const PARALLEL = 10;
const TIMEOUT_MS = 10_000;

/** Sends `chunks` back to back on one connection; resolves once they all came back and the server closed. */
function exchange(port: number, chunks: Buffer[]): Promise<void> {
  const sent = Buffer.concat(chunks);
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let got = 0;
    const sock = net.connect(port, '127.0.0.1', () => {
      for (const c of chunks) sock.write(c);
    });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(
        new Error(
          `echoed ${got} of ${sent.length} bytes, or did not close, within ${TIMEOUT_MS} ms`,
        ),
      );
    }, TIMEOUT_MS);
    sock.on('data', (d: Buffer) => {
      parts.push(d);
      got += d.length;
      if (got > sent.length) reject(new Error(`echoed ${got} bytes for ${sent.length} sent`));
      // Everything back: close our side; the server must then close its own.
      else if (got === sent.length) sock.end();
    });
    sock.on('end', () => {
      clearTimeout(timer);
      if (!Buffer.concat(parts).equals(sent))
        reject(new Error('the bytes echoed differ from those sent'));
      else resolve();
    });
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/**
 * Rejects, naming the server, unless it echoes correctly and closes after the client.
 *
 * @example
 * await probe('gevent', port);
 */
export async function probe(name: string, port: number): Promise<void> {
  try {
    await exchange(
      port,
      PAYLOADS.map((n) => randomBytes(n)),
    );
    await Promise.all(Array.from({ length: PARALLEL }, () => exchange(port, [randomBytes(64)])));
  } catch (e) {
    throw new Error(`echo server ${name} failed the correctness probe: ${(e as Error).message}`);
  }
}
