/**
 * `@verdant/hub/internal`: what Verdant's own packages (`@verdant/green`)
 * build on and users do not. UNSTABLE: any of it may change or go in any
 * release, without notice. Import it only from Verdant's packages; an
 * application should use `@verdant/hub` and `@verdant/hub/testing`.
 *
 * @packageDocumentation
 */
export {
  checkDuration,
  checkFlag,
  checkFunction,
  checkSize,
  checkThreadFunction,
  checkTimeout,
  describeValue,
} from './check.js';
export { constant, DONE, Done } from './done.js';
export { type Hooks, ioSettled, ioStarted, setHooks } from './hooks.js';
export { emptyKeepingRoom } from './keep-room.js';
export { nodeTimer } from './node-timer.js';
export { slotPark } from './slot-park.js';
export type { ThreadRecord } from './thread-record.js';
export type { Timer, TimerEntry, TimerLink, TimerList } from './timer.js';
export { startTimer, stopTimer, Waiter, WaiterList, type WaitOwner } from './waiter-list.js';
