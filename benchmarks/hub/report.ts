/** Writes benchmarks/results/hub.md, hub.svg and hub.json from the measured rows. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fmt } from './measure.js';

export interface Row {
  what: string;
  unit: string;
  verdant: number;
  baseline: number;
  baselineLabel: string;
  effection: number | undefined;
  /** Verdant / baseline. */
  ratio: number;
  target: string;
  /** The target expressed in `unit` (what the chart divides by); undefined: no target. */
  targetValue: number | undefined;
  met: boolean | undefined;
}

export interface Report {
  command: string;
  node: string;
  date: string;
  seconds: number;
  /** 1-minute load average at the start and the end of the run. */
  load: string;
  rows: Row[];
  notes: string[];
}

const DIR = new URL('../results/', import.meta.url);

function previousRun(): Report | undefined {
  const file = new URL('hub.json', DIR);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Report;
  } catch {
    return undefined;
  }
}

function cell(x: number | undefined, unit: string): string {
  return x === undefined ? '—' : `${fmt(x)} ${unit}`;
}

export function markdown(r: Report, prev: Report | undefined): string {
  const lines = [
    '# Hub benchmarks',
    '',
    `Command: \`${r.command}\``,
    '',
    `Node ${r.node}, ${r.date}, 2 shared cores (1-min load average ${r.load}); whole run ${r.seconds.toFixed(1)} s.`,
    'Every figure is the median of interleaved rounds (contestants rotate order each round).',
    '',
    '| what | Verdant | baseline | effection | ratio (Verdant / baseline) | target | met? |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const row of r.rows) {
    lines.push(
      `| ${row.what} | ${cell(row.verdant, row.unit)} | ${cell(row.baseline, row.unit)} (${row.baselineLabel}) | ${cell(row.effection, row.unit)} | ${fmt(row.ratio)}× | ${row.target} | ${row.met === undefined ? '—' : row.met ? 'yes' : '**no**'} |`,
    );
  }
  if (prev !== undefined) {
    lines.push(
      '',
      `Previous run (Node ${prev.node}, ${prev.date}, load ${prev.load ?? '?'}), to show the noise between runs:`,
      '',
      '| what | Verdant | baseline | ratio |',
      '|---|---|---|---|',
    );
    for (const row of prev.rows) {
      lines.push(
        `| ${row.what} | ${cell(row.verdant, row.unit)} | ${cell(row.baseline, row.unit)} | ${fmt(row.ratio)}× |`,
      );
    }
  }
  lines.push('', '## Notes', '', ...r.notes.map((n) => `- ${n}`), '', '![chart](hub.svg)', '');
  return lines.join('\n');
}

const COLORS = { verdant: '#2e7d32', baseline: '#78909c', effection: '#8e24aa' } as const;

/** Bars of value / target on a log scale; the target is the line at 1. */
export function svg(r: Report): string {
  const rows = r.rows.filter((row) => row.targetValue !== undefined);
  const W = 760;
  const left = 20;
  const right = 20;
  const top = 50;
  const barH = 14;
  const groupH = 18 + 3 * barH + 10;
  const H = top + rows.length * groupH + 30;
  const lo = -2;
  const hi = 3;
  const r1 = (v: number): string => v.toFixed(1);
  const x = (v: number): number => {
    const l = Math.min(hi, Math.max(lo, Math.log10(Math.max(v, 1e-9))));
    return left + ((l - lo) / (hi - lo)) * (W - left - right);
  };
  const esc = (s: string): string =>
    s.replace(/`/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    '<text x="10" y="18" font-size="14" font-weight="bold">Verdant hub: measured / target, log scale (left of the red line: target met)</text>',
    `<text x="10" y="34" fill="#555">Node ${esc(r.node)}, ${esc(r.date)}; bars: Verdant (green), baseline (grey), effection (purple)</text>`,
  ];
  for (let p = lo; p <= hi; p++) {
    const gx = r1(x(10 ** p));
    out.push(
      `<line x1="${gx}" y1="${top - 4}" x2="${gx}" y2="${H - 26}" stroke="#e4e4e4"/>`,
      `<text x="${gx}" y="${H - 12}" text-anchor="middle" fill="#555">${10 ** p}×</text>`,
    );
  }
  rows.forEach((row, i) => {
    const y0 = top + i * groupH;
    out.push(
      `<text x="${left}" y="${y0 + 11}" font-weight="bold">${esc(row.what)} (target ${esc(row.target)})</text>`,
    );
    const bars: [keyof typeof COLORS, number | undefined, string][] = [
      ['verdant', row.verdant, 'Verdant'],
      ['baseline', row.baseline, row.baselineLabel],
      ['effection', row.effection, 'effection'],
    ];
    bars.forEach(([key, v, label], j) => {
      if (v === undefined) return;
      const ratio = v / row.targetValue!;
      const y = y0 + 16 + j * barH;
      const end = x(ratio);
      const text = `${esc(label)} ${fmt(v)} ${esc(row.unit)} = ${fmt(ratio)}× target`;
      // Long bars carry their label inside, in white; short ones after their end.
      const inside = end > W - 260;
      out.push(
        `<rect x="${left}" y="${y}" width="${r1(Math.max(1, end - left))}" height="${barH - 3}" fill="${COLORS[key]}"/>`,
        inside
          ? `<text x="${r1(end - 4)}" y="${y + barH - 5}" text-anchor="end" fill="white">${text}</text>`
          : `<text x="${r1(end + 4)}" y="${y + barH - 5}" fill="#222">${text}</text>`,
      );
    });
  });
  const tx = r1(x(1));
  out.push(
    `<line x1="${tx}" y1="${top - 8}" x2="${tx}" y2="${H - 26}" stroke="#d32f2f" stroke-width="2"/>`,
    `<text x="${tx}" y="${top - 10}" text-anchor="middle" fill="#d32f2f">target</text>`,
    '</svg>',
  );
  return `${out.join('\n')}\n`;
}

export function writeResults(r: Report): void {
  const prev = previousRun();
  writeFileSync(new URL('hub.md', DIR), markdown(r, prev));
  writeFileSync(new URL('hub.svg', DIR), svg(r));
  writeFileSync(new URL('hub.json', DIR), `${JSON.stringify(r, null, 2)}\n`);
}
