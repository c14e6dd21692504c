/**
 * Python's `select` and `selectors`, greened: `select(r, w, x, timeoutMs)`,
 * `poll()`, and `DefaultSelector`, over green sockets, servers, UDP sockets
 * and socket files. Timeouts are in milliseconds.
 *
 * @example
 * import * as select from '@verdant/green/select';
 * const [readable] = yield* select.select([a, b], [], [], 1000);
 */

export { Poll, poll } from './poll.js';
export {
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLNVAL,
  POLLOUT,
  POLLPRI,
  type Selectable,
} from './readiness.js';
export { select } from './select-call.js';
export { DefaultSelector, EVENT_READ, EVENT_WRITE, type SelectorKey } from './selectors.js';
