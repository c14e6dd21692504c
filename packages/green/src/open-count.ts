import { getHub } from '@verdant/hub';

/**
 * How many green sockets, servers and UDP sockets are open, on a
 * `Symbol.for` global so the ESM and CJS builds count together. Registered as
 * hub probes so `assertIdle()` names leaked sockets.
 * @internal
 */
export interface OpenCounts {
  sockets: number;
  servers: number;
  udp: number;
}

const KEY = Symbol.for('verdant.green/open-sockets');
type WithCounts = { [KEY]?: OpenCounts };

export const openCounts: OpenCounts = ((globalThis as WithCounts)[KEY] ??= (() => {
  const counts: OpenCounts = { sockets: 0, servers: 0, udp: 0 };
  const hub = getHub();
  hub.registerProbe('green sockets', () => counts.sockets);
  hub.registerProbe('green servers', () => counts.servers);
  hub.registerProbe('green udp sockets', () => counts.udp);
  return counts;
})());
