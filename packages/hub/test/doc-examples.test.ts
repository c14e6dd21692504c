import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, test } from 'node:test';
import { promisify } from 'node:util';
import * as hubIndex from '@verdant/hub';
import * as hubInternal from '@verdant/hub/internal';
import * as hubTesting from '@verdant/hub/testing';
import { assertIdle } from '@verdant/hub/testing';

// The doc comments' @examples and the README's ts blocks are meant to run as
// pasted: this runs every one of them against the built package.

const run = promisify(execFile);

afterEach(() => assertIdle());
const packageDir = join(import.meta.dirname, '..');
const srcDir = join(packageDir, 'src');

interface Example {
  name: string;
  /** The exported name the example documents; undefined on a member or a non-export. */
  documents: string | undefined;
  code: string;
}

function sourceExamples(): Example[] {
  const out: Example[] = [];
  for (const file of readdirSync(srcDir).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(join(srcDir, file), 'utf8');
    for (const [, body = '', declaration = ''] of text.matchAll(
      /\/\*\*([\s\S]*?)\*\/\n([^\n]*)/g,
    )) {
      const at = body.indexOf('@example');
      if (at < 0) continue;
      const lines = body
        .slice(at)
        .split('\n')
        .slice(1)
        .map((line) => line.replace(/^\s*\* ?/, ''));
      const end = lines.findIndex((line) => line.startsWith('@'));
      const documents =
        /^export (?:async )?(?:class|function\*?|const) (\w+)/.exec(declaration)?.[1] ?? undefined;
      out.push({
        name: `${file}: ${documents ?? declaration.trim()}`,
        documents,
        code: (end < 0 ? lines : lines.slice(0, end)).join('\n').trim(),
      });
    }
  }
  return out;
}

function readmeExamples(): Example[] {
  const text = readFileSync(join(packageDir, 'README.md'), 'utf8');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map(([, code = ''], i) => ({
    name: `README.md: ts block ${i + 1}`,
    documents: undefined,
    code,
  }));
}

test('every value the entry points export has one @example, and nothing else has one', () => {
  const exported = new Set([
    ...Object.keys(hubIndex),
    ...Object.keys(hubInternal),
    ...Object.keys(hubTesting),
  ]);
  const examples = sourceExamples();
  const stray = examples.filter((e) => e.documents === undefined || !exported.has(e.documents));
  assert.deepEqual(
    stray.map((e) => e.name),
    [],
    'examples belong on exported operations and classes only',
  );
  const count = new Map<string, number>();
  for (const e of examples) count.set(e.documents!, (count.get(e.documents!) ?? 0) + 1);
  const wrong = [...exported].filter((name) => count.get(name) !== 1);
  assert.deepEqual(wrong, [], 'each export needs exactly one @example');
});

// Examples written to files under node_modules (ignored by git and the
// linter) resolve @verdant/hub through the workspace; .mts keeps them ESM.
const workDir = mkdtempSync(join(packageDir, 'node_modules', '.doc-examples-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

const RUNNER = `
import { assertIdle } from '@verdant/hub/testing';
import { writeFileSync } from 'node:fs';
const failures = [];
for (const file of process.argv.slice(3)) {
  try {
    await import(file);
    await assertIdle();
  } catch (error) {
    failures.push(file + ': ' + (error?.stack ?? String(error)));
  }
}
writeFileSync(process.argv[2], JSON.stringify(failures));
`;

// Warnings and errors the hub logs (a thread that failed) count as a failure.
const env = { ...process.env, VERDANT_LOG_LEVEL: 'warn' };

test('every example runs as pasted and leaves the hub idle', async () => {
  const examples = [...sourceExamples(), ...readmeExamples()];
  assert.ok(examples.length > 40, `found only ${examples.length} examples`);
  const nameOf = new Map<string, string>();
  const shared: string[] = [];
  const alone: string[] = [];
  examples.forEach((e, i) => {
    const file = join(workDir, `example-${i}.mts`);
    writeFileSync(file, `${e.code}\n`);
    nameOf.set(file, e.name);
    // A program entry waits for the loop to run dry, and node:test runs its own
    // harness: those run in a process of their own.
    (/\bmain\(|node:test/.test(e.code) ? alone : shared).push(file);
  });
  const runner = join(workDir, 'runner.mjs');
  const report = join(workDir, 'failures.json');
  writeFileSync(runner, RUNNER);
  const runAlone = alone.map(async (file) => {
    try {
      const { stderr } = await run(process.execPath, ['--import', 'tsx', file], { env });
      return stderr === '' ? undefined : `${file}: wrote to stderr:\n${stderr}`;
    } catch (error) {
      return `${file}: ${String(error)}`;
    }
  });
  const { stderr } = await run(process.execPath, ['--import', 'tsx', runner, report, ...shared], {
    env,
  });
  const failures: string[] = JSON.parse(readFileSync(report, 'utf8'));
  for (const failure of await Promise.all(runAlone)) if (failure) failures.push(failure);
  const named = failures.map((f) => f.replace(/^[^:]*\.mts/, (file) => nameOf.get(file) ?? file));
  assert.deepEqual(named, []);
  assert.equal(stderr, '', 'an example logged a warning or an error');
});
