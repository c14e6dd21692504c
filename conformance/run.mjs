// Node's own tests under monkeyPatch(), as gevent runs CPython's under
// patch_all(): each chosen test/parallel file runs unpatched, and those that
// pass run again with a preload that calls monkeyPatch(); a regression is
// re-run with one flag at a time to name the flag behind it. See README.md.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { nodeBinary, versionOf } from '../scripts/node-binary.mjs';
import { cacheRoot, testTree } from './debian-tree.mjs';
import { judge, readKnownFailures } from './known-failures.mjs';
import { familyTable, flagTable, regressionLines } from './report.mjs';
import { checkSandbox, runTest } from './sandbox.mjs';
import { FAMILIES, selectTests } from './test-selection.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const patcher = resolve(here, '..', 'packages', 'patcher', 'dist');
const log = (line) => process.stdout.write(`${line}\n`);

const { values: opts } = parseArgs({
  // pnpm passes the `--` of `pnpm conformance -- --family x` through.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    family: { type: 'string' }, // comma list; default every family
    except: { type: 'string' }, // comma list of families left out
    node: { type: 'string' }, // 22 | 24: a pinned binary instead of this one
    jobs: { type: 'string', default: '2' },
    only: { type: 'string' }, // comma list of test names
    timeout: { type: 'string', default: '60' }, // seconds per unpatched run (patched: see score)
    patch: { type: 'string' }, // monkeyPatch's argument as JSON, e.g. '{"thread":false}'
    'no-attribute': { type: 'boolean', default: false },
    json: { type: 'string' }, // where to write every result
    keep: { type: 'boolean', default: false }, // keep the laid-out tree
  },
});

const list = (s) =>
  s
    ? s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    : undefined;
const except = list(opts.except) ?? [];
const families = (list(opts.family) ?? Object.keys(FAMILIES)).filter((f) => !except.includes(f));
const jobs = Number(opts.jobs);
const timeoutMs = Number(opts.timeout) * 1000;
if (!(jobs >= 1) || !(timeoutMs > 0)) throw new RangeError('--jobs and --timeout must be positive');

if (!existsSync(join(patcher, 'cjs', 'index.js')))
  throw new Error(`${patcher} is not built: run npx pnpm@10 build first`);
// The flag table is sealed behind the patcher's exports map; the in-repo runner reads its build.
const { FLAG_NAMES } = await import(pathToFileURL(join(patcher, 'esm', 'flags.js')).href);

checkSandbox(log);
const node = nodeBinary(opts.node);
const version = versionOf(node);
const tree = testTree(version, log);
const tests = selectTests(tree.dir, families, list(opts.only));
if (tests.length === 0) throw new Error('no test matches --family/--only');
log(`node v${version.join('.')} on Node ${tree.version}'s tests (Debian ${tree.debian}):`);
log(`${tests.length} tests in ${families.join(', ')}; ${jobs} at a time, ${opts.timeout}s each`);

const root = layOut(tree.dir, tests);
const preloads = writePreloads(root);
const known = readKnownFailures(join(here, 'known-failures'));
const started = performance.now();
const results = new Array(tests.length);
let done = 0;
await pool(tests, jobs, async (test, slot, i) => {
  const result = (results[i] = await score(test, slot));
  if (result.regression)
    log(
      `  regression: ${test.file} (${result.patched.status}, ${result.blame ?? 'not attributed'})`,
    );
  if (++done % 50 === 0) log(`  ${done}/${tests.length} done`);
});
const seconds = Math.round((performance.now() - started) / 1000);
if (!opts.keep) rmSync(root, { recursive: true, force: true });

const verdict = judge(results, known);
const out = opts.json ?? join(cacheRoot(), 'results', `v${version.join('.')}.json`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ node: version.join('.'), tree, families, seconds, results }, null, 1)}\n`,
);

log(`\n${familyTable(results, families)}\n`);
if (results.some((r) => r.regression)) {
  log(`${flagTable(results)}\n\nregressions (flag = the flag that alone reproduces it):`);
  log(regressionLines(results, known));
}
const flaky = results.filter((r) => r.flaky);
if (flaky.length)
  log(`\nfailed once patched, passed on a rerun: ${flaky.map((r) => r.file).join(', ')}`);
if (verdict.unexpected.length)
  log(`\nFAIL: ${verdict.unexpected.length} regressions are not in conformance/known-failures`);
for (const r of verdict.fixed)
  log(`FAIL ${r.file} passes now: remove it from conformance/known-failures`);
log(`\n${seconds}s; every result in ${out}`);
const scored = results.filter((r) => r.unpatched.status === 'pass').length;
const failed = verdict.unexpected.length + verdict.fixed.length;
log(`conformance: ${scored - failed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;

/** Unpatched, then patched; a regression is re-run per flag to find its cause. */
async function score(test, slot) {
  const run = (preload, limit = timeoutMs) =>
    runTest({ node, root, file: test.file, preload, slot, timeoutMs: limit });
  const result = { ...test, unpatched: await run(undefined) };
  if (result.unpatched.status !== 'pass') return result;
  // A patched run that takes far longer than the unpatched one is a hang: do not wait the full limit.
  const patchedRun = (preload) =>
    run(preload, Math.min(timeoutMs, 10_000 + 4 * result.unpatched.ms));
  result.patched = await patchedRun(preloads.all);
  if (result.patched.status === 'pass') return result;
  result.regression = true;
  if (opts['no-attribute']) return result;
  result.alone = {};
  for (const flag of FLAG_NAMES) result.alone[flag] = (await patchedRun(preloads[flag])).status;
  const failing = FLAG_NAMES.filter((f) => result.alone[f] !== 'pass');
  if (failing.length === FLAG_NAMES.length) result.blame = 'any';
  else if (failing.length) result.blame = failing.join('+');
  else if ((await patchedRun(preloads.all)).status === 'pass') {
    result.regression = false; // not reproducible: reported, not scored
    result.flaky = true;
  } else result.blame = 'combined';
  return result;
}

/** A temp dir holding test/common, test/fixtures and the chosen test/parallel files. */
function layOut(treeDir, chosen) {
  const dir = mkdtempSync(join(tmpdir(), 'verdant-conformance-'));
  for (const part of ['common', 'fixtures'])
    cpSync(join(treeDir, 'test', part), join(dir, 'test', part), { recursive: true });
  mkdirSync(join(dir, 'test', 'parallel'));
  for (const { file } of chosen)
    cpSync(join(treeDir, 'test', 'parallel', file), join(dir, 'test', 'parallel', file));
  return dir;
}

/**
 * `--require` files: `all` calls monkeyPatch() (or monkeyPatch(<--patch>)),
 * `<flag>` monkeyPatch({ <flag>: true }).
 */
function writePreloads(dir) {
  const index = JSON.stringify(join(patcher, 'cjs', 'index.js'));
  const files = { all: opts.patch ? JSON.stringify(JSON.parse(opts.patch)) : '' };
  for (const flag of FLAG_NAMES) files[flag] = JSON.stringify({ [flag]: true });
  mkdirSync(join(dir, 'preload'));
  return Object.fromEntries(
    Object.entries(files).map(([name, arg]) => {
      const path = join(dir, 'preload', `${name}.cjs`);
      writeFileSync(path, `require(${index}).monkeyPatch(${arg});\n`);
      return [name, path];
    }),
  );
}

/** Runs `work(item, slot, index)` over `items`, `jobs` at once; `slot` is the lane's number. */
async function pool(items, jobs, work) {
  let next = 0;
  const lane = async (slot) => {
    while (next < items.length) {
      const i = next++;
      await work(items[i], slot, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, (_, slot) => lane(slot)));
}
