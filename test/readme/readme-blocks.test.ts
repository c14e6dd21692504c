/**
 * Every ```ts, ```js and ```sh block of the READMEs runs as pasted: ts/js
 * blocks from a temp file inside the repo (so the workspace packages
 * resolve), with tsx; sh blocks with bash at the repo's root. A block that
 * must not run here is listed in EXCLUDED with its reason, never skipped
 * silently, and an exclusion that matches no block fails the test.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, test } from 'node:test';
import { assertIdle } from '@verdant/hub/testing';

afterEach(() => assertIdle());

const ROOT = join(import.meta.dirname, '..', '..');
const READMES = [
  'README.md',
  ...readdirSync(join(ROOT, 'packages')).map((p) => `packages/${p}/README.md`),
  'examples/README.md',
  'benchmarks/README.md',
].filter((f) => readdirSync(join(ROOT, f, '..')).includes('README.md'));

/** Blocks not run, by README and the start of their first line, each with why. */
const EXCLUDED: { file: string; startsWith: string; reason: string }[] = [
  {
    file: 'README.md',
    startsWith: 'npx pnpm@10 install --frozen-lockfile && npx pnpm@10 demo',
    reason: 'the two install commands: this test runs inside the installed, built workspace',
  },
  {
    file: 'README.md',
    startsWith: 'npx pnpm@10 build && npx pnpm@10 -r pack',
    reason:
      'packs and npm-installs into a fresh folder (a minute, from the registry): test/packaging/pack-install.test.ts does exactly this, with checks',
  },
];

interface Block {
  file: string;
  line: number;
  lang: 'ts' | 'js' | 'sh';
  code: string;
}

function blocks(file: string): Block[] {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const found: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|js|sh)\s*$/.exec(lines[i]!);
    if (open === null) continue;
    const end = lines.indexOf('```', i + 1);
    assert.ok(end > i, `${file}:${i + 1}: a code block that never closes`);
    found.push({
      file,
      line: i + 1,
      lang: open[1] as Block['lang'],
      code: lines.slice(i + 1, end).join('\n'),
    });
    i = end;
  }
  return found;
}

const WORK = join(ROOT, 'tmp', `readme-blocks-${process.pid}`);
mkdirSync(WORK, { recursive: true });
after(() => rmSync(WORK, { recursive: true, force: true }));

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
      (error, stdout, stderr) =>
        error === null
          ? resolve(stdout)
          : reject(new Error(`${error.message}\nstdout: ${stdout}\nstderr: ${stderr}`)),
    );
  });
}

const all = READMES.flatMap(blocks);
const used = new Set<number>();

for (const block of all) {
  const first = block.code.trimStart().split('\n')[0]!;
  const excluded = EXCLUDED.findIndex(
    (e) => e.file === block.file && first.startsWith(e.startsWith),
  );
  const name = `${block.file}:${block.line} (${block.lang}) runs as pasted`;
  if (excluded >= 0) {
    used.add(excluded);
    test(name, { skip: EXCLUDED[excluded]!.reason });
    continue;
  }
  test(name, async () => {
    if (block.lang === 'sh') {
      await run('bash', ['-euo', 'pipefail', '-c', block.code]);
      return;
    }
    const path = join(
      WORK,
      `${block.file.replaceAll('/', '-')}-${block.line}.${block.lang === 'ts' ? 'ts' : 'mjs'}`,
    );
    writeFileSync(path, `${block.code}\n`);
    await run(process.execPath, ['--import', 'tsx', path]);
  });
}

// examples/README.md gives its commands in tables: each runs to its end by itself.
const commands = [
  ...readFileSync(join(ROOT, 'examples', 'README.md'), 'utf8').matchAll(
    /^\|.*`(node --import tsx (examples\/[a-z-]+\.ts))`/gm,
  ),
];
test("examples/README.md lists its examples' commands", () => {
  assert.ok(commands.length >= 10, `found ${commands.length}`);
});
for (const [, command, script] of commands) {
  test(`examples/README.md: \`${command}\` exits 0`, async () => {
    await run(process.execPath, ['--import', 'tsx', script!]);
  });
}

test('every exclusion names a block that exists', () => {
  const stale = EXCLUDED.filter((_, i) => !used.has(i));
  assert.deepEqual(stale, []);
});
