import { type GreenThread, getCurrent } from '@verdant/hub';

/** A resource a green thread created: `dispose` runs if that thread is killed. */
export interface Owned {
  dispose(): void;
}

const owned = new WeakMap<GreenThread<unknown>, Set<Owned>>();

// One link per owning thread, not one per resource: a thread that sets a
// thousand timers costs one callback at its end.
function onThreadEnd(gt: GreenThread<unknown>): void {
  const set = owned.get(gt);
  owned.delete(gt);
  if (set === undefined || !endedByError(gt)) return;
  for (const r of set) {
    try {
      r.dispose();
    } catch {
      // A resource that fails to clean up must not stop the others.
    }
  }
}

// The signal of a thread that returned normally is aborted without a reason
// (a plain AbortError); a killed or failed one carries its error.
function endedByError(gt: GreenThread<unknown>): boolean {
  const reason: unknown = gt.signal.reason;
  return !(reason instanceof DOMException && reason.name === 'AbortError');
}

/**
 * Makes the current green thread own `resource`: if the thread is killed (or
 * fails), `resource.dispose()` runs. Outside a green thread it does nothing.
 * Returns the owner, to pass to `disown` when the resource ends by itself.
 */
export function adopt(resource: Owned): GreenThread<unknown> | null {
  const gt = getCurrent();
  if (gt === null || gt.dead) return null;
  let set = owned.get(gt);
  if (set === undefined) {
    set = new Set();
    owned.set(gt, set);
    gt.link(onThreadEnd);
  }
  set.add(resource);
  return gt;
}

/**
 * Releases a resource from its owner (it ended by itself: a timer fired, a
 * child exited).
 */
export function disown(owner: GreenThread<unknown> | null, resource: Owned): void {
  if (owner !== null) owned.get(owner)?.delete(resource);
}

const killControllers = new WeakMap<GreenThread<unknown>, AbortController>();

/**
 * A signal that aborts if the current green thread is killed (or fails),
 * combined with `signal` if one is given; `signal` itself outside a green
 * thread. Unlike `thread.signal`, it stays quiet when the thread returns
 * normally, so work the thread started and did not wait for carries on.
 */
export function killSignal(signal?: AbortSignal | null): AbortSignal | undefined {
  const gt = getCurrent();
  if (gt === null || gt.dead) return signal ?? undefined;
  let controller = killControllers.get(gt);
  if (controller === undefined) {
    const c = new AbortController();
    controller = c;
    killControllers.set(gt, c);
    adopt({ dispose: () => c.abort(gt.signal.reason) });
  }
  if (signal == null) return controller.signal;
  return AbortSignal.any([controller.signal, signal]);
}

type WithSignal = { signal?: AbortSignal | null } & Record<string, unknown>;

/** Adds `killSignal` to an fs options argument (a string is the encoding). */
export function withThreadSignal(options: unknown): unknown {
  const gt = killSignal(undefined);
  if (gt === undefined) return options;
  if (options == null) return { signal: gt };
  if (typeof options === 'string') return { encoding: options, signal: gt };
  if (typeof options !== 'object') return options;
  const o = options as WithSignal;
  return { ...o, signal: killSignal(o.signal) };
}
