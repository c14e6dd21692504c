/**
 * Green `queue`: Python's `queue` module on the hub's queues (no second
 * implementation). `put(item, block = true, timeoutMs?)`,
 * `get(block = true, timeoutMs?)`, `putNowait`, `getNowait`, `taskDone`,
 * `join`, `qsize`, `empty`, `full`. A timed-out `get` throws Empty and a
 * timed-out `put` Full, as in Python. `maxsize <= 0` means unbounded, as in
 * Python (the hub's own `Queue(0)` is a rendezvous channel instead).
 *
 * @module
 */
export { Empty, Full } from './queue/errors.js';
export { LifoQueue } from './queue/lifo-queue.js';
export { PriorityQueue } from './queue/priority-queue.js';
export { Queue } from './queue/queue.js';
export { SimpleQueue } from './queue/simple-queue.js';
