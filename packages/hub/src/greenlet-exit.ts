import { brandCheck } from './brand.js';
import { GREENLET_EXIT } from './symbols.js';

/**
 * Thrown into a green thread to kill it (eventlet's `GreenletExit`). It runs
 * the thread's `finally` blocks; a thread that ends by it is dead, not failed,
 * and is not logged. `wait()` on a killed thread rethrows it.
 *
 * @example
 * import { GreenletExit, run, sleep, spawn } from '@verdant/hub';
 *
 * await run(function* () {
 *   const gt = spawn(function* () {
 *     try {
 *       yield* sleep(60_000);
 *     } finally {
 *       console.log('cleaned up'); // runs at the kill
 *     }
 *   });
 *   yield* sleep(); // let it start
 *   gt.kill();
 *   try {
 *     yield* gt.wait();
 *   } catch (e) {
 *     console.log(e instanceof GreenletExit); // true
 *   }
 * });
 */
export class GreenletExit extends Error {
  declare readonly [GREENLET_EXIT]: true;
  constructor(message = 'green thread killed') {
    super(message);
    this.name = 'GreenletExit';
  }
  static override [Symbol.hasInstance](value: unknown): boolean {
    return brandCheck(this, GreenletExit, GREENLET_EXIT, value);
  }
}
Object.defineProperty(GreenletExit.prototype, GREENLET_EXIT, { value: true });
