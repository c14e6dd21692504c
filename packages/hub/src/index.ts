export {
  getHub,
  type HubStats,
  type HubView,
  type ThreadInfo,
  type TimerHandle,
} from './get-hub.js';
export { GreenThread } from './green-thread.js';
export { GreenletExit } from './greenlet-exit.js';
export type { Operation } from './operation.js';
export { DeadlockError, main, run } from './run.js';
export { sleep } from './sleep.js';
export { getCurrent, kill, spawn, spawnAfter, spawnN, type ThreadFunction } from './spawn.js';
export { type Arm, type Disposer, suspend } from './suspend.js';
export { Timeout, withTimeout } from './timeout.js';
export { wait } from './wait.js';
