/**
 * The report of a benchmark whose rows are "Verdant against one raw
 * alternative" (patcher, tpool, subprocess): each row's two medians, CPU per
 * operation where measured, and the median of per-round ratios with its
 * spread; the chart draws the two medians per row.
 */
import { fmt, formatSpread } from './format.js';
import { barChart, table, versus } from './report.js';
import { byKey, type Measured } from './rounds.js';

export interface PairRow {
  what: string;
  unit: string;
  /** 'higher' for rates, 'lower' for costs. */
  better: 'higher' | 'lower';
  /** Labels of the floor's side and Verdant's side. */
  sides: [floor: string, verdant: string];
  /** Keyed 'floor' and 'verdant'. */
  measured: Measured[];
  target?: string;
}

function side(m: Measured, unit: string): string {
  const cpu = m.cpu ? `, CPU ${fmt(m.cpu.median)} µs/op` : '';
  return `${fmt(m.value.median)} ${unit}${cpu}`;
}

/** One line per row: both sides, Verdant / floor per round, the same for CPU where measured. */
export function pairTable(rows: PairRow[]): string {
  const anyCpu = rows.some((r) => byKey(r.measured, 'verdant').cpuRatio !== undefined);
  const anyTarget = rows.some((r) => r.target !== undefined);
  return table(
    [
      'what',
      'floor',
      'Verdant',
      'Verdant / floor (per round)',
      ...(anyCpu ? ['CPU Verdant / floor'] : []),
      ...(anyTarget ? ['target'] : []),
    ],
    rows.map((r) => {
      const floor = byKey(r.measured, 'floor');
      const verdant = byKey(r.measured, 'verdant');
      return [
        `${r.what} (${r.better} is better)`,
        `${r.sides[0]}: ${side(floor, r.unit)}`,
        `${r.sides[1]}: ${side(verdant, r.unit)}`,
        verdant.ratio ? formatSpread(verdant.ratio, '×') : '—',
        ...(anyCpu ? [verdant.cpuRatio ? formatSpread(verdant.cpuRatio, '×') : '—'] : []),
        ...(anyTarget ? [r.target ?? '—'] : []),
      ];
    }),
  );
}

/** Every round's figures, row by row (Markdown lines). */
export function pairRounds(rows: PairRow[]): string[] {
  return rows.flatMap((r) =>
    r.measured.map(
      (m) =>
        `- ${r.what}, ${m.label}: ${m.values.map(fmt).join(', ')} ${r.unit}${m.cpuUs.length ? `; CPU µs/op ${m.cpuUs.map(fmt).join(', ')}` : ''}`,
    ),
  );
}

/** Two bars per row, Verdant's and the floor's medians, each row on its own scale. */
export function pairChart(caption: string, rows: PairRow[]): string {
  return barChart({
    caption,
    groups: rows.map((r) => {
      const verdant = byKey(r.measured, 'verdant');
      return versus(
        `${r.what}, ${r.unit}, ${r.better} is better${verdant.ratio ? ` (${formatSpread(verdant.ratio, '×')})` : ''}`,
        (v) => fmt(v),
        [r.sides[1], verdant.value.median],
        [r.sides[0], byKey(r.measured, 'floor').value.median],
      );
    }),
  });
}
