/**
 * Python's `RuntimeError`, thrown by threading misuse: releasing a lock that
 * is not held, or an RLock the caller does not own.
 *
 * @example
 * try { lock.release() } catch (e) { if (e instanceof RuntimeError) ... }
 */
export class RuntimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeError';
  }
}
