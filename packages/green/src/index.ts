/**
 * Every green module under its own name: `import { socket, threading } from '@verdant/green'`.
 *
 * @module
 */
export * as os from './os.js';
export * as queue from './queue.js';
export * as select from './select.js';
export * as selectors from './selectors.js';
export * as socket from './socket.js';
export * as ssl from './ssl.js';
export * as subprocess from './subprocess.js';
export * as thread from './thread.js';
export * as threading from './threading.js';
export * as time from './time.js';
export * as tpool from './tpool.js';
