// tuning-logs/plot.ts — tuning curves (best GFLOP/s vs trial number) as a hand-written SVG line chart.

import { meanCost, type LogRecord } from './record.js';

export interface CurvePoint {
  /** 1-based trial number. */
  readonly trial: number;
  /** Best value reached up to and including this trial (0 before the first success). */
  readonly value: number;
}

export interface Series {
  readonly name: string;
  readonly points: readonly CurvePoint[];
}

/**
 * Best-so-far curve of one task's records in log order. With `flop` the value is GFLOP/s,
 * without it runs per second (1 / mean cost), so a curve can be drawn for any workload.
 */
export function tuningCurve(records: readonly LogRecord[], flop?: number): CurvePoint[] {
  let best = 0;
  return records.map((r, i) => {
    const cost = meanCost(r);
    if (Number.isFinite(cost) && cost > 0) {
      const v = flop !== undefined ? flop / cost / 1e9 : 1 / cost;
      if (v > best) best = v;
    }
    return { trial: i + 1, value: best };
  });
}

export interface PlotOptions {
  readonly title?: string;
  readonly yLabel?: string;
  readonly xLabel?: string;
  readonly width?: number;
  readonly height?: number;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

/** Round tick steps (1, 2, 5 × 10^k) so that axes read naturally. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1]! < max) ticks.push(Number((ticks[ticks.length - 1]! + step).toPrecision(12)));
  return ticks;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(3).replace(/\.?0+$/, '');
}

/** An SVG document: one step line per series, axes with ticks and labels, a legend. */
export function tuningCurveSvg(series: readonly Series[], opts: PlotOptions = {}): string {
  if (series.length === 0) throw new Error('plot: no series to draw');
  const W = opts.width ?? 760;
  const H = opts.height ?? 460;
  const m = { left: 70, right: 20, top: 40, bottom: 60 };
  const legendH = 18 * series.length;
  const plotW = W - m.left - m.right;
  const plotH = H - m.top - m.bottom - legendH;
  const maxTrial = Math.max(1, ...series.map((s) => s.points.length ? s.points[s.points.length - 1]!.trial : 0));
  const maxValue = Math.max(0, ...series.flatMap((s) => s.points.map((p) => p.value)));
  const xt = niceTicks(maxTrial);
  const yt = niceTicks(maxValue);
  const xMax = xt[xt.length - 1]!;
  const yMax = yt[yt.length - 1]!;
  const x = (t: number): number => m.left + (t / xMax) * plotW;
  const y = (v: number): number => m.top + plotH - (v / yMax) * plotH;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${esc(opts.title ?? 'Tuning curve')}</text>`);
  for (const v of yt) {
    out.push(`<line x1="${m.left}" y1="${y(v).toFixed(1)}" x2="${m.left + plotW}" y2="${y(v).toFixed(1)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${m.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${fmt(v)}</text>`);
  }
  for (const t of xt) {
    out.push(`<line x1="${x(t).toFixed(1)}" y1="${m.top + plotH}" x2="${x(t).toFixed(1)}" y2="${m.top + plotH + 5}" stroke="black"/>`);
    out.push(`<text x="${x(t).toFixed(1)}" y="${m.top + plotH + 18}" text-anchor="middle">${fmt(t)}</text>`);
  }
  out.push(`<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${m.top + plotH}" stroke="black"/>`);
  out.push(`<line x1="${m.left}" y1="${m.top + plotH}" x2="${m.left + plotW}" y2="${m.top + plotH}" stroke="black"/>`);
  out.push(`<text x="${m.left + plotW / 2}" y="${m.top + plotH + 38}" text-anchor="middle">${esc(opts.xLabel ?? 'trials')}</text>`);
  out.push(`<text transform="translate(18 ${m.top + plotH / 2}) rotate(-90)" text-anchor="middle">${esc(opts.yLabel ?? 'best GFLOP/s')}</text>`);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    if (s.points.length > 0) {
      // A step line: the best value holds until the trial that improves it.
      // Only the corners are drawn: a 1,000-trial curve with ten improvements is ~22 points.
      const pts: string[] = [];
      const at = (t: number, v: number): string => `${x(t).toFixed(1)},${y(v).toFixed(1)}`;
      const first = s.points[0]!;
      const last = s.points[s.points.length - 1]!;
      pts.push(at(first.trial, first.value));
      let prev = first.value;
      for (const p of s.points.slice(1)) {
        if (p.value === prev) continue;
        pts.push(at(p.trial, prev), at(p.trial, p.value));
        prev = p.value;
      }
      if (last !== first) pts.push(at(last.trial, last.value));
      out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.join(' ')}"><title>${esc(s.name)}</title></polyline>`);
    }
    const ly = m.top + plotH + 56 + 18 * i;
    out.push(`<line x1="${m.left}" y1="${ly - 4}" x2="${m.left + 24}" y2="${ly - 4}" stroke="${color}" stroke-width="3"/>`);
    out.push(`<text x="${m.left + 30}" y="${ly}">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
