/** The hub benchmarks' report: hub.md (tables and notes), hub.svg (× floor, log scale), hub.json. */
import {
  everyRound,
  howToRead,
  type RatioRow,
  ratioChart,
  ratioJson,
  ratioTable,
} from '../lib/ratio-report.js';
import { header, type Run, writeResults } from '../lib/report.js';

export function writeReport(rows: RatioRow[], run: Run, rounds: string, notes: string[]): void {
  const md = [
    header('Hub benchmarks', run),
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
    '![chart](hub.svg)',
    '',
  ].join('\n');
  writeResults('hub', { md, svg: ratioChart('Hub', rows, run), json: ratioJson(run, rows, notes) });
}
