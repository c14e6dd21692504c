import { QueueEmpty, QueueFull } from '@verdant/hub';

/** Thrown by `getNowait()` / a timed-out `get` (Python's `queue.Empty`); it is the hub's `QueueEmpty`. */
export const Empty = QueueEmpty;
export type Empty = QueueEmpty;

/** Thrown by `putNowait()` / a timed-out `put` (Python's `queue.Full`); it is the hub's `QueueFull`. */
export const Full = QueueFull;
export type Full = QueueFull;
