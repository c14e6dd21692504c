import { Event as HubEvent, type Operation } from '@verdant/hub';
import { checkDuration, checkFunction } from '../internal/check.js';
import { isOperation } from '../internal/is-operation.js';
import { Thread } from './thread.js';

/**
 * Python's `threading.Timer`: a Thread that calls `fn(...args)` after
 * `intervalMs` milliseconds unless `cancel()` comes first. `fn` may be a
 * plain function or a generator function (run with `yield*`).
 *
 * @example
 * const late = new threading.Timer(500, () => console.log('never'));
 * late.start();
 * late.cancel(); // it never fires
 * const soon = new threading.Timer(10, () => console.log('10 ms later'));
 * soon.start();
 * yield* soon.join();
 */
export class Timer<A extends unknown[] = unknown[]> extends Thread {
  readonly intervalMs: number;
  private readonly fn: (...args: A) => unknown;
  private readonly fnArgs: A;
  private readonly finished = new HubEvent<boolean>();

  constructor(
    intervalMs: number,
    fn: (...args: A) => unknown,
    args?: A,
    options: { name?: string; daemon?: boolean } = {},
  ) {
    const ms = checkDuration('new Timer(intervalMs, fn): intervalMs', intervalMs);
    checkFunction('new Timer(intervalMs, fn): fn', fn);
    if (args !== undefined && !Array.isArray(args))
      throw new TypeError('new Timer(intervalMs, fn, args): args must be an array');
    super(options);
    this.intervalMs = ms;
    this.fn = fn;
    this.fnArgs = (args ?? []) as A;
  }

  /** Stops the timer if it has not fired yet. */
  cancel(): void {
    if (!this.finished.ready()) this.finished.send(true);
  }

  override *run(): Operation<unknown> {
    yield* this.finished.wait(this.intervalMs);
    if (this.finished.ready()) return undefined;
    this.finished.send(true);
    const result = this.fn(...this.fnArgs);
    if (isOperation(result)) return yield* result;
    return result;
  }
}
