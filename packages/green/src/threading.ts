/**
 * Green `threading`: Python's `threading` module on green threads, so code
 * written against Python's threading model ports line by line. Threads are
 * hub green threads; blocking calls are operations (`yield*`); timeouts are
 * `timeoutMs`. `Semaphore`, `BoundedSemaphore`, `Event` and `local` are the
 * hub's primitives with Python's method names.
 */
import { local } from '@verdant/hub';

export { Barrier, type BarrierAction, BrokenBarrierError } from './barrier.js';
export { Condition, type ConditionLock } from './condition.js';
export { Event } from './event.js';
export { Lock, RuntimeError, RuntimeError as ThreadError } from './lock.js';
export { RLock } from './rlock.js';
export { BoundedSemaphore, Semaphore } from './semaphore.js';
export { TIMEOUT_MAX } from './thread.js';
export {
  activeCount,
  currentThread,
  enumerate,
  getIdent,
  mainThread,
  Thread,
  type ThreadOptions,
} from './thread-class.js';
export { Timer } from './threading-timer.js';
export { local };
