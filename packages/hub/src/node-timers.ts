import { AsyncResource } from 'node:async_hooks';

// Node's own timer functions, taken when the hub loads: the patcher may later
// replace the globals with green ones that are built on this very hub.
export const nodeSetTimeout = globalThis.setTimeout;
export const nodeClearTimeout = globalThis.clearTimeout;
export const nodeSetImmediate = globalThis.setImmediate;

// The hub's one Node timer serves every thread and library: made in the
// async context of whoever happened to arm it, it would run every later
// timer pass in that context (an AsyncLocalStorage store, a domain that a
// throwing callback left entered). So it is made in the hub's own context.
const neutral = new AsyncResource('VerdantTimerQueue');
type WithDomain = { domain?: unknown };

function makeTimer(fn: () => void, ms: number): NodeJS.Timeout {
  return nodeSetTimeout(fn, ms);
}

/** A Node timer for the hub, made outside any caller's async context or domain. */
export function hubNodeTimer(fn: () => void, ms: number): NodeJS.Timeout {
  const p = process as WithDomain;
  const domain = p.domain;
  if (domain === null || domain === undefined)
    return neutral.runInAsyncScope(makeTimer, null, fn, ms);
  // The domain module pairs a new resource with process.domain at its creation.
  p.domain = null;
  try {
    return neutral.runInAsyncScope(makeTimer, null, fn, ms);
  } finally {
    p.domain = domain;
  }
}
