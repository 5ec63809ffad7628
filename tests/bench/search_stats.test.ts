// tests/bench/search_stats.test.ts — the search bench's statistics (curves, medians, trials-to-share, table)
// and its measurement cache (each config measured once, shared by tuners, kept in a tuning log).

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MeasureOption } from '../../autotune/measure/measure.js';
import { RandomTuner } from '../../autotune/random_tuner.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';
import { MeasureCache } from '../../bench/search_cache.js';
import { band, bestSoFar, markdownTable, median, summarize, svgCurves, trialsTo, trialsToGain, wastedTrials, type SearchRun, type TaskInfo } from '../../bench/search_stats.js';
import { FakeMeasure, syntheticTask } from '../autotune/synthetic.js';
import { assertBalanced, polylineData, texts } from './svg_check.js';

describe('search statistics', () => {
  it('best-so-far, median (with runs that never arrive) and trials to a share of the best', () => {
    expect(bestSoFar([1, 0, 3, 2, 5])).toEqual([1, 1, 3, 3, 5]);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([5, Infinity, Infinity])).toBe(Infinity);
    expect(median([])).toBeNaN();
    expect(trialsTo([1, 1, 3, 3, 5], 5, 0.6)).toBe(3);
    expect(trialsTo([1, 1, 3, 3, 5], 5, 0.95)).toBe(5);
    expect(trialsTo([1, 1, 3], 5, 0.9)).toBe(Infinity);
  });

  it('trialsToGain counts only the gain over the default: 95 % of 40 → 42 is 41.9, not 39.9', () => {
    // A warm start measures the default (40) first: 95 % of the best known (42) is met at trial 1, 95 % of the gain not.
    expect(trialsTo([40, 40, 41, 41.95, 42], 42, 0.95)).toBe(1);
    expect(trialsToGain([40, 40, 41, 41.95, 42], 42, 40, 0.95)).toBe(4);
    expect(trialsToGain([40, 40, 41], 42, 40, 0.95)).toBe(Infinity);
    expect(trialsToGain([10, 20, 30], 30, 10, 0.5)).toBe(2);
    // The default is the best known: nothing to find, not applicable.
    expect(trialsToGain([40, 40], 40, 40, 0.95)).toBeNaN();
    expect(trialsToGain([38, 39], 39, 40, 0.95)).toBeNaN();
  });

  it('counts a job\'s wasted trials: configs proposed again in the job, and failed trials (0 or NaN GFLOP/s)', () => {
    expect(wastedTrials({ configs: [5, 7, 9, 11], gflops: [1, 2, 3, 4] })).toEqual({ repeats: 0, failed: 0 });
    expect(wastedTrials({ configs: [5, 7, 5, 11, 7, 5], gflops: [1, 0, 3, NaN, 2, 0] })).toEqual({ repeats: 3, failed: 3 });
  });

  it('bands: per-trial median, min and max across seeds', () => {
    const b = band([[1, 2, 3], [3, 3, 3], [0, 5, 6, 7]]);
    expect(b).toEqual({ med: [1, 3, 3], lo: [0, 2, 3], hi: [3, 5, 6] });
  });

  it('summarizes each tuner against the best known and writes one table row per tuner', () => {
    const info: TaskInfo = { id: 'T', title: 't', target: 'wasm', spaceSize: 10, bestKnown: 10, bestConfig: 3, defaultGflops: 4, distinct: 7, secondsPerMeasurement: 1, remeasured: [{ index: 3, cached: 10, again: 15 }], defaultAgain: 12 };
    const run = (tuner: string, seed: number, g: number[]): SearchRun => ({ task: 'T', tuner, seed, gflops: g, configs: g.map((_, i) => i), wallSeconds: 2 * g.length, measureSeconds: g.length, realMeasured: g.length });
    const s = summarize(info, [run('a', 1, [1, 9.5, 10]), run('a', 2, [9, 9, 9]), run('b', 1, [1, 2, 3])]);
    expect(s.map((x) => x.tuner)).toEqual(['a', 'b']);
    expect(s[0]!.to90).toEqual([2, 1]);
    expect(s[0]!.to95).toEqual([2, Infinity]);
    expect(s[0]!.finalBest).toEqual([10, 9]);
    expect(s[0]!.searchSecondsPerTrial).toBeCloseTo(1);
    expect(s[0]!.trialsPerMinute).toBeCloseTo(30);
    const md = markdownTable([{ info, tuners: s }]);
    expect(md).toContain('| T | a | 1.5; 2, 1 | >3; 2, >3 | 9.50 (9.00–10.00) | 2.38 |');
    expect(md).toContain('| T | b | >3; >3 | >3; >3 | 3.00 (3.00–3.00) | 0.75 |');
    expect(md).toContain('| T | t, `wasm` | 10 | 10.00 (3) | 4.00 | 2.50 | 1.25 | 7 | 1.00 |');
  });
});

describe('MeasureCache', () => {
  it('measures each config once and gives every later tuner/seed the same cost', async () => {
    const task = syntheticTask();
    const inner = new FakeMeasure();
    const cache = new MeasureCache(inner as unknown as MeasureOption);
    const a = await new RandomTuner(task, { seed: 1 }).tune({ nTrial: 40, measureOption: cache, batchSize: 8, measureDefaultFirst: false });
    const b = await new RandomTuner(task, { seed: 1 }).tune({ nTrial: 40, measureOption: cache, batchSize: 8, measureDefaultFirst: false });
    expect(b.bestFlops).toBe(a.bestFlops);
    expect(inner.seen.length).toBe(40); // the second run came from the cache
    expect(new Set(inner.seen).size).toBe(40);
    const st = cache.stats(task);
    expect(st.measured).toBe(40);
    expect(st.hits).toBe(40);
    expect(cache.history(task)).toHaveLength(40);
    // A batch with one config twice measures it once.
    const c = task.space.entityAt(12345);
    const res = await cache.measureBatch([{ task, config: c }, { task, config: c }]);
    expect(res[0]).toBe(res[1]);
    expect(inner.seen.filter((i) => i === 12345)).toHaveLength(1);
  });

  it('keeps its measurements in a tuning log and reads them back in a new run', async () => {
    registerAll();
    const task = createTask('matmul.wasm', [tensorArg([16, 24]), tensorArg([24, 8])], 'wasm -threads=1');
    const log = join(mkdtempSync(join(tmpdir(), 'search-cache-')), 'cache.jsonl');
    const inner = new FakeMeasure(new Set(), () => 2);
    const first = new MeasureCache(inner as unknown as MeasureOption, log);
    const configs = [0, 1, 2].map((i) => task.space.entityAt(i));
    await first.measureBatch(configs.map((config) => ({ task, config })));
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(3);
    const again = new MeasureCache(inner as unknown as MeasureOption, log);
    expect(again.stats(task).loaded).toBe(3);
    await again.measureBatch(configs.map((config) => ({ task, config })));
    expect(inner.seen).toHaveLength(3);
    expect(again.stats(task).hits).toBe(3);
    expect(again.get(task, 1)?.costs[0]).toBeCloseTo(task.flop / 2e9);
  });

  it("hands tuners the fastest repeat with statistic 'min', the repeats as measured with 'mean'", async () => {
    const task = syntheticTask();
    const inner = { measureBatch: (inputs: readonly unknown[]) => Promise.resolve(inputs.map(() => ({ costs: [3, 1, 2], errorNo: 0, allCost: 6, timestamp: 1 }))) };
    const config = task.space.entityAt(7);
    const [min] = await new MeasureCache(inner as unknown as MeasureOption, undefined, 'min').measureBatch([{ task, config }]);
    const [mean] = await new MeasureCache(inner as unknown as MeasureOption).measureBatch([{ task, config }]);
    expect(min!.costs).toEqual([1]);
    expect(mean!.costs).toEqual([3, 1, 2]);
  });

  it('re-measures configs side by side outside the cache, one batch per round', async () => {
    const task = syntheticTask();
    const batches: number[][] = [];
    const inner = { measureBatch: (inputs: readonly { config: { index: number } }[]) => {
      batches.push(inputs.map((i) => i.config.index));
      return Promise.resolve(inputs.map((i) => ({ costs: [task.flop / (i.config.index * 1e9)], errorNo: 0, allCost: 1, timestamp: 1 })));
    } };
    const cache = new MeasureCache(inner as unknown as MeasureOption, undefined, 'min');
    const g = await cache.sideBySide(task, [5, 8], 2);
    expect(batches).toEqual([[5, 8], [5, 8]]);
    expect(g[0]!.map((x) => Math.round(x))).toEqual([5, 5]);
    expect(g[1]!.map((x) => Math.round(x))).toEqual([8, 8]);
    expect(cache.get(task, 5)).toBeUndefined();
  });
});

describe('svgCurves', () => {
  it('draws per tuner the median best-so-far curve where its data is, a band, and the best known and default lines', () => {
    const info: TaskInfo = { id: 'M1', title: 'matmul <512>', target: 'wasm', spaceSize: 10, bestKnown: 10, bestConfig: 3, defaultGflops: 4, distinct: 7, secondsPerMeasurement: 1, remeasured: [], defaultAgain: 0 };
    const run = (tuner: string, seed: number, g: number[]): SearchRun => ({ task: 'M1', tuner, seed, gflops: g, configs: g.map((_, i) => i), wallSeconds: 1, measureSeconds: 1, realMeasured: g.length });
    const runs = [run('xgb', 1, [1, 6, 2, 8]), run('xgb', 2, [3, 3, 9, 9]), run('xgb', 3, [2, 5, 5, 5]), run('random', 1, [1, 2, 3, 4])];
    const svg = svgCurves(info, runs);
    assertBalanced(svg);
    const f = { width: 760, height: 440, left: 60, right: 150, top: 40, bottom: 50 };
    const lines = polylineData(svg, f, 4, 10 * 1.08);
    // xgb's best-so-far per seed: [1,6,6,8], [3,3,9,9], [2,5,5,5] → median [2,5,6,8]; random [1,2,3,4].
    expect(lines.map((pts) => pts.map(([, v]) => Math.round(v * 10) / 10))).toEqual([[2, 5, 6, 8], [1, 2, 3, 4]]);
    expect(lines[0]!.map(([t]) => Math.round(t))).toEqual([1, 2, 3, 4]);
    expect(svg.match(/<polygon /g)).toHaveLength(2);
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(2);
    const t = texts(svg);
    expect(t[0]).toBe('M1: matmul &lt;512&gt; on wasm');
    expect(t).toEqual(expect.arrayContaining(['trials', 'best GFLOP/s so far', 'best known', 'default', 'xgb', 'random', '10.8']));
  });
});
