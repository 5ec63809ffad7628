// tests/bench/svg_axes.test.ts — the bench charts' shared frame (bench/svg_axes.ts) and the tuning-curve
// chart drawn on it: mappings, ticks, labels, escaping, and the data read back from the pixels.

import { describe, expect, it } from 'vitest';
import { svgAxes } from '../../bench/svg_axes.js';
import { tuningCurveChart } from '../../bench/tuning_curve_chart.js';
import { assertBalanced, polylineData, texts } from './svg_check.js';

const frame = { width: 700, height: 400, left: 60, right: 140, top: 30, bottom: 50 };

describe('svgAxes', () => {
  const a = svgAxes(frame, { maxX: 37, maxY: 12.5, title: ['A < B & C', 'sub'], xLabel: 'trials', yLabel: 'GFLOP/s' });

  it('maps 0 and the maxima to the plot corners', () => {
    expect([a.x(0), a.x(37)]).toEqual([60, 560]);
    expect([a.y(0), a.y(12.5)]).toEqual([350, 30]);
    expect(a.x(18.5)).toBeCloseTo(310, 9);
  });

  it('labels six ticks per axis from 0 to the maximum, titles escaped, axis names', () => {
    const t = texts([...a.parts, '</svg>'].join('\n'));
    expect(t.slice(0, 2)).toEqual(['A &lt; B &amp; C', 'sub']);
    // Tick labels alternate y, x per step.
    expect(t.slice(2, 14).filter((_, i) => i % 2 === 0)).toEqual(['0.0', '2.5', '5.0', '7.5', '10.0', '12.5']);
    expect(t.slice(2, 14).filter((_, i) => i % 2 === 1)).toEqual(['0', '7', '15', '22', '30', '37']);
    expect(t.slice(14)).toEqual(['trials', 'GFLOP/s']);
    assertBalanced([...a.parts, '</svg>'].join('\n'));
  });

  it('refuses a range it cannot scale by', () => {
    expect(() => svgAxes(frame, { maxX: 10, maxY: 0, title: [], xLabel: '', yLabel: '' })).toThrow(/maxX and maxY must be finite and > 0 \(got 10, 0\)/);
    expect(() => svgAxes(frame, { maxX: NaN, maxY: 1, title: [], xLabel: '', yLabel: '' })).toThrow(/finite/);
  });
});

describe('tuningCurveChart (bench/tuning-curve.ts)', () => {
  it('draws each run’s best-so-far curve where its data is, one legend entry per tuner', () => {
    const runs = [
      { tuner: 'xgb', seed: 1, best: [1, 4, 4, 9] },
      { tuner: 'random', seed: 1, best: [2, 2, 3] },
      { tuner: 'xgb', seed: 2, best: [3, 3, 5, 6] },
    ];
    const svg = tuningCurveChart(runs, 512);
    assertBalanced(svg);
    const maxY = 9 * 1.05;
    const f = { width: 720, height: 440, left: 60, right: 140, top: 30, bottom: 50 };
    const lines = polylineData(svg, f, 4, maxY);
    expect(lines).toHaveLength(3);
    lines.forEach((pts, k) => {
      expect(pts.map(([t]) => Math.round(t))).toEqual(runs[k]!.best.map((_, i) => i + 1));
      pts.forEach(([, v], i) => expect(v).toBeCloseTo(runs[k]!.best[i]!, 1));
    });
    const t = texts(svg);
    expect(t[0]).toBe('matmul 512³ on wasm: best GFLOP/s vs trials');
    expect(t).toContain('best GFLOP/s');
    expect(t.slice(-2)).toEqual(['xgb', 'random']);
    expect(t).toContain(maxY.toFixed(1));
  });
});
