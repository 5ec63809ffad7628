// tests/autotune/tuner.test.ts — the tune loop with every tuner over a synthetic task and a fake measure:
// no config measured twice, best tracking, errors, early stopping, stop signal, resume from a log.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { logToFile } from '../../autotune/callbacks.js';
import { GATuner } from '../../autotune/ga_tuner.js';
import { GridSearchTuner } from '../../autotune/grid_search_tuner.js';
import { RandomTuner } from '../../autotune/random_tuner.js';
import { ConfigSpace } from '../../autotune/space.js';
import type { Task } from '../../autotune/task.js';
import type { Tuner } from '../../autotune/tuner.js';
import { XGBTuner } from '../../autotune/xgb_tuner.js';
import { toLogRecord } from '../../tuning-logs/record.js';
import { FakeMeasure, syntheticGflops, syntheticTask } from './synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'tt-tuner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const makers: Record<string, (t: Task, seed: number) => Tuner> = {
  random: (t, seed) => new RandomTuner(t, { seed }),
  grid: (t) => new GridSearchTuner(t),
  ga: (t, seed) => new GATuner(t, { seed }),
  xgb: (t, seed) => new XGBTuner(t, { seed, featureType: 'knob', planSize: 32 }),
};

describe.each(Object.keys(makers))('%s tuner', (kind) => {
  it('never measures a config twice and tracks the best', async () => {
    const task = syntheticTask();
    const m = new FakeMeasure();
    const tuner = makers[kind]!(task, 1);
    const summary = await tuner.tune({ nTrial: 150, measureOption: m });
    expect(m.seen.length).toBe(150);
    expect(new Set(m.seen).size).toBe(150);
    const best = Math.max(...m.seen.map((i) => syntheticGflops(task.space, i)));
    expect(summary.bestFlops / 1e9).toBeCloseTo(best, 6);
    expect(syntheticGflops(task.space, summary.bestConfig!.index)).toBeCloseTo(best, 6);
    expect(summary.stoppedBy).toBe('nTrial');
  });

  it('exhausts a small space without repeats', async () => {
    const space = new ConfigSpace();
    space.defineSplit('tile_y', 16);
    space.defineKnob('unroll', [0, 8, 16]);
    const task = { ...syntheticTask(), space };
    const m = new FakeMeasure(new Set(), (_t, i) => 1 + i);
    const summary = await makers[kind]!(task, 2).tune({ nTrial: 100, measureOption: m, batchSize: 4 });
    expect(summary.trials).toBe(15);
    expect(summary.stoppedBy).toBe('spaceExhausted');
    expect(new Set(m.seen).size).toBe(15);
  });

  it('resumes from its log: measured configs are skipped, the best is restored', async () => {
    const log = join(dir, `${kind}.jsonl`);
    const task = syntheticTask();
    const first = new FakeMeasure(new Set([task.space.length - 1]));
    const t1 = makers[kind]!(task, 3);
    await t1.tune({ nTrial: 40, measureOption: first, callbacks: [logToFile(log)] });
    expect(readFileSync(log, 'utf8').trim().split('\n').length).toBe(40);

    const second = new FakeMeasure();
    const t2 = makers[kind]!(task, 3);
    const summary = await t2.tune({ nTrial: 70, measureOption: second, resume: log, callbacks: [logToFile(log)] });
    expect(summary.trials).toBe(70);
    expect(summary.measured).toBe(30);
    expect(second.seen.length).toBe(30);
    expect(second.seen.filter((i) => first.seen.includes(i))).toEqual([]);
    expect(summary.bestFlops).toBeGreaterThanOrEqual(t1.bestFlops);
    expect(readFileSync(log, 'utf8').trim().split('\n').length).toBe(70);
  });
});

describe('tune loop', () => {
  it('restores each config once from a log with duplicates and records of other tasks', async () => {
    const task = syntheticTask();
    const rec = (index: number, secs: number, name = task.name) =>
      toLogRecord({ task: { ...task, name }, config: task.space.get(index) }, { costs: [secs], errorNo: 0, allCost: 0, timestamp: 0 });
    const tuner = new RandomTuner(task, { seed: 1 });
    const n = await tuner.restore([rec(3, 0.5), rec(3, 0.01), rec(9, 0.1), rec(11, 0.001, 'other.template')]);
    expect(n).toBe(2);
    expect(tuner.trials).toBe(2);
    expect(tuner.bestConfig!.index).toBe(9);
    expect(tuner.bestFlops).toBeCloseTo(1e10);
    expect(tuner.isMeasured(3) && tuner.isMeasured(9) && !tuner.isMeasured(11)).toBe(true);
  });

  it('counts errors and never picks a failed config as best', async () => {
    const task = syntheticTask();
    const failing = new Set(Array.from({ length: task.space.length }, (_, i) => i).filter((i) => i % 3 === 0));
    const m = new FakeMeasure(failing);
    const tuner = new RandomTuner(task, { seed: 4 });
    const summary = await tuner.tune({ nTrial: 60, measureOption: m });
    expect(summary.errors).toBe(m.seen.filter((i) => failing.has(i)).length);
    expect(summary.errors).toBeGreaterThan(0);
    expect(failing.has(summary.bestConfig!.index)).toBe(false);
  });

  it('stops early when the best does not improve', async () => {
    const task = syntheticTask();
    const m = new FakeMeasure();
    const tuner = new GridSearchTuner(task);
    const summary = await tuner.tune({ nTrial: 500, earlyStopping: 40, measureOption: m, batchSize: 8 });
    expect(summary.stoppedBy).toBe('earlyStopping');
    expect(summary.trials).toBeLessThan(500);
    expect(summary.trials - tuner.bestIter).toBeGreaterThanOrEqual(40);
  });

  it('stops after the batch in flight when asked, keeping its results', async () => {
    const task = syntheticTask();
    const m = new FakeMeasure();
    const tuner = new RandomTuner(task, { seed: 1 });
    const seen: number[] = [];
    const summary = await tuner.tune({
      nTrial: 100, measureOption: m, batchSize: 8,
      callbacks: [(t, inputs) => { seen.push(...inputs.map((x) => x.config.index)); if (t.trials >= 16) t.stop(); }],
    });
    expect(summary.stoppedBy).toBe('signal');
    expect(summary.trials).toBe(16);
    expect(seen.length).toBe(16);
  });

  it('XGB finds a near-optimal config in half the trials random search gets (same seeds)', async () => {
    // Every seed beats random search with twice the trials; the median over seeds is near-optimal (one
    // seed's walk may settle on a lesser optimum: with ε-greedy picks drawn per plan, seed 1 reaches 84.6).
    const bests: number[] = [];
    for (const seed of [1, 2, 3]) {
      const xgbTask = syntheticTask();
      const xgbSeen = new FakeMeasure();
      await new XGBTuner(xgbTask, { seed, featureType: 'knob', planSize: 32 }).tune({ nTrial: 200, measureOption: xgbSeen });
      const randomTask = syntheticTask();
      const randomSeen = new FakeMeasure();
      const random = new RandomTuner(randomTask, { seed });
      await random.tune({ nTrial: 400, measureOption: randomSeen });
      const xgbBest = Math.max(...xgbSeen.seen.map((i) => syntheticGflops(xgbTask.space, i)));
      expect(xgbBest).toBeGreaterThan(random.bestFlops / 1e9);
      bests.push(xgbBest);
    }
    expect(bests.sort((a, b) => a - b)[1]).toBeGreaterThanOrEqual(90);
  });
});
