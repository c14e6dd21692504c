/**
 * What every benchmark writes to benchmarks/results/: a Markdown report
 * (the command, the machine, a table, notes) and an SVG bar chart, drawn
 * here with no charting dependency. A chart is groups of horizontal bars
 * (one group per case, one bar per contestant), on a linear scale per group
 * or shared by all, or on a log scale around a marked value (a target).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { QUICK } from './options.js';

let resultsUrl: URL | undefined;

/**
 * Where reports go: BENCH_RESULTS_DIR if set; else benchmarks/results/ for a
 * real run, and a fresh temporary folder in quick mode, so that a smoke run
 * never overwrites the committed figures.
 */
export function resultsDir(): URL {
  if (resultsUrl !== undefined) return resultsUrl;
  const chosen = process.env.BENCH_RESULTS_DIR;
  const dir =
    chosen !== undefined && chosen !== ''
      ? chosen
      : QUICK
        ? mkdtempSync(join(tmpdir(), 'verdant-bench-quick-'))
        : undefined;
  if (dir === undefined) resultsUrl = new URL('../results/', import.meta.url);
  else {
    mkdirSync(dir, { recursive: true });
    resultsUrl = pathToFileURL(join(dir, '/'));
  }
  return resultsUrl;
}

/** One colour per kind of contestant, the same in every chart. */
export const COLORS = {
  verdant: '#2e8b57',
  baseline: '#888888',
  effection: '#8e24aa',
  effect: '#e0a800',
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
  /** The command that reproduces it, with the switches it was given (`--quick`, ...). */
  command: string;
  /** performance.now() at the start. */
  started: number;
  /** 1-, 5- and 15-minute load averages at the start. */
  load: [number, number, number];
  /** The peers it measured, with their versions: `effect 4.1.0`. */
  peers: string[];
  quick: boolean;
}

/**
 * Notes the start of a run: the command that reproduces it (plus this run's
 * own switches and results directory), the time, the load, the peers' versions.
 *
 * @example
 * const run = startRun('node --import tsx benchmarks/x.bench.ts', [npmPeer('effect')]);
 */
export function startRun(command: string, peers: string[] = []): Run {
  const args = process.argv.slice(2);
  const dir = process.env.BENCH_RESULTS_DIR;
  const env =
    (dir ? `BENCH_RESULTS_DIR=${dir} ` : '') +
    (QUICK && !args.includes('--quick') ? 'BENCH_QUICK=1 ' : '');
  const [a, b, c] = loadavg() as [number, number, number];
  return {
    command: `${env}${[command, ...args].join(' ')}`,
    started: performance.now(),
    load: [a, b, c],
    peers,
    quick: QUICK,
  };
}

/**
 * `name version` of an npm package as the benchmarks resolve it.
 *
 * @example
 * npmPeer('effect'); // 'effect 4.1.0'
 */
export function npmPeer(name: string): string {
  // Read from the root's node_modules: not every package exports its package.json.
  const file = new URL(`../../node_modules/${name}/package.json`, import.meta.url);
  const { version } = JSON.parse(readFileSync(file, 'utf8')) as { version: string };
  return `${name} ${version}`;
}

/** `2 × <CPU model>`: the machine, as every chart names it. */
export function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`;
}

/** The machine in full: CPU model, cores, OS, Node. The machine's cores, not this process's affinity: a pinned bench would report 1. */
export function machineFacts(): string {
  const model = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${model}, ${cpus().length} cores (shared with other jobs), ${process.platform} ${process.arch}, Node ${process.version}`;
}

/** Seconds since the run started. */
export function seconds(run: Run): number {
  return (performance.now() - run.started) / 1000;
}

/** The 1-minute load average at the start and now: `0.52 → 1.10`. */
export function loadSpan(run: Run): string {
  return `${run.load[0].toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`;
}

/**
 * A report's opening: its title, the command, the machine (CPU model, cores,
 * Node), the load average at the start (1/5/15 min) and at the end, the date,
 * the run's length, the peers' versions, and a warning in quick mode.
 *
 * @example
 * const md = [header('tpool benchmark', run), '', table(['what', 'jobs/s'], rows)].join('\n');
 */
export function header(title: string, run: Run): string {
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const lines = [
    `# ${title}`,
    '',
    `Command: \`${run.command}\``,
    '',
    `Machine: ${machineFacts()}.`,
    '',
    `Load average at the start ${run.load.map((l) => l.toFixed(2)).join(' / ')} (1 / 5 / 15 min), 1-min at the end ${loadavg()[0]!.toFixed(2)}; ${date}; whole run ${seconds(run).toFixed(1)} s.`,
  ];
  if (run.peers.length !== 0) lines.push('', `Peers: ${run.peers.join(', ')}.`);
  if (run.quick) {
    lines.push(
      '',
      '**Quick (smoke) run: small counts and one or two rounds, to check that the benchmark runs end to end. These figures mean nothing.**',
    );
  }
  return lines.join('\n');
}

/**
 * Writes <name>.md and <name>.svg (and <name>.json when given data) to
 * {@link resultsDir} and says so on stdout.
 *
 * @example
 * writeResults('tpool', { md, svg: barChart(chart) });
 */
export function writeResults(
  name: string,
  files: { md: string; svg: string; json?: unknown },
): void {
  const dir = resultsDir();
  const written = [`${name}.md`, `${name}.svg`];
  writeFileSync(new URL(`${name}.md`, dir), files.md);
  writeFileSync(new URL(`${name}.svg`, dir), files.svg);
  if (files.json !== undefined) {
    writeFileSync(new URL(`${name}.json`, dir), `${JSON.stringify(files.json, null, 2)}\n`);
    written.push(`${name}.json`);
  }
  const where = new URL('.', dir).pathname;
  process.stdout.write(`wrote ${written.map((f) => join(where, f)).join(', ')}\n`);
}

/**
 * What an earlier run left in {@link resultsDir}/<name>.json, if anything.
 *
 * @example
 * const previous = readResults<Report>('hub');
 */
export function readResults<T>(name: string): T | undefined {
  try {
    return JSON.parse(readFileSync(new URL(`${name}.json`, resultsDir()), 'utf8')) as T;
  } catch {
    return undefined;
  }
}
