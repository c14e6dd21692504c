/**
 * Python's `selectors`, greened: `DefaultSelector` with `register`,
 * `modify`, `unregister` and `select(timeoutMs)` over green sockets,
 * servers, UDP sockets and socket files.
 *
 * @module
 */
export type { Selectable } from './internal/readiness.js';
export {
  DefaultSelector,
  EVENT_READ,
  EVENT_WRITE,
  type SelectorKey,
} from './selectors/default-selector.js';
