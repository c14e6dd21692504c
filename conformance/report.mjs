// The run's tables: per family (N, pass unpatched, pass patched,
// regressions, hangs), regressions by flag, and each regression's verdict.

function table(header, rows) {
  const cells = [header, ...rows].map((r) => r.map(String));
  const width = header.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r) =>
    r.map((c, i) => (i === 0 ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  ');
  return [
    line(cells[0]),
    width.map((w) => '-'.repeat(w)).join('  '),
    ...cells.slice(1).map(line),
  ].join('\n');
}

function counts(results) {
  const scored = results.filter((r) => r.unpatched.status === 'pass');
  const regressed = scored.filter((r) => r.regression);
  return [
    results.length,
    scored.length,
    scored.length - regressed.length,
    regressed.length,
    regressed.filter((r) => r.patched.status === 'hang').length,
  ];
}

/** The per-family table, with a total row. */
export function familyTable(results, families) {
  const rows = families.map((f) => [f, ...counts(results.filter((r) => r.family === f))]);
  rows.push(['total', ...counts(results)]);
  return table(['family', 'N', 'pass unpatched', 'pass patched', 'regressions', 'hangs'], rows);
}

/** Regressions counted by the flag (or flags) that alone reproduce them. */
export function flagTable(results) {
  const byCause = new Map();
  for (const r of results.filter((x) => x.regression)) {
    const cause = r.blame ?? 'not attributed';
    byCause.set(cause, (byCause.get(cause) ?? 0) + 1);
  }
  const rows = [...byCause].sort((a, b) => b[1] - a[1]);
  return table(['flag', 'regressions'], rows);
}

/** One line per regression: family, test, how it failed patched, blamed flag, list entry. */
export function regressionLines(results, known) {
  return results
    .filter((r) => r.regression)
    .map((r) => {
      const how =
        r.patched.status === 'hang' ? 'hang' : `exit ${r.patched.code ?? r.patched.signal}`;
      const listed = known.has(r.file) ? 'known failure' : 'NOT in known-failures';
      return `  ${r.family.padEnd(13)} ${r.file.padEnd(52)} ${how.padEnd(12)} ${String(r.blame ?? '-').padEnd(8)} ${listed}`;
    })
    .join('\n');
}
