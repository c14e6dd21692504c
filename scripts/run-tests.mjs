// Runs every package's tests with Node's own runner, on this Node or on a
// pinned one (--node 22 / --node 24, installed as dev dependencies).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const at = args.indexOf('--node');
const major = at >= 0 ? args[at + 1] : undefined;
const node = major ? join('node_modules', `node${major}`, 'bin', 'node') : process.execPath;

function testFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...testFiles(path));
    else if (entry.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const files = readdirSync('packages')
  .map((name) => join('packages', name, 'test'))
  .filter((dir) => statSync(dir, { throwIfNoEntry: false })?.isDirectory())
  .flatMap(testFiles)
  .sort();
const filter = args.filter((a, i) => a !== '--node' && args[i - 1] !== '--node');
const chosen = filter.length ? files.filter((f) => filter.some((w) => f.includes(w))) : files;

const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
process.stdout.write(`running ${chosen.length} test files on node ${version}\n`);
const result = spawnSync(node, ['--import', 'tsx', '--test', '--test-timeout=120000', ...chosen], {
  stdio: 'inherit',
  env: { ...process.env, VERDANT_LOG_LEVEL: process.env.VERDANT_LOG_LEVEL ?? 'silent' },
});
process.exit(result.status ?? 1);
