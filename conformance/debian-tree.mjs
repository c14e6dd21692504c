// Node's own test tree, from Debian's nodejs source package. The machine's
// apt has no deb-src lines, so apt gets a private configuration under the
// cache (its own sources list, state and cache dirs) pointing at the archive
// the machine's own sources name. apt checks the InRelease signature and the
// Sources index hashes; the orig tarball's sha256 is checked here again
// against that index before anything is unpacked. Node's files stay in the
// cache, never in the repo.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Debian releases searched for a nodejs source package, oldest first. */
const SUITES = ['trixie', 'forky', 'sid'];
const KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';
/** What is unpacked from the tarball's `test/`. */
const PARTS = ['common', 'fixtures', 'parallel'];

/** Where trees and apt's private state live: outside the repo. */
export function cacheRoot() {
  if (process.env.VERDANT_CONFORMANCE_CACHE) return process.env.VERDANT_CONFORMANCE_CACHE;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'verdant-conformance');
}

/**
 * The test tree for a Node binary of version `[major, minor, patch]`:
 * `{ dir, version }`, `dir` holding `test/common`, `test/fixtures`,
 * `test/parallel` of Node `version` (Debian's upstream version).
 */
export function testTree(binaryVersion, log) {
  const root = cacheRoot();
  const choiceFile = join(root, `choice-v${binaryVersion.join('.')}.json`);
  if (existsSync(choiceFile)) {
    const choice = JSON.parse(readFileSync(choiceFile, 'utf8'));
    if (existsSync(join(choice.dir, '.complete'))) return choice;
  }
  const apt = privateApt(join(root, 'apt'));
  log('apt-get update (private deb-src config)');
  apt.run(['update']);
  const debVersion = chooseVersion(apt.sourceVersions(), binaryVersion);
  const upstream = upstreamOf(debVersion);
  const dir = join(root, 'trees', upstream);
  if (!existsSync(join(dir, '.complete'))) fetchTree(apt, debVersion, dir, root, log);
  const choice = { dir, version: upstream, debian: debVersion };
  writeFileSync(choiceFile, `${JSON.stringify(choice, null, 2)}\n`);
  return choice;
}

/** The archive the machine's own apt sources name (deb822 or one-line form). */
function machineArchive() {
  const texts = [];
  const dir = '/etc/apt/sources.list.d';
  if (existsSync(dir))
    for (const f of readdirSync(dir).sort())
      if (f.endsWith('.sources') || f.endsWith('.list'))
        texts.push(readFileSync(join(dir, f), 'utf8'));
  if (existsSync('/etc/apt/sources.list'))
    texts.push(readFileSync('/etc/apt/sources.list', 'utf8'));
  const uris = texts.flatMap((t) => [
    ...[...t.matchAll(/^URIs:\s*(.+)$/gm)].flatMap((m) => m[1].split(/\s+/)),
    ...[...t.matchAll(/^deb(?:-src)?\s+(?:\[[^\]]*\]\s+)?(\S+)/gm)].map((m) => m[1]),
  ]);
  // The main archive, not the security one (it carries no older suites' nodejs).
  return uris.find((u) => /\/debian\/?$/.test(u)) ?? 'http://deb.debian.org/debian';
}

/** apt-get/apt-cache with their own sources list, state and cache under `dir`. */
function privateApt(dir) {
  for (const sub of [
    'etc/apt.conf.d',
    'etc/preferences.d',
    'etc/sources.list.d',
    'state/lists/partial',
    'cache/archives/partial',
  ])
    mkdirSync(join(dir, sub), { recursive: true });
  const archive = machineArchive();
  writeFileSync(
    join(dir, 'etc/sources.list'),
    SUITES.map((s) => `deb-src [signed-by=${KEYRING}] ${archive} ${s} main\n`).join(''),
  );
  const options = [
    `Dir::Etc=${join(dir, 'etc')}`,
    `Dir::State=${join(dir, 'state')}`,
    `Dir::Cache=${join(dir, 'cache')}`,
    'Dir::State::status=/var/lib/dpkg/status',
    // The download dir is ours, not _apt's: no sandbox user to hand it to.
    'APT::Sandbox::User=root',
  ].flatMap((o) => ['-o', o]);
  const call = (tool, args, cwd) => {
    const r = spawnSync(tool, [...options, ...args], { cwd, encoding: 'utf8' });
    if (r.status !== 0)
      throw new Error(`${tool} ${args.join(' ')} failed (${r.status}):\n${r.stderr || r.stdout}`);
    return r.stdout;
  };
  return {
    dir,
    run: (args, cwd) => call('apt-get', ['-q', ...args], cwd),
    /** Every nodejs source version the suites carry. */
    sourceVersions: () =>
      [...call('apt-cache', ['showsrc', 'nodejs']).matchAll(/^Version:\s*(\S+)$/gm)].map(
        (m) => m[1],
      ),
  };
}

/** `24.21.0+dfsg+~cs24.13.4-1` → `24.21.0`. */
function upstreamOf(debVersion) {
  return debVersion.replace(/^\d+:/, '').match(/^\d+\.\d+\.\d+/)[0];
}

/**
 * The source version for a binary: the same release line, nearest release;
 * with no such line in Debian, the newest 20.x (tests that fail unpatched on
 * the binary are not scored, so an older tree is still a fair measure).
 */
function chooseVersion(versions, [major, minor, patch]) {
  const parsed = versions.map((v) => ({ v, n: upstreamOf(v).split('.').map(Number) }));
  const distance = (n) => Math.abs(n[1] - minor) * 1000 + Math.abs(n[2] - patch);
  const same = parsed.filter((p) => p.n[0] === major).sort((a, b) => distance(a.n) - distance(b.n));
  if (same.length) return same[0].v;
  const twenty = parsed
    .filter((p) => p.n[0] === 20)
    .sort((a, b) => b.n[1] - a.n[1] || b.n[2] - a.n[2]);
  if (twenty.length) return twenty[0].v;
  throw new Error(
    `no nodejs source package in ${SUITES.join('/')} (found: ${versions.join(', ')})`,
  );
}

function fetchTree(apt, debVersion, dir, root, log) {
  const dl = join(root, 'downloads', debVersion);
  mkdirSync(dl, { recursive: true });
  // The orig tarball and its sha256 as the signed Sources index gives them
  // (asked from an empty dir: apt leaves out files already in its cwd).
  const uris = apt.run(['source', '--print-uris', '--tar-only', `nodejs=${debVersion}`], apt.dir);
  const entry = [
    ...uris.matchAll(/^'[^']+'\s+(\S+\.orig\.tar\.\w+)\s+\d+\s+SHA256:([0-9a-f]{64})$/gm),
  ][0];
  if (!entry) throw new Error(`no orig tarball with a SHA256 in apt's answer:\n${uris}`);
  const [, tarball, sha256] = entry;
  const path = join(dl, tarball);
  if (!existsSync(path) || sha256Of(path) !== sha256) {
    log(`apt-get source --download-only nodejs=${debVersion}`);
    try {
      apt.run(['source', '--download-only', '--tar-only', `nodejs=${debVersion}`], dl);
    } catch (error) {
      // Only the main orig tarball is needed: a missing component tarball
      // (orig-types-node...) does not matter once the main one has arrived.
      if (!existsSync(path)) throw error;
      log(`(apt could not fetch every tarball of the package; ${tarball} arrived)`);
    }
  }
  const got = sha256Of(path);
  if (got !== sha256)
    throw new Error(`${tarball}: sha256 ${got}, the Sources index says ${sha256}`);
  log(`${tarball}: sha256 ${sha256} matches the Sources index`);

  const members = execFileSync('tar', ['-tJf', path], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const top = members.match(/^([^/\n]+)\/test\/parallel\/$/m)?.[1];
  if (!top) throw new Error(`${tarball} has no test/parallel`);
  const staging = `${dir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  execFileSync('tar', [
    '-xJf',
    path,
    '-C',
    staging,
    '--strip-components=1',
    ...PARTS.map((p) => `${top}/test/${p}`),
  ]);
  writeFileSync(join(staging, '.complete'), `${debVersion}\n${sha256}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
}

function sha256Of(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
