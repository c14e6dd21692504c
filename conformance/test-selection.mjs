// Which of Node's test/parallel files a run covers: a family is the builtin
// whose contract its tests state; http is a fixed sample, chosen by hash of
// the file name so the same names are picked on every tree and machine.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const TEST_FILE = /\.(js|mjs|cjs)$/;

const named = (test) => (all) => all.filter(test);

/** Family → which of test/parallel's file names belong to it. */
export const FAMILIES = {
  net: named((f) => f.startsWith('test-net-')),
  timers: named((f) => f.startsWith('test-timers')),
  dgram: named((f) => f.startsWith('test-dgram')),
  dns: named((f) => f.startsWith('test-dns')),
  events: named((f) => /^test-(events?|eventtarget)-/.test(f)),
  'child-process': named((f) => f.startsWith('test-child-process')),
  worker: named((f) => f.startsWith('test-worker')),
  tls: named((f) => f.startsWith('test-tls-')),
  http: sample(40, (f) => f.startsWith('test-http-')),
};

/** The families CI runs: all but worker (see the README). */
export const CI_FAMILIES = Object.keys(FAMILIES).filter((f) => f !== 'worker');

function sample(count, belongs) {
  const rank = (f) => createHash('sha256').update(f).digest('hex');
  return (all) =>
    all
      .filter(belongs)
      .map((f) => [rank(f), f])
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .slice(0, count)
      .map(([, f]) => f)
      .sort();
}

/** `[{ family, file }]` for the chosen families (and, with `only`, those names). */
export function selectTests(treeDir, families, only) {
  const all = readdirSync(join(treeDir, 'test', 'parallel'))
    .filter((f) => TEST_FILE.test(f))
    .sort();
  const chosen = [];
  for (const family of families) {
    const members = FAMILIES[family];
    if (!members)
      throw new Error(`unknown family ${family}; families are ${Object.keys(FAMILIES).join(', ')}`);
    for (const file of members(all))
      if (!only || only.some((o) => file === o || file.replace(TEST_FILE, '') === o))
        chosen.push({ family, file });
  }
  return chosen;
}
