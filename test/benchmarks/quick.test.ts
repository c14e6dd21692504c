/**
 * Every benchmark, in quick (smoke) mode, end to end: it must exit 0 and
 * write its report (Markdown naming the command and the machine, and an SVG
 * chart) to the folder it is given. No figure is asserted: a smoke run's
 * figures mean nothing.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { assertIdle } from '@verdant/hub/testing';
import { benchmarks } from '../../benchmarks/run.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'verdant-bench-test-'));

afterEach(() => assertIdle());
after(() => rmSync(out, { recursive: true, force: true }));

test('every benchmark file is found', () => {
  for (const name of [
    'hub',
    'coordination',
    'echo',
    'patcher',
    'tpool',
    'subprocess',
    'libraries',
    'fastify',
    'attribution',
  ]) {
    assert.ok(benchmarks().includes(name), `${name} in ${benchmarks().join(', ')}`);
  }
});

for (const name of benchmarks()) {
  test(`${name} benchmark runs end to end in quick mode and writes its report`, async () => {
    const dir = join(out, name);
    await run(process.execPath, ['--import', 'tsx', `benchmarks/${name}.bench.ts`, '--quick'], {
      cwd: root,
      env: { ...process.env, BENCH_RESULTS_DIR: dir },
      timeout: 110_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    const files = readdirSync(dir);
    const md = files.filter((f) => f.endsWith('.md'));
    assert.ok(md.length >= 1, `a Markdown report in ${files.join(', ')}`);
    for (const f of md) {
      const text = readFileSync(join(dir, f), 'utf8');
      assert.match(text, /^Command: `.*--quick.*`$/m, `${f} names its command`);
      assert.match(text, /^Machine: .+, \d+ cores .*Node v\d+/m, `${f} names the machine`);
      assert.match(text, /Load average at the start \d/, `${f} gives the load at the start`);
      assert.match(text, /Quick \(smoke\) run/, `${f} says it is a smoke run`);
    }
    const svg = files.filter((f) => f.endsWith('.svg'));
    assert.ok(svg.length >= 1, `a chart in ${files.join(', ')}`);
    for (const f of svg)
      assert.match(readFileSync(join(dir, f), 'utf8'), /^<svg [\s\S]*<\/svg>\s*$/);
  });
}
