/**
 * Green `threading`: Python's `threading` module on green threads, so code
 * written against Python's threading model ports line by line. Threads are
 * hub green threads; blocking calls are operations (`yield*`); timeouts are
 * `timeoutMs`. `Semaphore`, `BoundedSemaphore`, `Event` and `local` are the
 * hub's primitives with Python's method names.
 *
 * @module
 */
export { local } from '@verdant/hub';
export { Barrier, type BarrierAction, BrokenBarrierError } from './threading/barrier.js';
export { Condition, type ConditionLock } from './threading/condition.js';
export { Event } from './threading/event.js';
export { Lock, TIMEOUT_MAX } from './threading/lock.js';
export { RLock } from './threading/rlock.js';
export { RuntimeError, RuntimeError as ThreadError } from './threading/runtime-error.js';
export { BoundedSemaphore, Semaphore } from './threading/semaphore.js';
export {
  activeCount,
  currentThread,
  enumerate,
  getIdent,
  mainThread,
  Thread,
  type ThreadOptions,
} from './threading/thread.js';
export { Timer } from './threading/timer.js';
