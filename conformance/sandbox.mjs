// Runs one of Node's tests the way Node's own harness does (cwd = the tree's
// root, the test's `// Flags:` on the command line, TEST_THREAD_ID = the job
// slot so each slot has its own test/.tmp.N), inside a fresh network
// namespace with only loopback up, so nothing it does can reach outside and
// two tests never fight over a port. A test that outlives its timeout has
// its whole process group killed and counts as a hang.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const KEEP_OUTPUT = 8192;

/** Exits unless `unshare` and `ip` can make a loopback-only namespace; installs iproute2 if absent. */
export function checkSandbox(log) {
  if (spawnSync('ip', ['-V']).error) {
    log('`ip` is missing: apt-get install iproute2');
    for (const args of [
      ['update', '-q'],
      ['install', '-y', '-q', 'iproute2'],
    ]) {
      const r = spawnSync('apt-get', args, { stdio: 'inherit' });
      if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed; install iproute2`);
    }
  }
  const probe = spawnSync('unshare', [...unshareArgs(), 'ip', 'link', 'set', 'lo', 'up'], {
    encoding: 'utf8',
  });
  if (probe.status !== 0)
    throw new Error(`cannot make a network namespace (unshare -n): ${probe.stderr.trim()}`);
}

/** Root makes the namespace directly; anyone else through a user namespace. */
function unshareArgs() {
  return process.getuid() === 0 ? ['-n'] : ['-r', '-n'];
}

/** The test's own flags: the first `// Flags:` line, as Node's tools/test.py reads it. */
export function testFlags(path) {
  const m = readFileSync(path, 'utf8').match(/\/\/\s+Flags:(.*)/);
  return m ? m[1].trim().split(/\s+/).filter(Boolean) : [];
}

/**
 * Runs `test/parallel/<file>` under `node` with `preload` (a `--require`d
 * file, or none): `{ status: 'pass' | 'fail' | 'hang', code, signal, ms, output }`.
 */
export function runTest({ node, root, file, preload, slot, timeoutMs }) {
  const test = join('test', 'parallel', file);
  const flags = testFlags(join(root, test));
  const nodeArgs = [...flags, ...(preload ? ['--require', preload] : []), test];
  const args = [
    ...unshareArgs(),
    'sh',
    '-c',
    'ip link set lo up && exec "$@"',
    'sh',
    node,
    ...nodeArgs,
  ];
  const env = { ...process.env, TEST_THREAD_ID: String(slot), VERDANT_LOG_LEVEL: 'silent' };
  delete env.NODE_OPTIONS;
  delete env.NODE_TEST_DIR;
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('unshare', args, {
      cwd: root,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk) => {
      output = (output + chunk).slice(-KEEP_OUTPUT);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.on('exit', () => {
      clearTimeout(timer);
      killGroup(child.pid); // what the test left running in its group
      // A grandchild that left the group may still hold the pipes: stop waiting for them.
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, 2000).unref();
    });
    child.on('close', (code, signal) => {
      const status = hung ? 'hang' : code === 0 ? 'pass' : 'fail';
      resolve({ status, code, signal, ms: Math.round(performance.now() - started), output });
    });
  });
}

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
