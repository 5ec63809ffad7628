// tests/tuning-logs/plot.test.ts — tuning curves and their SVG.

import { describe, expect, it } from 'vitest';
import { niceTicks, tuningCurve, tuningCurveSvg } from '../../tuning-logs/plot.js';
import { rec } from './helpers.js';

describe('tuningCurve', () => {
  it('tracks the best GFLOP/s so far, failures included as trials', () => {
    const flop = 2e6;
    const pts = tuningCurve([rec(1, 0.002), rec(2, 0.004), rec(3, 1e-9, { errorNo: 5 }), rec(4, 0.001)], flop);
    expect(pts.map((p) => p.trial)).toEqual([1, 2, 3, 4]);
    expect(pts.map((p) => p.value)).toEqual([1, 1, 1, 2].map((g) => expect.closeTo(g, 9) as unknown as number));
  });

  it('uses runs per second when the FLOP count is unknown', () => {
    expect(tuningCurve([rec(1, 0.5)])[0]!.value).toBeCloseTo(2, 12);
  });
});

describe('tuningCurveSvg', () => {
  it('draws one line per series with a legend, axes and labels', () => {
    const svg = tuningCurveSvg(
      [
        { name: 'xgb <seed 1>', points: tuningCurve([rec(1, 0.002), rec(2, 0.001)], 2e6) },
        { name: 'random', points: tuningCurve([rec(1, 0.004), rec(2, 0.003), rec(3, 0.002)], 2e6) },
      ],
      { title: 'matmul 8x8x8' },
    );
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('xgb &lt;seed 1&gt;');
    expect(svg).toContain('best GFLOP/s');
    expect(svg).toContain('>trials<');
    expect(svg).toContain('matmul 8x8x8');
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
    expect(() => tuningCurveSvg([])).toThrow(/no series/);
  });

  it('paints an opaque white background over the whole canvas first (readable in dark viewers)', () => {
    const svg = tuningCurveSvg([{ name: 's', points: tuningCurve([rec(1, 0.002)], 2e6) }], { width: 300, height: 220 });
    const body = svg.slice(svg.indexOf('>') + 1).trimStart();
    expect(body.startsWith('<rect x="0" y="0" width="300" height="220" fill="white"/>')).toBe(true);
  });

  it('picks round ticks that cover the range', () => {
    expect(niceTicks(10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(47)).toEqual([0, 10, 20, 30, 40, 50]);
    expect(niceTicks(0.37)).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });
});

describe('tuningCurveSvg corners', () => {
  it('draws a step line through the improvements only', () => {
    const pts = [1, 1, 1, 2, 2, 3, 3, 3].map((v, i) => ({ trial: i + 1, value: v }));
    const svg = tuningCurveSvg([{ name: 's', points: pts }], { width: 210, height: 200 });
    const coords = /points="([^"]*)"/.exec(svg)![1]!.split(' ');
    // start, (4: up from 1 to 2), (6: up from 2 to 3), end at trial 8
    expect(coords).toHaveLength(6);
    const xs = coords.map((c) => Number(c.split(',')[0]));
    const ys = coords.map((c) => Number(c.split(',')[1]));
    expect(xs[1]).toBe(xs[2]);
    expect(ys[0]).toBe(ys[1]);
    expect(ys[2]).toBeLessThan(ys[1]!); // higher value is drawn higher (smaller y)
    expect(ys[4]).toBe(ys[5]);
  });
});
