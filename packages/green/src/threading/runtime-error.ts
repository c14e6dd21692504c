/**
 * Python's `RuntimeError`, thrown by threading misuse: releasing a lock that
 * is not held, or an RLock the caller does not own.
 *
 * @example
 * try {
 *   new threading.Lock().release();
 * } catch (e) {
 *   console.log(e instanceof threading.RuntimeError); // true: 'release unlocked lock'
 * }
 */
export class RuntimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeError';
  }
}
