/**
 * What a consumer gets from npm: the three packages packed with pnpm (which
 * turns `workspace:*` into versions), installed with npm into an app outside
 * the workspace (its other dependencies from the registry), then run from an
 * ES module and from CommonJS and type-checked with tsc --strict (nodenext).
 */
import assert from 'node:assert/strict';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { assertIdle } from '@verdant/hub/testing';
import { documentedSpecifiers, PACKAGES, ROOT, SEALED } from './entry-points.ts';
import { lastJson, runCommand } from './run-command.ts';

afterEach(() => assertIdle());

const FIXTURES = join(import.meta.dirname, 'fixtures');

/** The environment of a consumer's shell: none of the npm_* settings this run may be under. */
function consumerEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)),
  ) as NodeJS.ProcessEnv;
}

interface Manifest {
  description?: string;
  keywords?: string[];
  repository?: { type?: string; url?: string; directory?: string };
  license?: string;
  dependencies?: Record<string, string>;
}

test('the packed packages install outside the workspace and run from ESM, CJS and tsc --strict', {
  timeout: 300_000,
}, async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'verdant-pack-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const packs = join(work, 'packs');
  const app = join(work, 'app');
  mkdirSync(app);
  const env = consumerEnv();

  await t.test('pnpm -r pack makes one tarball per package', async () => {
    await runCommand('npx', ['--yes', 'pnpm@10', '-r', 'pack', '--pack-destination', packs], {
      cwd: ROOT,
      timeout: 120_000,
    });
    const names = Object.keys(PACKAGES).map((n) => `${n.slice(1).replace('/', '-')}-`);
    const tarballs = readdirSync(packs);
    for (const prefix of names) {
      assert.ok(
        tarballs.some((f) => f.startsWith(prefix) && f.endsWith('.tgz')),
        prefix,
      );
    }
  });

  await t.test('npm installs the tarballs into an app outside the workspace', async () => {
    writeFileSync(
      join(app, 'package.json'),
      `${JSON.stringify({ name: 'verdant-consumer', version: '0.0.0', private: true })}\n`,
    );
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const tarballs = readdirSync(packs).map((f) => join(packs, f));
    await runCommand(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        ...tarballs,
        `@types/node@${root.devDependencies['@types/node']}`,
      ],
      { cwd: app, env, timeout: 180_000 },
    );
  });

  await t.test('each installed package has its LICENSE and metadata, and no build info', () => {
    for (const [name, folder] of Object.entries(PACKAGES)) {
      const dir = join(app, 'node_modules', name);
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
      assert.match(
        readFileSync(join(dir, 'LICENSE'), 'utf8'),
        /MIT License[\s\S]*The Verdant authors/,
      );
      assert.equal(pkg.license, 'MIT', name);
      assert.ok(pkg.description, `${name} has a description`);
      assert.ok((pkg.keywords ?? []).length > 0, `${name} has keywords`);
      assert.deepEqual(
        pkg.repository,
        {
          type: 'git',
          url: 'https://github.com/verdant-js/verdant.git',
          directory: `packages/${folder}`,
        },
        name,
      );
      for (const [dep, range] of Object.entries(pkg.dependencies ?? {})) {
        assert.doesNotMatch(range, /^workspace:/, `${name} depends on ${dep}@${range}`);
      }
      const buildInfo = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) =>
        f.endsWith('.tsbuildinfo'),
      );
      assert.deepEqual(buildInfo, [], `${name} ships build info`);
    }
  });

  cpSync(join(FIXTURES, 'consumer'), app, { recursive: true });
  cpSync(join(FIXTURES, 'load-entry-points.mjs'), join(app, 'load-entry-points.mjs'));
  cpSync(join(FIXTURES, 'load-entry-points.cjs'), join(app, 'load-entry-points.cjs'));

  await t.test('an ES-module app and a CommonJS app do a green socket round trip', async () => {
    for (const [script, reply] of [
      ['echo.mjs', 'ping from esm'],
      ['echo.cjs', 'ping from cjs'],
    ] as const) {
      const ran = await runCommand(process.execPath, [script], { cwd: app, env });
      assert.deepEqual(
        lastJson(ran),
        { reply, greenCopy: true, original: 'function', patched: false },
        script,
      );
    }
  });

  await t.test('every documented entry point loads, and internal paths are refused', async () => {
    const specifiers = documentedSpecifiers();
    const expected = {
      ...Object.fromEntries(specifiers.map((s) => [s, 'ok'])),
      ...Object.fromEntries(SEALED.map((s) => [s, 'ERR_PACKAGE_PATH_NOT_EXPORTED'])),
    };
    for (const script of ['load-entry-points.mjs', 'load-entry-points.cjs']) {
      const ran = await runCommand(process.execPath, [script, ...specifiers, ...SEALED], {
        cwd: app,
        env,
      });
      assert.deepEqual(lastJson(ran), expected, script);
    }
  });

  await t.test(
    'a typed consumer passes tsc --strict with module nodenext, from ESM and CJS',
    async () => {
      // The workspace's TypeScript: the check is of the packages' declarations, not of a tsc download.
      const tsc = createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
      await runCommand(process.execPath, [tsc, '-p', 'tsconfig.json'], {
        cwd: app,
        env,
        timeout: 120_000,
      });
    },
  );
});
