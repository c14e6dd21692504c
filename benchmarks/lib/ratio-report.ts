/**
 * The report of a benchmark whose rows are "Verdant against a floor, with
 * the peers beside" (hub, coordination): one table of medians and per-round
 * ratios, every round's figures, and a chart of × floor on a log scale.
 */
import { fmt, formatSpread } from './format.js';
import { barChart, COLORS, header, type Run, table, writeResults } from './report.js';
import { byKey, type Measured, pairRatio } from './rounds.js';

export interface RatioRow {
  what: string;
  unit: string;
  /** Contestants keyed 'verdant', 'floor' and optionally 'effect', 'effection', others. */
  measured: Measured[];
  /** The target from DESIGN.md, as text, and whether Verdant's median meets it. */
  target?: { text: string; met: (verdant: Measured) => boolean };
}

const PEERS: [key: string, name: string][] = [
  ['effect', 'Effect 4'],
  ['effection', 'effection 4'],
];

const COLOR: Record<string, string> = {
  verdant: COLORS.verdant,
  floor: COLORS.baseline,
  effect: COLORS.effect,
  effection: COLORS.effection,
};

/**
 * A target on Verdant's median ratio to the floor.
 *
 * @example
 * const row: RatioRow = { what, unit: 'µs', measured, target: atMostFloor(2) };
 */
export function atMostFloor(x: number): RatioRow['target'] {
  return { text: `≤ ${x}× floor`, met: (v) => v.ratio !== undefined && v.ratio.median <= x };
}

/** How to read the table, for the paragraph above it. */
function howToRead(rounds: string): string {
  return `Every figure is a median over ${rounds} alternating rounds (the contestants' order rotates each round). "× floor" is the median of per-round ratios (a contestant's figure over the floor's in the same round), with the lowest and highest round in brackets; "<peer> / Verdant" likewise, round by round (above 1: Verdant is ahead). Lower is better in every row.`;
}

/** floor, Verdant, Verdant × floor, target, met?, then each peer's median and peer / Verdant. */
function ratioTable(rows: RatioRow[]): string {
  return table(
    [
      'what',
      'floor',
      'Verdant',
      'Verdant × floor',
      'target',
      'met?',
      ...PEERS.flatMap(([, name]) => [name, `${name} / Verdant`]),
    ],
    rows.map((row) => {
      const verdant = byKey(row.measured, 'verdant');
      const floor = byKey(row.measured, 'floor');
      const u = ` ${row.unit}`;
      return [
        row.what,
        `${fmt(floor.value.median)}${u}`,
        `${fmt(verdant.value.median)}${u}`,
        verdant.ratio ? formatSpread(verdant.ratio, '×') : '—',
        row.target?.text ?? '—',
        row.target === undefined ? '—' : row.target.met(verdant) ? 'yes' : '**no**',
        ...PEERS.flatMap(([key]) => {
          const peer = row.measured.find((m) => m.key === key);
          if (peer === undefined) return ['—', '—'];
          const vs = pairRatio(peer, verdant);
          return [`${fmt(peer.value.median)}${u}`, vs ? formatSpread(vs, '×') : '—'];
        }),
      ];
    }),
    ['left', 'right', 'right', 'right', 'left', 'left', 'right', 'right', 'right', 'right'],
  );
}

/** Every contestant's label and figure in every round, row by row (Markdown lines). */
function everyRound(rows: RatioRow[]): string[] {
  return rows.flatMap((row) => [
    `**${row.what}** (${row.unit}):`,
    '',
    ...row.measured.map(
      (m) =>
        `- ${m.label}: ${m.values.map(fmt).join(', ')}${m.ratio ? `; × floor ${formatSpread(m.ratio, '×')}` : ' (the floor)'}`,
    ),
    '',
  ]);
}

/** One group per row, one bar per contestant: its median × floor on a log scale, the floor at 1. */
function ratioChart(title: string, rows: RatioRow[], run: Run): string {
  return barChart({
    caption: `${title}: × the raw floor (median of per-round ratios), log scale, lower is better`,
    subtitle: `${run.quick ? 'QUICK SMOKE RUN, figures mean nothing; ' : ''}Node ${process.version}`,
    scale: { log: [-1, 4], mark: { at: 1, label: 'floor' } },
    width: 820,
    groups: rows.map((row) => ({
      title: `${row.what}${row.target ? ` (target ${row.target.text})` : ''}`,
      bars: row.measured
        .filter((m) => m.key in COLOR)
        .map((m) => ({
          label: m.key,
          value: m.ratio?.median ?? 1,
          color: COLOR[m.key]!,
          text: m.ratio
            ? `${formatSpread(m.ratio, '×')} = ${fmt(m.value.median)} ${row.unit}`
            : `${fmt(m.value.median)} ${row.unit}`,
        })),
    })),
  });
}

/** What the JSON beside the report keeps: the run, and every row with its rounds. */
function ratioJson(run: Run, rows: RatioRow[], notes: string[]): unknown {
  return {
    command: run.command,
    node: process.version,
    peers: run.peers,
    quick: run.quick,
    rows: rows.map((r) => ({
      what: r.what,
      unit: r.unit,
      target: r.target?.text,
      measured: r.measured,
    })),
    notes,
  };
}

/**
 * Writes <name>.md (the header, how to read it, the table, every round, the
 * notes), <name>.svg and <name>.json.
 *
 * @example
 * writeRatioReport('hub', 'Hub benchmarks', run, { rounds: '7', rows, notes });
 */
export function writeRatioReport(
  name: string,
  title: string,
  run: Run,
  report: { rounds: string; rows: RatioRow[]; notes: string[] },
): void {
  const { rounds, rows, notes } = report;
  const md = [
    header(title, run),
    '',
    howToRead(rounds),
    '',
    ratioTable(rows),
    '',
    '## Every contestant, every round',
    '',
    ...everyRound(rows),
    '## Notes',
    '',
    ...notes.map((n) => `- ${n}`),
    '',
    `![chart](${name}.svg)`,
    '',
  ].join('\n');
  const svg = ratioChart(title.replace(/ benchmarks$/, ''), rows, run);
  writeResults(name, { md, svg, json: ratioJson(run, rows, notes) });
}
