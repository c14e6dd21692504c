import { brandCheck } from './brand.js';

const BRAND = Symbol.for('verdant.hub/GreenletExit');

/**
 * Thrown into a green thread to kill it (eventlet's `GreenletExit`). It runs
 * the thread's `finally` blocks; a thread that ends by it is dead, not failed,
 * and is not logged. `wait()` on a killed thread rethrows it.
 *
 * @example
 * const gt = spawn(function* () { try { yield* sleep(1000) } finally { cleanup() } });
 * gt.kill(); // cleanup() runs; yield* gt.wait() throws GreenletExit
 */
export class GreenletExit extends Error {
  declare readonly [BRAND]: true;
  constructor(message = 'green thread killed') {
    super(message);
    this.name = 'GreenletExit';
  }
  static override [Symbol.hasInstance](value: unknown): boolean {
    return brandCheck(this, GreenletExit, BRAND, value);
  }
}
Object.defineProperty(GreenletExit.prototype, BRAND, { value: true });
