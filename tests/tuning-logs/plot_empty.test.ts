// tests/tuning-logs/plot_empty.test.ts — a series without points (a log file that holds no record
// of the plotted workload, e.g. `tensortune logs plot` over several files) is drawn as a legend
// entry only: no polyline, no crash, and the other series keep their curves and colours.

import { describe, expect, it } from 'vitest';
import { tuningCurve, tuningCurveSvg } from '../../tuning-logs/plot.js';
import { rec } from './helpers.js';

describe('tuningCurveSvg with an empty series', () => {
  it('draws the legend entry without a curve', () => {
    const svg = tuningCurveSvg([
      { name: 'empty run', points: [] },
      { name: 'xgb', points: tuningCurve([rec(1, 0.002), rec(2, 0.001)], 2e6) },
    ]);
    expect(svg.match(/<polyline /g)).toHaveLength(1);
    expect(svg).toContain('<title>xgb</title></polyline>');
    expect(svg).not.toContain('<title>empty run</title>');
    expect(svg).toContain('>empty run</text>');
    expect(svg).toContain('>xgb</text>');
    // Legend colours follow the series order: the empty first series keeps the first colour.
    const legend = [...svg.matchAll(/<line [^>]*stroke="(#[0-9a-f]+)" stroke-width="3"\/>/g)].map((m) => m[1]);
    expect(legend).toHaveLength(2);
    expect(new Set(legend).size).toBe(2);
    expect(svg).toContain(`stroke="${legend[1]}" stroke-width="2"`);
  });

  it('only empty series: axes and legend, no curve', () => {
    const svg = tuningCurveSvg([{ name: 'nothing', points: [] }]);
    expect(svg).not.toContain('<polyline');
    expect(svg).toContain('>nothing</text>');
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });
});
