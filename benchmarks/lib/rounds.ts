/**
 * Alternating rounds, the one way every benchmark measures: each contestant
 * runs once per round, the order rotating every round (A B, B A, A B, ...),
 * so that the machine's drift and other jobs' bursts fall on all of them
 * alike. The figure is the median of per-round ratios to the floor (each
 * contestant's sample divided by the floor's sample of the same round), with
 * its spread; never a best-of. A contestant may also report CPU time per
 * operation (a server's), summarised and ratioed the same way.
 */
import { fmt, formatSpread } from './format.js';
import { type Spread, spread } from './spread.js';

/** One repetition's result: the figure, and optionally CPU µs per operation. */
export interface Figure {
  value: number;
  cpuUs?: number;
}

export interface Contestant {
  /** Stable id: 'verdant', 'floor', 'effect', 'effection', 'gevent', ... */
  key: string;
  /** What exactly runs, as the reports print it. */
  label: string;
  /** Rounds this contestant takes part in (a slow peer: fewer); default all. */
  rounds?: number;
  /** Run unrecorded before the rounds (JIT warm-up); default true. */
  warmup?: boolean;
  run: () => Promise<number | Figure>;
}

export interface Measured {
  key: string;
  label: string;
  /** One figure per round it took part in, in round order. */
  values: number[];
  /** CPU µs per operation, per round, when the contestant reports it. */
  cpuUs: number[];
  /** Figures indexed by round (undefined: sat that round out), for {@link pairRatio}. */
  perRound: (Figure | undefined)[];
  value: Spread;
  cpu?: Spread;
  /** Per-round value / floor's value of the same round; undefined for the floor itself. */
  ratio?: Spread;
  cpuRatio?: Spread;
}

export interface RoundsOptions {
  rounds: number;
  /** The key of the contestant every ratio divides by. */
  floor: string;
  /** Warm-up per contestant, repeated until this many ms have passed (at most 10 runs). */
  warmupMs?: number;
  /** Where progress lines go; default stdout. */
  say?: (line: string) => void;
}

function asFigure(x: number | Figure): Figure {
  return typeof x === 'number' ? { value: x } : x;
}

/**
 * The median and spread of a's figure / b's figure, round by round, over the
 * rounds both took part in (undefined when there are none): `pairRatio(effect,
 * verdant)` is how many times Verdant's cost Effect's is, measured side by side.
 *
 * @example
 * pairRatio(byKey(ms, 'effect'), byKey(ms, 'verdant'))?.median;
 */
export function pairRatio(
  a: Measured,
  b: Measured,
  field: 'value' | 'cpuUs' = 'value',
): Spread | undefined {
  const out: number[] = [];
  for (let r = 0; r < a.perRound.length; r++) {
    const x = a.perRound[r]?.[field];
    const y = b.perRound[r]?.[field];
    if (x !== undefined && y !== undefined && y !== 0) out.push(x / y);
  }
  return out.length === 0 ? undefined : spread(out);
}

/**
 * Runs `contestants` in alternating rounds and summarises each against the floor.
 *
 * @example
 * const [verdant, floor] = await alternate('switch', [
 *   { key: 'verdant', label: 'Verdant sleep(0)', run: verdantSwitch },
 *   { key: 'floor', label: 'generator resume', run: bareSwitch },
 * ], { rounds: 7, floor: 'floor' });
 * verdant.ratio; // median and spread of the per-round Verdant / floor
 */
export async function alternate(
  title: string,
  contestants: Contestant[],
  options: RoundsOptions,
): Promise<Measured[]> {
  const { rounds, floor, warmupMs = 300 } = options;
  const say = options.say ?? ((line: string) => process.stdout.write(`${line}\n`));
  const floorAt = contestants.findIndex((c) => c.key === floor);
  if (floorAt < 0) throw new RangeError(`alternate(${title}): no contestant is the floor ${floor}`);
  for (const c of contestants) {
    if (c.warmup === false) continue;
    const until = performance.now() + warmupMs;
    for (let i = 0; i < 10 && (i === 0 || performance.now() < until); i++) await c.run();
  }
  // Indexed by round, so that ratios pair the figures of the same round.
  const byRound = contestants.map(() => [] as (Figure | undefined)[]);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < contestants.length; k++) {
      const i = (k + r) % contestants.length;
      const c = contestants[i]!;
      byRound[i]![r] = r < (c.rounds ?? rounds) ? asFigure(await c.run()) : undefined;
    }
  }
  const out = contestants.map((c, i): Measured => {
    const perRound = Array.from({ length: rounds }, (_, r) => byRound[i]![r]);
    const values = perRound.flatMap((f) => (f === undefined ? [] : [f.value]));
    const cpuUs = perRound.flatMap((f) => (f?.cpuUs === undefined ? [] : [f.cpuUs]));
    const m: Measured = {
      key: c.key,
      label: c.label,
      values,
      cpuUs,
      perRound,
      value: spread(values),
    };
    if (cpuUs.length !== 0) m.cpu = spread(cpuUs);
    return m;
  });
  const floorM = out[floorAt]!;
  for (const m of out) {
    if (m === floorM) continue;
    m.ratio = pairRatio(m, floorM);
    m.cpuRatio = pairRatio(m, floorM, 'cpuUs');
  }
  for (const m of out) {
    const parts = [`median ${fmt(m.value.median)} [${m.values.map(fmt).join(', ')}]`];
    if (m.cpu) parts.push(`CPU ${formatSpread(m.cpu, ' µs/op')}`);
    if (m.ratio) parts.push(`× floor ${formatSpread(m.ratio, '×')}`);
    if (m.cpuRatio) parts.push(`CPU × floor ${formatSpread(m.cpuRatio, '×')}`);
    say(`  ${title} / ${m.label}: ${parts.join(', ')}`);
  }
  return out;
}

/** The measured contestant with this key (throws if it did not run). */
export function byKey(ms: Measured[], key: string): Measured {
  const m = ms.find((x) => x.key === key);
  if (m === undefined) throw new RangeError(`byKey(ms, key): no contestant ${key}`);
  return m;
}
