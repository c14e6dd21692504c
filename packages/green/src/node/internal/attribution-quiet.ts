/**
 * Connections attribution opens itself (a PostgreSQL cancel request, a
 * Redis CLIENT UNBLOCK): no thread's request, never cancelled.
 */
import type * as Real from 'node:net';
import { pristine } from '../pristine.js';

const real = pristine('net') as typeof Real;
let quiet = false;

/** True while such a connection is being opened. */
export function openingQuietly(): boolean {
  return quiet;
}

/** Connects to `host:port` outside any thread's attribution. */
export function connectQuietly(port: number, host: string): Real.Socket {
  quiet = true;
  try {
    return real.connect(port, host);
  } finally {
    quiet = false;
  }
}
