/**
 * Empties an array by popping: `length = 0` frees its backing store, and
 * the next push allocates a new one (about 150 bytes). Lists emptied and
 * refilled per request (a pool's idle timer, a socket's in-flight requests)
 * keep their room this way once their code is optimized (the interpreter's
 * pop may still shrink the store); a long one (100k sleepers staged at
 * once) lets it go rather than hold it for ever.
 *
 * @example
 * import { emptyKeepingRoom } from '@verdant/hub/internal';
 *
 * const pending = [1, 2, 3];
 * emptyKeepingRoom(pending);
 * console.log(pending.length); // 0
 */
export function emptyKeepingRoom(list: unknown[]): void {
  if (list.length > KEPT_ROOM) list.length = 0;
  else while (list.length !== 0) list.pop();
}

const KEPT_ROOM = 1024;
