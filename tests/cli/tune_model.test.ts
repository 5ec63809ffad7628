// tests/cli/tune_model.test.ts — the model tuning job (cli/tune_model.ts) over synthetic tasks with fake
// measurements: every record in the log, JSON events, refusing a used log without --resume, and a
// resumed job ending where an uninterrupted one ends; durations for --budget.

import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parseDuration, tuneModelJob, modelProgressLine, type ModelTuneJob } from '../../cli/tune_model.js';
import type { Task } from '../../autotune/task.js';
import type { MeasureBatcher, TuneInput, TuneResult } from '../../autotune/tuner.js';
import { decodeRecord } from '../../tuning-logs/record.js';
import { syntheticGflops, syntheticSpace, syntheticTask } from '../autotune/synthetic.js';
import { tempDir } from '../tuning-logs/helpers.js';

const dir = tempDir('tune-model');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const space = syntheticSpace();

function task(name: string, id: number, flop: number): Task {
  return { ...syntheticTask(space), name, args: [id], workloadKey: JSON.stringify([name, [id]]), flop, defaultConfig: () => space.entityAt(0) };
}

class Fake implements MeasureBatcher {
  readonly nParallel = 8;
  constructor(private readonly onBatch?: () => void) {}
  measureBatch(inputs: readonly TuneInput[]): Promise<TuneResult[]> {
    this.onBatch?.();
    return Promise.resolve(inputs.map((inp) => {
      const s = inp.task.flop / (syntheticGflops(space, inp.config.index) * 1e9);
      return { costs: [s], errorNo: 0 as const, allCost: s, timestamp: 1763942400 };
    }));
  }
}

const tasks = [task('conv.test', 0, 1e9), task('conv.test', 1, 5e8), task('dense.test', 2, 2e8)];
const base = (log: string, extra: Partial<ModelTuneJob> = {}): ModelTuneJob => ({
  tasks, weights: [3, 2, 1], log, nTrial: 192, resume: false, tuner: 'random', featureType: 'knob', seed: 0,
  trialsPerRound: 16, measureOption: new Fake(), device: { cpu: 'test' }, batchSize: 8, output: 'quiet', ...extra,
});

describe('parseDuration', () => {
  it('reads h/m/s and bare seconds', () => {
    expect(parseDuration('30m')).toBe(1800);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('45')).toBe(45);
    expect(() => parseDuration('ten minutes')).toThrow(/--budget 'ten minutes': expected a duration like 30m/);
    expect(() => parseDuration('0m')).toThrow(/longer than 0/);
  });
});

describe('tuneModelJob', () => {
  it('writes every measured record to the log, one whole line each', async () => {
    const log = join(dir, 'a.jsonl');
    const r = await tuneModelJob(base(log));
    expect(r.trials).toBe(192);
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n').map((l) => decodeRecord(l));
    expect(lines).toHaveLength(192);
    expect(new Set(lines.map((l) => l.input[1]))).toEqual(new Set(['conv.test', 'dense.test']));
    expect(lines[0]!.device).toMatchObject({ cpu: 'test' });
  });

  it('refuses a log that has this model’s records unless --resume, and a resumed job ends as an uninterrupted one', async () => {
    const full = await tuneModelJob(base(join(dir, 'full.jsonl')));
    const log = join(dir, 'b.jsonl');
    const ac = new AbortController();
    let n = 0;
    const stopped = await tuneModelJob(base(log, { signal: ac.signal, measureOption: new Fake(() => { if (++n === 9) ac.abort(); }) }));
    expect(stopped.stoppedBy).toBe('signal');
    await expect(tuneModelJob(base(log))).rejects.toThrow(/already has 72 records of this model's tasks; pass --resume/);
    const resumed = await tuneModelJob(base(log, { resume: true }));
    expect(resumed.trials).toBe(192);
    expect(resumed.measured).toBe(192 - 72);
    expect(resumed.tasks.map((t) => t.trials)).toEqual(full.tasks.map((t) => t.trials));
    expect(resumed.latency).toBe(full.latency);
    expect(readFileSync(log, 'utf8').trimEnd().split('\n')).toHaveLength(192);
  });

  it('prints JSON events: start, a round per round, done with per-task detail', async () => {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { out.push(String(s)); return true; });
    try {
      await tuneModelJob(base(join(dir, 'c.jsonl'), { output: 'json', nTrial: 64 }));
    } finally {
      spy.mockRestore();
    }
    const events = out.join('').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; trials: number; tasks?: unknown[]; latency?: number; untunedLatency?: number });
    expect(events[0]!.kind).toBe('start');
    expect(events.at(-1)!.kind).toBe('done');
    expect(events.at(-1)!.tasks).toHaveLength(3);
    expect(events.filter((e) => e.kind === 'round').map((e) => e.trials)).toEqual([16, 32, 48, 64]);
    expect(events.at(-1)!.latency!).toBeLessThanOrEqual(events.at(-1)!.untunedLatency!);
  });

  it('says trials, tasks, latency now vs untuned and ETA on one line', () => {
    const line = modelProgressLine({
      kind: 'round', task: 1, measured: 16, trials: 48, nTrial: 192, elapsedSeconds: 30, etaSeconds: 90, latency: 0.002, untunedLatency: 0.005,
      tasks: tasks.map((t, i) => ({ name: t.name, workloadKey: t.workloadKey, weight: 1, group: undefined, trials: 16, rounds: 1, bestCost: 0.001, untunedCost: 0.002, dead: i === 2 })),
    });
    expect(line).toBe('trials 48/192  tasks 3 (1 finished)  est. latency 2.00 ms (untuned 5.00 ms, 2.50× faster)  elapsed 30s  ETA 1m30s  [task 2/3: conv.test]');
  });
});
