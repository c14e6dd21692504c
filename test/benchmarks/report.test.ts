import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { assertIdle } from '@verdant/hub/testing';
import { type BarGroup, barChart, COLORS, table, versus } from '../../benchmarks/lib/report.ts';

afterEach(() => assertIdle());

/** The bars of a chart, in order: where each starts and how long it is. */
function bars(svg: string): { x: number; width: number }[] {
  return [...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/g)].map((m) => ({
    x: Number(m[1]),
    width: Number(m[2]),
  }));
}

const groups: BarGroup[] = [
  versus('small', (v) => String(v), ['Verdant', 1], ['raw', 2]),
  versus('large', (v) => String(v), ['Verdant', 40], ['raw', 10]),
];

test('barChart: per-group scale gives each group its own longest bar, shared scale one for all', () => {
  // small: 1 and 2, large: 40 and 10; widths are printed to 0.1 px.
  const near = (x: number, y: number): boolean => Math.abs(x - y) < 0.2;
  const [a, b, c, d] = bars(barChart({ caption: 'c', groups })).map((r) => r.width) as [
    number,
    number,
    number,
    number,
  ];
  assert.ok(near(b, c) && near(a, b / 2) && near(d, c / 4), `${[a, b, c, d]}`);
  const [e, f, g, h] = bars(barChart({ caption: 'c', groups, scale: 'shared' })).map(
    (r) => r.width,
  ) as [number, number, number, number];
  assert.ok(near(g, c) && near(e, g / 40) && near(f, g / 20) && near(h, g / 4), `${[e, f, g, h]}`);
});

test('barChart: on a log scale a bar at the mark ends on the mark line', () => {
  const svg = barChart({
    caption: 'ratio',
    scale: { log: [-1, 1], mark: { at: 1, label: 'target' } },
    groups: [{ title: 't', bars: [{ label: 'x', value: 1, color: COLORS.verdant, text: '1×' }] }],
  });
  const [bar] = bars(svg);
  const mark = /<line x1="([\d.]+)"[^>]*stroke="#d32f2f"/.exec(svg);
  assert.ok(mark !== null, 'the mark line is drawn');
  assert.equal(Number((bar!.x + bar!.width).toFixed(1)), Number(mark[1]));
  assert.match(svg, />target</);
});

test('barChart escapes text and drops Markdown backticks', () => {
  const svg = barChart({
    caption: 'a < b & `c`',
    groups: [versus('`sleep(0)` <x>', String, ['Verdant', 1], ['raw', 1])],
  });
  assert.match(svg, />a &lt; b &amp; c</);
  assert.match(svg, />sleep\(0\) &lt;x&gt;</);
  assert.doesNotMatch(svg, /`/);
});

test('table: a header, a rule with right-aligned figure columns, one line per row', () => {
  assert.equal(
    table(
      ['case', 'µs'],
      [
        ['Queue', '0.21'],
        ['Pool', '1.50'],
      ],
      ['left', 'right'],
    ),
    ['| case | µs |', '| --- | ---: |', '| Queue | 0.21 |', '| Pool | 1.50 |'].join('\n'),
  );
});
