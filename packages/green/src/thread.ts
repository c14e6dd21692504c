/**
 * Green `thread`: Python's low-level `_thread` module on green threads.
 * Threads are green threads of the hub; idents are their ids, and code
 * outside any green thread (the Node program itself) has ident 0.
 *
 * @module
 */
export { exit, interruptMain, stackSize, startNewThread } from './thread/low-level.js';
export { allocateLock, Lock as LockType, TIMEOUT_MAX } from './threading/lock.js';
export { RuntimeError as error } from './threading/runtime-error.js';
export { getIdent } from './threading/thread.js';
