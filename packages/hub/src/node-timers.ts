// Node's own timer functions, taken when the hub loads: the patcher may later
// replace the globals with green ones that are built on this very hub.
export const nodeSetTimeout = globalThis.setTimeout;
export const nodeClearTimeout = globalThis.clearTimeout;
export const nodeSetImmediate = globalThis.setImmediate;
