import { type GreenThread, getCurrent, type Operation } from '@verdant/hub';
import { Done } from '@verdant/hub/internal';
import { checkAcquire, holding } from './lock.js';
import { RuntimeError } from './runtime-error.js';
import { WaitLine } from './wait-line.js';

/** Code outside any green thread (the Node program itself) owns locks as this key. */
const OUTSIDE = { name: 'outside the green world' };
type Owner = GreenThread<unknown> | typeof OUTSIDE;
/** What a waiter asks for: ownership by `owner`, `count` levels deep. */
type Claim = readonly [Owner, number];

function me(): Owner {
  return getCurrent() ?? OUTSIDE;
}

/**
 * A re-entrant lock (Python's `threading.RLock`): the green thread that holds
 * it may acquire it again; it is free once released as many times. Only the
 * owner may release it, anyone else gets a RuntimeError.
 *
 * @example
 * const lock = new threading.RLock();
 * yield* lock.with(function* () {
 *   yield* lock.with(function* () {
 *     lock.locked(); // true: the owner took it twice, no deadlock
 *   });
 * });
 */
export class RLock {
  private owner: Owner | null = null;
  private count = 0;
  // A waiter that was handed the lock but killed before it ran passes it on.
  private readonly waiters = new WaitLine<Claim>(
    () => this.releaseAll(),
    // One whose park was dropped takes the lock if it came free meanwhile.
    (claim) => this.take((claim as Claim)[0], (claim as Claim)[1]),
  );

  /**
   * Takes the lock, or takes it once more if this thread already owns it.
   * Blocks up to `timeoutMs` (null or -1: forever); returns whether it got it.
   */
  acquire(blocking = true, timeoutMs: number | null = null): Operation<boolean> {
    const ms = checkAcquire('RLock.acquire', blocking, timeoutMs);
    return this.acquireAs(me(), 1, ms);
  }

  private acquireAs(owner: Owner, count: number, ms: number | null): Operation<boolean> {
    if (this.take(owner, count)) return new Done(true);
    if (ms === 0) return new Done(false);
    return this.waiters.park(ms, 'RLock.acquire', [owner, count]);
  }

  /** Takes `count` levels at once if `owner` holds the lock or nobody does. */
  private take(owner: Owner, count: number): boolean {
    if (this.owner === owner) this.count += count;
    else if (this.owner === null) {
      this.owner = owner;
      this.count = count;
    } else return false;
    return true;
  }

  /** Releases one level; throws RuntimeError unless this thread owns the lock. */
  release(): void {
    if (this.owner !== me()) throw new RuntimeError('cannot release un-acquired lock');
    if (--this.count === 0) this.releaseAll();
  }

  private releaseAll(): void {
    // Hand ownership straight to the longest waiter, with the count it asked for.
    const next = this.waiters.grantFirst();
    if (next === undefined) {
      this.owner = null;
      this.count = 0;
    } else {
      [this.owner, this.count] = next.value as Claim;
    }
  }

  /** True while some thread owns the lock. */
  locked(): boolean {
    return this.owner !== null;
  }

  /** Runs `body()` holding the lock (Python's `with rlock:`). */
  with<T>(body: () => Operation<T>): Operation<T> {
    return holding(this, body);
  }

  /** @internal True if the current thread owns the lock (Condition checks this). */
  _isOwned(): boolean {
    return this.owner === me();
  }

  /** @internal Condition.wait: drop every level at once, remember how many. */
  _releaseSave(): number {
    const count = this.count;
    this.count = 0;
    this.releaseAll();
    return count;
  }

  /** @internal Condition.wait: take the lock back at the saved depth. */
  _acquireRestore(count: number): Operation<boolean> {
    return this.acquireAs(me(), count, null);
  }

  toString(): string {
    return `<RLock ${this.owner === null ? 'unlocked' : 'locked'} count=${this.count} waiters=${this.waiters.length}>`;
  }
}
