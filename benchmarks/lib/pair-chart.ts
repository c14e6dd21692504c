/** How `pairChart` labels and sizes its bars. */
export interface PairChartOptions {
  /** Appended to each row's title, e.g. ' (children/s)'; default none. */
  unit?: string;
  /** Decimals printed after each bar; default 1. */
  digits?: number;
  /** The SVG's width in px; default 460. */
  width?: number;
}

/**
 * A small SVG of bar pairs (Verdant, raw) per row, each row scaled to its
 * own maximum: the chart of the benchmarks that compare Verdant with one
 * raw-Node baseline (subprocess, tpool). No charting dependency.
 *
 * @example
 * writeFileSync('results/x.svg', pairChart([['latency µs', 12.3, 10.1]], { digits: 1 }));
 */
export function pairChart(
  rows: [string, number, number][],
  options: PairChartOptions = {},
): string {
  const { unit = '', digits = 1, width = 460 } = options;
  const parts: string[] = [];
  let y = 10;
  for (const [label, v, r] of rows) {
    const max = Math.max(v, r);
    parts.push(
      `<text x="4" y="${y + 12}" font-size="12" font-weight="bold">${label}${unit}</text>`,
    );
    y += 18;
    for (const [who, value, color] of [
      ['Verdant', v, '#4a8'],
      ['raw', r, '#888'],
    ] as const) {
      const w = (value / max) * 300;
      parts.push(
        `<rect x="80" y="${y}" width="${w.toFixed(1)}" height="18" fill="${color}"/><text x="4" y="${y + 13}" font-size="12">${who}</text><text x="${(84 + w).toFixed(1)}" y="${y + 13}" font-size="12">${value.toFixed(digits)}</text>`,
      );
      y += 22;
    }
    y += 8;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}">${parts.join('')}</svg>\n`;
}
