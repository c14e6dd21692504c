/**
 * What `@verdant/green` builds on and users do not: unstable, may change in
 * any release. Import it only from Verdant's own packages.
 */
export { DONE, Done } from './done.js';
export { startTimer, stopTimer, Waiter, WaiterList, type WaitOwner } from './waiter-list.js';
