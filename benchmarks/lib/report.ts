/**
 * What every benchmark writes to benchmarks/results/: a Markdown report
 * (the command, the machine, a table, notes) and an SVG bar chart, drawn
 * here with no charting dependency. A chart is groups of horizontal bars
 * (one group per case, one bar per contestant), on a linear scale per group
 * or shared by all, or on a log scale around a marked value (a target).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

const RESULTS = new URL('../results/', import.meta.url);

/** One colour per kind of contestant, the same in every chart. */
export const COLORS = {
  verdant: '#2e8b57',
  baseline: '#888888',
  effection: '#8e24aa',
  gevent: '#4a7bd0',
  eventlet: '#d08a4a',
} as const;

/** One bar: `label` left of it, `text` (the figure) after its end. */
export interface Bar {
  label: string;
  value: number;
  color: string;
  text: string;
}

/** One case of a chart: its title, then one bar per contestant. */
export interface BarGroup {
  title: string;
  bars: Bar[];
}

/** How bar lengths are scaled. */
export type Scale =
  /** Each group to its own longest bar: compares contestants within a case. */
  | 'group'
  /** Every group to the longest bar of all: the cases compare too. */
  | 'shared'
  /** log10 from 10^lo to 10^hi, with a vertical line at `mark.at`. */
  | { log: [lo: number, hi: number]; mark: { at: number; label: string } };

export interface BarChart {
  /** The first line: what the bars are, and which way is better. */
  caption: string;
  subtitle?: string;
  groups: BarGroup[];
  /** Default `'group'`. */
  scale?: Scale;
  /** Default 640 px. */
  width?: number;
}

/**
 * The group most benchmarks draw: Verdant's bar, then its baseline's.
 *
 * @example
 * versus('latency µs', (v) => v.toFixed(1), ['Verdant', 12.3], ['raw', 10.1]);
 */
export function versus(
  title: string,
  format: (value: number) => string,
  verdant: [label: string, value: number],
  baseline: [label: string, value: number],
): BarGroup {
  return {
    title,
    bars: [
      { label: verdant[0], value: verdant[1], color: COLORS.verdant, text: format(verdant[1]) },
      { label: baseline[0], value: baseline[1], color: COLORS.baseline, text: format(baseline[1]) },
    ],
  };
}

const FONT = 12;
/** Width of a character at FONT px, roughly: enough to lay labels out without measuring. */
const CHAR = 6.6;
const BAR = 16;

/** Text as SVG content: escaped, without Markdown's backticks. */
function esc(s: string): string {
  return s.replace(/`/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function r1(v: number): string {
  return v.toFixed(1);
}

/**
 * The chart as an SVG document.
 *
 * @example
 * barChart({
 *   caption: 'µs per operation, lower is better',
 *   groups: [{ title: 'Queue', bars: [{ label: 'Verdant', value: 0.2, color: COLORS.verdant, text: '0.20 µs' }] }],
 * });
 */
export function barChart(chart: BarChart): string {
  const { caption, subtitle, groups, scale = 'group', width = 640 } = chart;
  const labels = groups.flatMap((g) => g.bars.map((b) => b.label.length));
  const left = 12 + Math.ceil(Math.max(8, ...labels) * CHAR) + 8;
  const log = typeof scale === 'object' ? scale : undefined;
  // Linear bars leave room after the longest one for its figure; log bars may carry it
  // inside, and leave room for the last tick's label.
  const span = width - left - (log ? 36 : 110);
  const shared = Math.max(...groups.flatMap((g) => g.bars.map((b) => b.value)));
  const length = (value: number, group: BarGroup): number => {
    if (log !== undefined) {
      const [lo, hi] = log.log;
      const l = Math.min(hi, Math.max(lo, Math.log10(Math.max(value, 1e-12))));
      return ((l - lo) / (hi - lo)) * span;
    }
    const max = scale === 'shared' ? shared : Math.max(...group.bars.map((b) => b.value));
    return max > 0 ? (value / max) * span : 0;
  };

  const top = subtitle === undefined ? 28 : 44;
  const body: string[] = [];
  let y = top;
  for (const group of groups) {
    y += FONT + 2;
    body.push(`<text x="4" y="${y}" font-weight="bold">${esc(group.title)}</text>`);
    y += 6;
    for (const bar of group.bars) {
      const w = Math.max(1, length(bar.value, group));
      const end = left + w;
      const textWidth = bar.text.length * CHAR;
      // A bar too long for its figure after it carries the figure inside, in white.
      const inside = end + 4 + textWidth > width;
      body.push(
        `<text x="12" y="${y + BAR - 4}">${esc(bar.label)}</text>`,
        `<rect x="${left}" y="${y}" width="${r1(w)}" height="${BAR}" fill="${bar.color}"><title>${esc(`${group.title}, ${bar.label}: ${bar.text}`)}</title></rect>`,
        inside
          ? `<text x="${r1(end - 4)}" y="${y + BAR - 4}" text-anchor="end" fill="white">${esc(bar.text)}</text>`
          : `<text x="${r1(end + 4)}" y="${y + BAR - 4}">${esc(bar.text)}</text>`,
      );
      y += BAR + 4;
    }
    y += 12;
  }

  const axis: string[] = [];
  if (log !== undefined) {
    const [lo, hi] = log.log;
    for (let p = lo; p <= hi; p++) {
      const x = r1(left + length(10 ** p, groups[0]!));
      axis.push(
        `<line x1="${x}" y1="${top}" x2="${x}" y2="${y}" stroke="#e4e4e4"/>`,
        `<text x="${x}" y="${y + 14}" text-anchor="middle" fill="#555">${10 ** p}×</text>`,
      );
    }
    const x = r1(left + length(log.mark.at, groups[0]!));
    axis.push(
      `<line x1="${x}" y1="${top}" x2="${x}" y2="${y}" stroke="#d32f2f" stroke-width="2"/>`,
      `<text x="${x}" y="${y + 28}" text-anchor="middle" fill="#d32f2f">${esc(log.mark.label)}</text>`,
    );
    y += 34;
  }

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" font-family="sans-serif" font-size="${FONT}">`,
    '<rect width="100%" height="100%" fill="white"/>',
    `<text x="4" y="16" font-size="13" fill="#222">${esc(caption)}</text>`,
    ...(subtitle === undefined ? [] : [`<text x="4" y="32" fill="#555">${esc(subtitle)}</text>`]),
    ...axis,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/**
 * A Markdown table; `align` marks columns `'right'` (figures) or `'left'`.
 *
 * @example
 * table(['case', 'µs'], [['Queue', '0.21']], ['left', 'right']);
 */
export function table(
  header: string[],
  rows: string[][],
  align: ('left' | 'right')[] = [],
): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  const rule = header.map((_, i) => (align[i] === 'right' ? '---:' : '---'));
  return [line(header), line(rule), ...rows.map(line)].join('\n');
}

/** Where and when a benchmark ran, noted when it starts. */
export interface Run {
  command: string;
  /** performance.now() at the start. */
  started: number;
  /** 1-minute load average at the start. */
  load: number;
}

/**
 * Notes the start of a run: the command that reproduces it, the time, the load.
 *
 * @example
 * const run = startRun('node --import tsx benchmarks/x.bench.ts');
 */
export function startRun(command: string): Run {
  return { command, started: performance.now(), load: loadavg()[0]! };
}

/** `2 × <CPU model>`: the machine, as every report names it. */
export function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`;
}

/** Seconds since the run started. */
export function seconds(run: Run): number {
  return (performance.now() - run.started) / 1000;
}

/** The load average at the start and now: `0.52 → 1.10`. */
export function loadSpan(run: Run): string {
  return `${run.load.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`;
}

/**
 * A report's opening: its title, the command, the machine, Node, the date,
 * the load and the run's length.
 *
 * @example
 * const md = [header('tpool benchmark', run), '', table(['what', 'jobs/s'], rows)].join('\n');
 */
export function header(title: string, run: Run): string {
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return [
    `# ${title}`,
    '',
    `Command: \`${run.command}\``,
    '',
    `Machine: ${machine()} (shared with other jobs), Node ${process.version}, ${date}; 1-min load average ${loadSpan(run)}; whole run ${seconds(run).toFixed(1)} s.`,
  ].join('\n');
}

/**
 * Writes benchmarks/results/<name>.md and <name>.svg (and <name>.json when
 * given data for the next run to read) and says so on stdout.
 *
 * @example
 * writeResults('tpool', { md, svg: barChart(chart) });
 */
export function writeResults(
  name: string,
  files: { md: string; svg: string; json?: unknown },
): void {
  const written = [`${name}.md`, `${name}.svg`];
  writeFileSync(new URL(`${name}.md`, RESULTS), files.md);
  writeFileSync(new URL(`${name}.svg`, RESULTS), files.svg);
  if (files.json !== undefined) {
    writeFileSync(new URL(`${name}.json`, RESULTS), `${JSON.stringify(files.json, null, 2)}\n`);
    written.push(`${name}.json`);
  }
  process.stdout.write(`wrote ${written.map((f) => `benchmarks/results/${f}`).join(', ')}\n`);
}

/**
 * What an earlier run left in benchmarks/results/<name>.json, if anything.
 *
 * @example
 * const previous = readResults<Report>('hub');
 */
export function readResults<T>(name: string): T | undefined {
  try {
    return JSON.parse(readFileSync(new URL(`${name}.json`, RESULTS), 'utf8')) as T;
  } catch {
    return undefined;
  }
}
