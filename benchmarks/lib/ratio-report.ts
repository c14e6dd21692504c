/**
 * The report of a benchmark whose rows are "Verdant against a floor, with
 * the peers beside" (hub, coordination): one table of medians and per-round
 * ratios, every round's figures, and a chart of × floor on a log scale.
 */
import { fmt, formatSpread } from './format.js';
import { barChart, COLORS, type Run, table } from './report.js';
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
export function howToRead(rounds: string): string {
  return `Every figure is a median over ${rounds} alternating rounds (the contestants' order rotates each round). "× floor" is the median of per-round ratios (a contestant's figure over the floor's in the same round), with the lowest and highest round in brackets; "<peer> / Verdant" likewise, round by round (above 1: Verdant is ahead). Lower is better in every row.`;
}

/** floor, Verdant, Verdant × floor, target, met?, then each peer's median and peer / Verdant. */
export function ratioTable(rows: RatioRow[]): string {
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
export function everyRound(rows: RatioRow[]): string[] {
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
export function ratioChart(title: string, rows: RatioRow[], run: Run): string {
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
export function ratioJson(run: Run, rows: RatioRow[], notes: string[]): unknown {
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
