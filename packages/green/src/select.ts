/**
 * Python's `select` (and `selectors`' `DefaultSelector`), greened:
 * `select(r, w, x, timeoutMs)`, `poll()`, over green sockets, servers, UDP
 * sockets and socket files. Timeouts are in milliseconds.
 *
 * @module
 */
export {
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLNVAL,
  POLLOUT,
  POLLPRI,
  type Selectable,
} from './internal/readiness.js';
export { Poll, poll } from './select/poll.js';
export { select } from './select/select.js';
export {
  DefaultSelector,
  EVENT_READ,
  EVENT_WRITE,
  type SelectorKey,
} from './selectors/default-selector.js';
