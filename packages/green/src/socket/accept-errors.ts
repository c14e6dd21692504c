import { getHub, type Operation, sleep } from '@verdant/hub';

/** Out of descriptors: an accept retried at once would only fail again. */
const OUT_OF_FDS = new Set(['EMFILE', 'ENFILE']);
const FIRST_BACKOFF_MS = 10;
const MAX_BACKOFF_MS = 1000;

/**
 * How `serve` lives through failed accepts: it logs the first failure of a
 * burst and counts the rest until an accept succeeds (then one line says how
 * many), so a flood of errors is two log lines, not thousands. Out of file
 * descriptors it backs off, doubling up to a second, so it does not spin.
 */
export class AcceptErrors {
  private failures = 0;
  private backoffMs = 0;

  constructor(private readonly server: string) {}

  /** Logs `error` if it starts a burst, then waits before the next accept. */
  *failed(error: unknown): Operation<void> {
    const code = (error as { code?: unknown } | null)?.code;
    const outOfFds = typeof code === 'string' && OUT_OF_FDS.has(code);
    if (this.failures++ === 0) {
      getHub().logger.error(
        { err: error, server: this.server },
        outOfFds
          ? `serve: out of file descriptors (${code}): new connections are shed until some close; backing off`
          : 'serve: accept failed; the server keeps serving',
      );
    }
    if (outOfFds) {
      this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2 || FIRST_BACKOFF_MS);
      yield* sleep(this.backoffMs);
    } else {
      yield* sleep(0);
    }
  }

  /** An accept succeeded: ends the burst, saying how long it was. */
  accepted(): void {
    if (this.failures === 0) return;
    getHub().logger.warn(
      { server: this.server, failures: this.failures },
      `serve: accepting again after ${this.failures} failed accept${this.failures === 1 ? '' : 's'}`,
    );
    this.failures = 0;
    this.backoffMs = 0;
  }
}
