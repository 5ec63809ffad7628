// bench/tuning_curve_chart.ts — the chart bench/tuning-curve.ts writes: best GFLOP/s vs trials, one line per
// tuning run (tuner × seed), coloured by tuner, on the shared bench axes (bench/svg_axes.ts).

import { escapeSvg, svgAxes } from './svg_axes.js';

/** One tuning run as the chart needs it: `best[i]` is the best GFLOP/s after trial i + 1. */
export interface CurveRun {
  readonly tuner: string;
  readonly seed: number;
  readonly best: readonly number[];
}

const COLORS: Readonly<Record<string, string>> = { random: '#888888', ga: '#1f77b4', xgb: '#d62728' };

/** SVG line chart of best GFLOP/s vs trials for matmul `n`³ on wasm; later seeds drawn fainter. */
export function tuningCurveChart(runs: readonly CurveRun[], n: number): string {
  const frame = { width: 720, height: 440, left: 60, right: 140, top: 30, bottom: 50 };
  const { x, y, parts } = svgAxes(frame, {
    maxX: Math.max(...runs.map((r) => r.best.length), 1),
    maxY: Math.max(...runs.flatMap((r) => r.best), 1) * 1.05,
    title: [`matmul ${n}³ on wasm: best GFLOP/s vs trials`],
    xLabel: 'trials',
    yLabel: 'best GFLOP/s',
  });
  const legendX = frame.width - frame.right;
  for (const r of runs) {
    const pts = r.best.map((g, i) => `${x(i + 1).toFixed(1)},${y(g).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${COLORS[r.tuner] ?? 'black'}" stroke-width="1.5" stroke-opacity="${0.5 + 0.5 / r.seed}" points="${pts}"/>`);
  }
  [...new Set(runs.map((r) => r.tuner))].forEach((t, i) => {
    const ly = frame.top + 10 + i * 20;
    parts.push(`<line x1="${legendX + 15}" y1="${ly}" x2="${legendX + 40}" y2="${ly}" stroke="${COLORS[t] ?? 'black'}" stroke-width="2"/><text x="${legendX + 46}" y="${ly + 4}">${escapeSvg(t)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
