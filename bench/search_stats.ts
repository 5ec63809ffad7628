// bench/search_stats.ts — the search bench's statistics and pictures: best-so-far curves, their median and
// spread across seeds, trials to reach a share of the best known, the markdown summary table, the SVG chart.

import { svgAxes } from './svg_axes.js';

/** One tuning job of the bench: a tuner on a task with one seed. */
export interface SearchRun {
  readonly task: string;
  readonly tuner: string;
  readonly seed: number;
  /** GFLOP/s of each trial in measurement order (0 for a failed candidate). */
  readonly gflops: readonly number[];
  /** Config index of each trial. */
  readonly configs: readonly number[];
  /** Wall seconds of the job, and of that the seconds spent on real (uncached) measurements. */
  readonly wallSeconds: number;
  readonly measureSeconds: number;
  /** Trials of this job that were measured for real (the rest came from the cache). */
  readonly realMeasured: number;
}

/** What the bench knows of one task besides its runs. */
export interface TaskInfo {
  readonly id: string;
  readonly title: string;
  readonly target: string;
  readonly spaceSize: number;
  readonly bestKnown: number;
  readonly bestConfig: number | null;
  /** GFLOP/s of the template's default config (what a build without a log gets); 0 if it failed. */
  readonly defaultGflops: number;
  /** Distinct configs measured for this task, and seconds per real measurement (median over batches). */
  readonly distinct: number;
  readonly secondsPerMeasurement: number;
  /**
   * The noise check: the best few configs re-measured side by side with the default (median GFLOP/s over
   * rounds): `again` per config, `defaultAgain` for the default (NaN when not done).
   */
  readonly remeasured: readonly { index: number; cached: number; again: number }[];
  readonly defaultAgain: number;
}

/** Best-so-far curve of a run. */
export function bestSoFar(g: readonly number[]): number[] {
  const out: number[] = [];
  g.forEach((x, i) => out.push(Math.max(x, out[i - 1] ?? 0)));
  return out;
}

/** Median of numbers (Infinity allowed: a run that never got there); NaN for none. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** 1-based trial at which the best-so-far first reaches `share` of `target`; Infinity if never. */
export function trialsTo(best: readonly number[], target: number, share: number): number {
  const i = best.findIndex((g) => g >= share * target);
  return i < 0 ? Infinity : i + 1;
}

/**
 * Round 11's restatement of issue 13's "95 % of the best known" for a task whose default is near its best: the
 * 1-based trial at which the best-so-far first reaches the default plus `share` of the gain of the best known over
 * the default (default + share·(bestKnown − default)) — so the default itself, measured first by every warm start,
 * scores nothing, and only what the search found above the default counts. NaN (not applicable) when the default is
 * the best known (nothing above it to find); Infinity if never reached.
 */
export function trialsToGain(best: readonly number[], bestKnown: number, defaultGflops: number, share: number): number {
  if (!(bestKnown > defaultGflops)) return NaN;
  return trialsTo(best, defaultGflops + share * (bestKnown - defaultGflops), 1);
}

/**
 * A job's wasted trials: `repeats` — trials that proposed a config the same job had already measured (a
 * re-measurement; the tune loop refuses these, so it should be 0), `failed` — trials that failed to build or run
 * (0 GFLOP/s; the templates' validity predicates keep invalid configs out, so what remains is timeouts/crashes).
 */
export function wastedTrials(r: Pick<SearchRun, 'configs' | 'gflops'>): { repeats: number; failed: number } {
  return { repeats: r.configs.length - new Set(r.configs).size, failed: r.gflops.filter((g) => !(g > 0)).length };
}

/** Per-trial median, minimum and maximum of best-so-far curves across seeds (shortest length wins). */
export function band(curves: readonly (readonly number[])[]): { med: number[]; lo: number[]; hi: number[] } {
  const n = Math.min(...curves.map((c) => c.length));
  const med: number[] = [], lo: number[] = [], hi: number[] = [];
  for (let t = 0; t < n; t++) {
    const col = curves.map((c) => c[t]!);
    med.push(median(col));
    lo.push(Math.min(...col));
    hi.push(Math.max(...col));
  }
  return { med, lo, hi };
}

/** Summary of one tuner on one task across its seeds. */
export interface TunerSummary {
  readonly tuner: string;
  readonly seeds: number;
  readonly trials: number;
  readonly to90: number[];
  readonly to95: number[];
  readonly finalBest: number[];
  /** Seconds per trial the tuner itself spent (model fits, SA, GA), i.e. wall minus real measuring. */
  readonly searchSecondsPerTrial: number;
  /** Estimated trials per minute from scratch: 60 / (seconds per measurement + search seconds per trial). */
  readonly trialsPerMinute: number;
}

export function summarize(info: TaskInfo, runs: readonly SearchRun[]): TunerSummary[] {
  const tuners = [...new Set(runs.map((r) => r.tuner))];
  return tuners.map((tuner) => {
    const rs = runs.filter((r) => r.tuner === tuner);
    const curves = rs.map((r) => bestSoFar(r.gflops));
    const trials = rs.reduce((a, r) => a + r.gflops.length, 0);
    const search = rs.reduce((a, r) => a + Math.max(0, r.wallSeconds - r.measureSeconds), 0) / Math.max(trials, 1);
    return {
      tuner, seeds: rs.length, trials: Math.min(...rs.map((r) => r.gflops.length)),
      to90: curves.map((c) => trialsTo(c, info.bestKnown, 0.9)),
      to95: curves.map((c) => trialsTo(c, info.bestKnown, 0.95)),
      finalBest: curves.map((c) => c.at(-1) ?? 0),
      searchSecondsPerTrial: search,
      trialsPerMinute: 60 / (info.secondsPerMeasurement + search),
    };
  });
}

/** A number with `d` decimals, 'n/a' when unknown (a run that measured nothing for real). */
const num = (x: number, d: number): string => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const fmtTrials = (x: number, n: number): string => (!Number.isFinite(x) ? `>${n}` : Number.isInteger(x) ? String(x) : x.toFixed(1));

/** Re-measured best known over re-measured default, both taken side by side ('n/a' when not done). */
function sideRatio(info: TaskInfo): string {
  const best = info.remeasured.find((r) => r.index === info.bestConfig)?.again;
  if (info.bestConfig !== null && best === undefined && info.defaultGflops >= info.bestKnown) return '1.00';
  return best !== undefined && info.defaultAgain > 0 ? (best / info.defaultAgain).toFixed(2) : 'n/a';
}

/** The markdown summary of tasks: one header line per task, one table row per tuner. */
export function markdownTable(tasks: readonly { info: TaskInfo; tuners: readonly TunerSummary[] }[]): string {
  const lines: string[] = [];
  lines.push('| task | tuner | trials to 90 % (median; per seed) | trials to 95 % (median; per seed) | final best GFLOP/s median (min–max) | × default | search s/trial | trials/min |');
  lines.push('|---|---|---|---|---|---|---|---|');
  for (const { info, tuners } of tasks) {
    for (const s of tuners) {
      const fb = median(s.finalBest);
      const per = (xs: number[]): string => `${fmtTrials(median(xs), s.trials)}; ${xs.map((x) => fmtTrials(x, s.trials)).join(', ')}`;
      lines.push(`| ${info.id} | ${s.tuner} | ${per(s.to90)} | ${per(s.to95)} | ${fb.toFixed(2)} (${Math.min(...s.finalBest).toFixed(2)}–${Math.max(...s.finalBest).toFixed(2)}) | ${info.defaultGflops > 0 ? (fb / info.defaultGflops).toFixed(2) : 'n/a'} | ${s.searchSecondsPerTrial.toFixed(2)} | ${num(s.trialsPerMinute, 1)} |`);
    }
  }
  lines.push('');
  lines.push('| task | template, target | space | best known GFLOP/s (config) | default GFLOP/s | best/default | best/default side by side | distinct configs measured | s per measurement |');
  lines.push('|---|---|---|---|---|---|---|---|---|');
  for (const { info } of tasks) {
    lines.push(`| ${info.id} | ${info.title}, \`${info.target}\` | ${info.spaceSize} | ${info.bestKnown.toFixed(2)} (${info.bestConfig ?? '-'}) | ${info.defaultGflops.toFixed(2)} | ${info.defaultGflops > 0 ? (info.bestKnown / info.defaultGflops).toFixed(2) : 'n/a'} | ${sideRatio(info)} | ${info.distinct} | ${num(info.secondsPerMeasurement, 2)} |`);
  }
  return lines.join('\n');
}

const COLORS: Record<string, string> = { random: '#7f7f7f', ga: '#1f77b4', xgb: '#d62728', 'xgb-reg': '#ff7f0e', 'xgb-transfer': '#2ca02c' };
const color = (t: string): string => COLORS[t] ?? ['#9467bd', '#8c564b', '#e377c2', '#17becf'][t.length % 4]!;

/** SVG: per tuner the median best-so-far curve across seeds and a min–max band; dashed lines for the best known and the default. */
export function svgCurves(info: TaskInfo, runs: readonly SearchRun[]): string {
  const W = 760, H = 440, L = 60, R = 150, T = 40, B = 50;
  const tuners = [...new Set(runs.map((r) => r.tuner))];
  const { x, y, parts: p } = svgAxes({ width: W, height: H, left: L, right: R, top: T, bottom: B }, {
    maxX: Math.max(1, ...runs.map((r) => r.gflops.length)),
    maxY: Math.max(info.bestKnown, info.defaultGflops, 1e-9) * 1.08,
    title: [`${info.id}: ${info.title} on ${info.target}`, `best GFLOP/s so far vs trials: median of ${runs.length / Math.max(tuners.length, 1)} seeds per tuner, band min–max`],
    xLabel: 'trials',
    yLabel: 'best GFLOP/s so far',
  });
  const hline = (g: number, label: string, dash: string): void => {
    p.push(`<line x1="${L}" y1="${y(g).toFixed(1)}" x2="${W - R}" y2="${y(g).toFixed(1)}" stroke="black" stroke-dasharray="${dash}"/><text x="${W - R + 4}" y="${(y(g) + 4).toFixed(1)}">${label}</text>`);
  };
  hline(info.bestKnown, 'best known', '6,3');
  if (info.defaultGflops > 0) hline(info.defaultGflops, 'default', '2,3');
  tuners.forEach((t, k) => {
    const { med, lo, hi } = band(runs.filter((r) => r.tuner === t).map((r) => bestSoFar(r.gflops)));
    const pts = (v: number[]): string[] => v.map((g, i) => `${x(i + 1).toFixed(1)},${y(g).toFixed(1)}`);
    p.push(`<polygon fill="${color(t)}" fill-opacity="0.12" stroke="none" points="${[...pts(hi), ...pts(lo).reverse()].join(' ')}"/>`);
    p.push(`<polyline fill="none" stroke="${color(t)}" stroke-width="2" points="${pts(med).join(' ')}"/>`);
    p.push(`<line x1="${W - R + 10}" y1="${T + 40 + k * 20}" x2="${W - R + 35}" y2="${T + 40 + k * 20}" stroke="${color(t)}" stroke-width="2"/><text x="${W - R + 40}" y="${T + 44 + k * 20}">${t}</text>`);
  });
  p.push('</svg>');
  return p.join('\n');
}
