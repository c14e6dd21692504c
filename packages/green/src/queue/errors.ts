import { QueueEmpty, QueueFull } from '@verdant/hub';

/**
 * Thrown by `getNowait()` / a timed-out `get` (Python's `queue.Empty`); it is the hub's `QueueEmpty`.
 *
 * @example
 * const q = new queue.Queue<number>();
 * try {
 *   yield* q.get(true, 10);
 * } catch (e) {
 *   console.log(e instanceof queue.Empty); // true: nothing came within 10 ms
 * }
 */
export const Empty = QueueEmpty;
export type Empty = QueueEmpty;

/**
 * Thrown by `putNowait()` / a timed-out `put` (Python's `queue.Full`); it is the hub's `QueueFull`.
 *
 * @example
 * const q = new queue.Queue<number>(1);
 * q.putNowait(1);
 * try {
 *   q.putNowait(2);
 * } catch (e) {
 *   console.log(e instanceof queue.Full); // true
 * }
 */
export const Full = QueueFull;
export type Full = QueueFull;
