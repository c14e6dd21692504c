import { getHub } from '@verdant/hub';
import { OPEN_SOCKETS } from '../internal/symbols.js';

/**
 * How many green sockets, servers and UDP sockets are open, on a
 * `Symbol.for` global so the ESM and CJS builds count together. Registered as
 * hub probes so `assertIdle()` names leaked sockets.
 */
export interface OpenCounts {
  sockets: number;
  servers: number;
  udp: number;
}

export const openCounts: OpenCounts = ((globalThis as { [OPEN_SOCKETS]?: OpenCounts })[
  OPEN_SOCKETS
] ??= (() => {
  const counts: OpenCounts = { sockets: 0, servers: 0, udp: 0 };
  const hub = getHub();
  hub.registerProbe('green sockets', () => counts.sockets);
  hub.registerProbe('green servers', () => counts.servers);
  hub.registerProbe('green udp sockets', () => counts.udp);
  return counts;
})());
