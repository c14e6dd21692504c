/** The hub benchmarks' report: hub.md, hub.svg, and hub.json (the next run shows it as the previous one). */
import {
  type Bar,
  barChart,
  COLORS,
  header,
  type Run,
  readResults,
  table,
  writeResults,
} from '../lib/report.js';
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

function cell(x: number | undefined, unit: string): string {
  return x === undefined ? '—' : `${fmt(x)} ${unit}`;
}

function markdown(r: Report, run: Run, prev: Report | undefined): string {
  const lines = [
    header('Hub benchmarks', run),
    'Every figure is the median of interleaved rounds (contestants rotate order each round).',
    '',
    table(
      ['what', 'Verdant', 'baseline', 'effection', 'ratio (Verdant / baseline)', 'target', 'met?'],
      r.rows.map((row) => [
        row.what,
        cell(row.verdant, row.unit),
        `${cell(row.baseline, row.unit)} (${row.baselineLabel})`,
        cell(row.effection, row.unit),
        `${fmt(row.ratio)}×`,
        row.target,
        row.met === undefined ? '—' : row.met ? 'yes' : '**no**',
      ]),
    ),
  ];
  if (prev !== undefined) {
    lines.push(
      '',
      `Previous run (Node ${prev.node}, ${prev.date}, load ${prev.load ?? '?'}), to show the noise between runs:`,
      '',
      table(
        ['what', 'Verdant', 'baseline', 'ratio'],
        prev.rows.map((row) => [
          row.what,
          cell(row.verdant, row.unit),
          cell(row.baseline, row.unit),
          `${fmt(row.ratio)}×`,
        ]),
      ),
    );
  }
  lines.push('', '## Notes', '', ...r.notes.map((n) => `- ${n}`), '', '![chart](hub.svg)', '');
  return lines.join('\n');
}

/** Bars of value / target on a log scale; the target is the line at 1. */
function chart(r: Report): string {
  return barChart({
    caption: 'Verdant hub: measured / target, log scale (left of the red line: target met)',
    subtitle: `Node ${r.node}, ${r.date}`,
    scale: { log: [-2, 3], mark: { at: 1, label: 'target' } },
    width: 760,
    groups: r.rows
      .filter((row) => row.targetValue !== undefined)
      .map((row) => {
        const bar = (label: string, v: number | undefined, color: string): Bar[] => {
          if (v === undefined) return [];
          const ratio = v / row.targetValue!;
          return [
            { label, value: ratio, color, text: `${fmt(v)} ${row.unit} = ${fmt(ratio)}× target` },
          ];
        };
        return {
          title: `${row.what} (target ${row.target})`,
          bars: [
            ...bar('Verdant', row.verdant, COLORS.verdant),
            ...bar(row.baselineLabel, row.baseline, COLORS.baseline),
            ...bar('effection', row.effection, COLORS.effection),
          ],
        };
      }),
  });
}

export function writeReport(r: Report, run: Run): void {
  const prev = readResults<Report>('hub');
  writeResults('hub', { md: markdown(r, run, prev), svg: chart(r), json: r });
}
