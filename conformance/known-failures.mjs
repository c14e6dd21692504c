// The accepted failures: conformance/known-failures, one test a line,
// `<test file> <reason>`, `#` comments. A run fails on a regression not in
// the list and on a listed test that passes now, so the list only shrinks.
import { readFileSync } from 'node:fs';

/** `Map<test file, reason>` from the file at `path`. */
export function readKnownFailures(path) {
  const known = new Map();
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    const [, file, reason] = line.match(/^(\S+)\s*(.*)$/);
    if (!reason) throw new Error(`${path}:${i + 1}: ${file} has no reason`);
    if (known.has(file)) throw new Error(`${path}:${i + 1}: ${file} is listed twice`);
    known.set(file, reason);
  });
  return known;
}

/**
 * Compares scored results (tests that pass unpatched) with the list:
 * `unexpected` regressions, listed tests `fixed` now, listed tests this run
 * did not score (another family, or failing unpatched on this binary).
 */
export function judge(results, known) {
  const scored = results.filter((r) => r.unpatched.status === 'pass');
  const regressed = scored.filter((r) => r.regression);
  return {
    unexpected: regressed.filter((r) => !known.has(r.file)),
    fixed: scored.filter((r) => !r.regression && known.has(r.file)),
    unscored: [...known.keys()].filter((f) => !scored.some((r) => r.file === f)),
  };
}
