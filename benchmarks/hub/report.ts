/** The hub benchmarks' report: hub.md (tables and notes), hub.svg (× floor, log scale), hub.json. */

import { fmt, formatSpread } from '../lib/format.js';
import { barChart, COLORS, header, type Run, table, writeResults } from '../lib/report.js';
import { byKey, type Measured, pairRatio } from '../lib/rounds.js';

export interface Row {
  what: string;
  unit: string;
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

function has(ms: Measured[], key: string): boolean {
  return ms.some((m) => m.key === key);
}

function markdown(rows: Row[], run: Run, rounds: string, notes: string[]): string {
  const lines = [
    header('Hub benchmarks', run),
    '',
    `Every figure is a median over ${rounds} alternating rounds (the contestants' order rotates each round). "× floor" is the median of per-round ratios (a contestant's figure over the floor's in the same round), with the lowest and highest round in brackets; "Effect / Verdant" likewise, round by round (above 1: Verdant is ahead). Lower is better in every row.`,
    '',
    table(
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
            if (!has(row.measured, key)) return ['—', '—'];
            const peer = byKey(row.measured, key);
            const vs = pairRatio(peer, verdant);
            return [`${fmt(peer.value.median)}${u}`, vs ? formatSpread(vs, '×') : '—'];
          }),
        ];
      }),
      ['left', 'right', 'right', 'right', 'left', 'left', 'right', 'right', 'right', 'right'],
    ),
    '',
    '## Every contestant, every round',
    '',
  ];
  for (const row of rows) {
    lines.push(
      `**${row.what}** (${row.unit}):`,
      '',
      ...row.measured.map(
        (m) =>
          `- ${m.label}: ${m.values.map(fmt).join(', ')}${m.ratio ? `; × floor ${formatSpread(m.ratio, '×')}` : ' (the floor)'}`,
      ),
      '',
    );
  }
  lines.push('## Notes', '', ...notes.map((n) => `- ${n}`), '', '![chart](hub.svg)', '');
  return lines.join('\n');
}

/** One group per row, one bar per contestant: its median × floor on a log scale, the floor at 1. */
function chart(rows: Row[], run: Run): string {
  return barChart({
    caption: 'Hub: × the raw floor (median of per-round ratios), log scale, lower is better',
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

export function writeReport(rows: Row[], run: Run, rounds: string, notes: string[]): void {
  const json = {
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
  writeResults('hub', { md: markdown(rows, run, rounds, notes), svg: chart(rows, run), json });
}
