import {
  GreenletExit,
  type GreenThread,
  getCurrent,
  getHub,
  type Operation,
  spawn,
  suspend,
} from '@verdant/hub';
import { checkTimeout } from '../internal/check.js';
import { RuntimeError } from './runtime-error.js';

/** What `new Thread(...)` takes (Python's keyword arguments). */
export interface ThreadOptions<A extends unknown[] = unknown[]> {
  /** A generator function to run: `function* (...args) { ... }`. */
  target?: ((...args: A) => Operation<unknown>) | null;
  args?: A;
  name?: string;
  /** Daemon threads are killed once the main thread and every non-daemon Thread have ended. */
  daemon?: boolean | null;
}

let counter = 0;
/** Started, not yet ended. */
const active = new Set<Thread>();
/** Thread objects by the green thread that runs them. */
const byGreen = new WeakMap<GreenThread<unknown>, Thread>();

/**
 * Python's `threading.Thread` as a green thread: give a `target` generator
 * function, or subclass and override `*run()`. `start()` spawns it; `join()`
 * waits. A failure in `run` is logged once through the hub (as Python
 * prints it) and does not reach `join`.
 *
 * Daemon semantics: under the hub's `main()`, a non-daemon Thread keeps the
 * program running by simply being alive (its timers and sockets hold Node's
 * loop); daemon Threads are killed (GreenletExit, `finally` blocks run) as
 * soon as the thread `main()` started (`getHub().mainThread()`) and every
 * non-daemon Thread have ended, so they never hold the process open. Outside
 * `main()` (e.g. under `run()` in tests) nothing is reaped: kill daemons
 * yourself.
 *
 * @example
 * class Counter extends threading.Thread {
 *   n = 0;
 *   override *run() {
 *     for (let i = 0; i < 3; i++) {
 *       this.n++;
 *       yield* time.sleep(1);
 *     }
 *   }
 * }
 * const t = new Counter({ name: 'counter' });
 * t.start();
 * yield* t.join(); // true
 * t.n; // 3
 * const w = new threading.Thread({ target: function* (ms: number) { yield* time.sleep(ms) }, args: [5] });
 * w.start();
 * yield* w.join();
 */
export class Thread<A extends unknown[] = unknown[]> {
  private threadName: string;
  private isDaemon: boolean;
  private readonly target: ((...args: A) => Operation<unknown>) | undefined;
  private readonly targetArgs: A;
  /** @internal */
  _green: GreenThread<unknown> | undefined = undefined;

  constructor(options: ThreadOptions<A> = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(
        'new Thread(options): options must be an object { target, args, name, daemon }',
      );
    }
    const { target, args, name, daemon } = options;
    if (target !== undefined && target !== null && typeof target !== 'function') {
      throw new TypeError(
        `new Thread({ target }): target must be a generator function, got ${typeof target}`,
      );
    }
    if (args !== undefined && !Array.isArray(args)) {
      throw new TypeError(`new Thread({ args }): args must be an array, got ${typeof args}`);
    }
    if (name !== undefined && typeof name !== 'string') {
      throw new TypeError(`new Thread({ name }): name must be a string, got ${typeof name}`);
    }
    if (daemon !== undefined && daemon !== null && typeof daemon !== 'boolean') {
      throw new TypeError(`new Thread({ daemon }): daemon must be a boolean, got ${typeof daemon}`);
    }
    this.target = target ?? undefined;
    this.targetArgs = (args ?? []) as A;
    this.threadName = name ?? `Thread-${++counter}${target?.name ? ` (${target.name})` : ''}`;
    // Python: a new thread inherits the daemon flag of the thread creating it.
    this.isDaemon = daemon ?? currentThread().daemon;
  }

  /** What the thread does: by default runs `target(...args)`. Override it in a subclass. */
  *run(): Operation<unknown> {
    if (this.target !== undefined) return yield* this.target(...this.targetArgs);
    return undefined;
  }

  /** Starts the thread; a Thread can be started only once (RuntimeError). */
  start(): void {
    if (this._green !== undefined) throw new RuntimeError('threads can only be started once');
    watchMain();
    const gt = spawn(bootstrap, this as Thread<unknown[]>);
    gt.name = this.threadName;
    this._green = gt;
    byGreen.set(gt, this as Thread<unknown[]>);
    active.add(this as Thread<unknown[]>);
    gt.link(() => ended(this as Thread<unknown[]>));
  }

  /**
   * Waits until the thread ends, or `timeoutMs` passes. Returns whether it
   * ended (Python returns None: check `isAlive()`).
   */
  join(timeoutMs: number | null = null): Operation<boolean> {
    const ms = checkTimeout('Thread.join(timeoutMs): timeoutMs', timeoutMs);
    const gt = this._green;
    if (gt === undefined) throw new RuntimeError('cannot join thread before it is started');
    if (gt === getCurrent()) throw new RuntimeError('cannot join current thread');
    return joinGreen(gt, ms, this.threadName);
  }

  /** True from `start()` until `run` ends. */
  isAlive(): boolean {
    return this._green !== undefined && !this._green.dead;
  }

  /** The thread's ident (its green thread id) once started, else null. */
  get ident(): number | null {
    return this._green?.id ?? null;
  }

  /** Same as `ident`: green threads have no OS thread id. */
  get nativeId(): number | null {
    return this.ident;
  }

  get name(): string {
    return this.threadName;
  }
  set name(value: string) {
    if (typeof value !== 'string')
      throw new TypeError(`Thread.name must be a string, got ${typeof value}`);
    this.threadName = value;
    if (this._green) this._green.name = value;
  }

  get daemon(): boolean {
    return this.isDaemon;
  }
  set daemon(value: boolean) {
    if (typeof value !== 'boolean') throw new TypeError('Thread.daemon must be a boolean');
    if (this._green !== undefined)
      throw new RuntimeError('cannot set daemon status of active thread');
    this.isDaemon = value;
  }

  toString(): string {
    const state = this._green === undefined ? 'initial' : this.isAlive() ? 'started' : 'stopped';
    return `<${this.constructor.name}(${this.threadName}, ${state}${this.isDaemon ? ' daemon' : ''} ${this.ident ?? ''})>`;
  }
}

function* bootstrap(self: Thread<unknown[]>): Operation<unknown> {
  return yield* self.run();
}

function* joinGreen(gt: GreenThread<unknown>, ms: number | null, name: string): Operation<boolean> {
  if (gt.dead) return true;
  if (ms === 0) return false;
  yield* suspend<void>((resume) => {
    const onEnd = () => resume();
    gt.link(onEnd);
    const timer = ms === null ? undefined : getHub().callLater(ms, () => resume(), undefined);
    return () => {
      gt.unlink(onEnd);
      timer?.cancel();
    };
  }, `join ${name}`);
  return gt.dead;
}

/** The `main()` thread whose end reaps daemons (linked once, when a Thread starts). */
let watchedMain: GreenThread<unknown> | null = null;

function watchMain(): void {
  const gt = getHub().mainThread();
  if (gt !== null && gt !== watchedMain) {
    watchedMain = gt;
    gt.link(reapDaemons);
  }
}

function ended(t: Thread<unknown[]>): void {
  active.delete(t);
  if (!t.daemon) reapDaemons();
}

/** Python kills daemon threads at interpreter exit: here, once main and every non-daemon Thread are done. */
function reapDaemons(): void {
  const mainGreen = getHub().mainThread();
  if (mainGreen === null || !mainGreen.dead) return;
  for (const t of active) if (!t.daemon) return;
  for (const t of [...active])
    t._green?.kill(new GreenletExit('daemon thread stopped: the program is ending'));
}

/** The main thread: the thread hub `main()` started, and code outside any green thread. */
class MainThread extends Thread {
  constructor() {
    super({ name: 'MainThread', daemon: false });
  }
  override isAlive(): boolean {
    const gt = getHub().mainThread();
    return gt === null || !gt.dead;
  }
  override get ident(): number | null {
    return getHub().mainThread()?.id ?? 0;
  }
  override start(): void {
    throw new RuntimeError('threads can only be started once');
  }
}

/** A green thread not started through Thread (spawn, run...), seen from threading (Python's _DummyThread). */
class DummyThread extends Thread {
  constructor(gt: GreenThread<unknown>) {
    // Not daemon (Python's dummies are): Threads created from plain green threads should not be reaped.
    super({ name: gt.name, daemon: false });
    this._green = gt;
  }
  override start(): void {
    throw new RuntimeError('cannot start a dummy thread');
  }
  override join(): Operation<boolean> {
    throw new RuntimeError('cannot join a dummy thread');
  }
}

const MAIN: Thread = new MainThread();

/**
 * The Thread object of the calling green thread (Python's
 * `threading.current_thread()`): its Thread, a stand-in for green threads
 * started another way, or `mainThread()` outside any green thread.
 *
 * @example
 * const t = new threading.Thread({
 *   name: 'worker-1',
 *   target: function* () {
 *     console.log(threading.currentThread().name); // 'worker-1'
 *   },
 * });
 * t.start();
 * yield* t.join();
 */
export function currentThread(): Thread {
  const gt = getCurrent();
  if (gt === null || gt === getHub().mainThread()) return MAIN;
  let t = byGreen.get(gt);
  if (t === undefined) {
    t = new DummyThread(gt);
    byGreen.set(gt, t);
  }
  return t;
}

/**
 * The main Thread (Python's `threading.main_thread()`): the thread hub
 * `main()` started (`getHub().mainThread()`); code outside any green thread
 * counts as main too (ident 0 when there is no `main()` thread).
 *
 * @example
 * threading.mainThread().name; // 'MainThread'
 */
export function mainThread(): Thread {
  return MAIN;
}

/**
 * Every live Thread: the main thread and each started, unfinished Thread
 * (Python's `threading.enumerate()`). Green threads started with plain
 * `spawn` are listed by `getHub().threads()` instead.
 *
 * @example
 * const t = new threading.Thread({ target: function* () { yield* time.sleep(10) } });
 * t.start();
 * threading.enumerate().map((x) => x.name); // ['MainThread', 'Thread-1']
 * yield* t.join();
 */
export function enumerate(): Thread[] {
  return [MAIN, ...active];
}

/**
 * `enumerate().length` (Python's `threading.active_count()`).
 *
 * @example
 * threading.activeCount(); // 1 + the Threads started and not yet ended
 */
export function activeCount(): number {
  return 1 + active.size;
}

/**
 * The calling green thread's ident; 0 outside (Python's `threading.get_ident()`).
 *
 * @example
 * const me = threading.getIdent(); // this green thread's id; 0 outside any
 */
export function getIdent(): number {
  return getCurrent()?.id ?? 0;
}
