// tests/autotune/task_scheduler.test.ts — the model-level task scheduler over synthetic tasks with
// deterministic fake measurements: gradients by hand, who gets the rounds, gradient vs AutoTVM's
// sequential way, budget, resume continuing the same schedule, transfer learning, progress events.

import { describe, expect, it } from 'vitest';
import { RandomTuner } from '../../autotune/random_tuner.js';
import { TaskScheduler, type SchedulerEvent, type SchedulerStrategy } from '../../autotune/task_scheduler.js';
import { NO_COST, replayRounds, similarityTag, taskGradients, type TaskState } from '../../autotune/task_gradient.js';
import type { Task } from '../../autotune/task.js';
import type { HistoryRecord, MeasureBatcher, TuneInput, TuneResult } from '../../autotune/tuner.js';
import { toLogRecord, type LogRecord } from '../../tuning-logs/record.js';
import { syntheticGflops, syntheticSpace, syntheticTask } from './synthetic.js';

const space = syntheticSpace();

/** A synthetic task: template `name`, its own workload `id`, `flop` per run, peak `scale`×100 GFLOP/s. */
function modelTask(name: string, id: number, flop: number, scale = 1): Task & { scale: number } {
  const base = syntheticTask(space);
  return {
    ...base, name, args: [id], workloadKey: JSON.stringify([name, [id]]), flop, scale,
    defaultConfig: () => space.entityAt(0),
  };
}

/** Measures by the synthetic function (times `scale`); configs of tasks in `failing` always fail. Logs what it saw. */
class ModelMeasure implements MeasureBatcher {
  readonly seen: string[] = [];
  readonly nParallel = 8;
  constructor(private readonly failing: ReadonlySet<string> = new Set(), private readonly onBatch?: () => void) {}
  measureBatch(inputs: readonly TuneInput[]): Promise<TuneResult[]> {
    this.onBatch?.();
    return Promise.resolve(inputs.map((inp) => {
      this.seen.push(`${inp.task.workloadKey}#${inp.config.index}`);
      if (this.failing.has(inp.task.workloadKey)) return { costs: [1e9], errorNo: 4 as const, allCost: 0, timestamp: 1, errorMsg: 'fake' };
      const g = syntheticGflops(inp.task.space, inp.config.index) * (inp.task as Task & { scale: number }).scale;
      const secs = inp.task.flop / (g * 1e9);
      return { costs: [secs], errorNo: 0 as const, allCost: secs, timestamp: 1763942400 };
    }));
  }
}

const random = (t: Task, i: number) => new RandomTuner(t, { seed: 11 + i });

function state(p: Partial<TaskState>): TaskState {
  return { weight: 1, flop: 0, group: undefined, bestCost: NO_COST, rounds: 0, history: [], dead: false, ...p };
}

describe('taskGradients (Ansor §6)', () => {
  const params = { alpha: 0.2, beta: 2, backwardWindowSize: 3 };

  it('combines the chain term, the backward window and the optimistic forward gradient', () => {
    // backward = (0.01 − 0.04) / 3 = −0.01; forward = (0.01 − 0.01/4) − 0.01 = −0.0025; grad = 2·(0.2·−0.01 + 0.8·−0.0025) = −0.008
    const g = taskGradients([state({ weight: 2, bestCost: 0.01, rounds: 4, history: [0.04, 0.03, 0.02, 0.01] })], params);
    expect(g[0]).toBeCloseTo(-0.008, 12);
  });

  it('has no backward term until the window is full, and bounds the forward one by the group', () => {
    // Two tasks of one template at 100 and 10 GFLOP/s. Slow task after 2 rounds: min(0.1 − 0.05, 2·1e9/1e11) − 0.1 = −0.08.
    const fast = state({ flop: 1e9, group: 'g', bestCost: 0.01, rounds: 2, history: [0.02, 0.01] });
    const slow = state({ flop: 1e9, group: 'g', bestCost: 0.1, rounds: 2, history: [0.1, 0.1] });
    const g = taskGradients([fast, slow], params);
    expect(g[1]).toBeCloseTo(0.8 * -0.08, 12);
    expect(g[0]).toBeCloseTo(0.8 * -0.005, 12);
    // Alone in its group the slow task's forward gradient is the optimistic one: (0.1 − 0.05) − 0.1.
    expect(taskGradients([{ ...slow, group: 'other' }], params)[0]).toBeCloseTo(0.8 * -0.05, 12);
  });

  it('gives dead tasks 0 and scales with the weight', () => {
    const a = state({ bestCost: 0.02, rounds: 1, history: [0.02] });
    const g = taskGradients([a, { ...a, weight: 5 }, { ...a, dead: true }], params);
    expect(g[1]).toBeCloseTo(5 * g[0]!, 12);
    expect(g[2]).toBe(0);
    expect(g[0]).toBeLessThan(0);
  });
});

describe('replayRounds', () => {
  it('cuts consecutive records of a task into rounds and returns an unfinished last round', () => {
    const st = [state({}), state({})];
    const items = [0, 0, 0, 0, 1, 1, 1, 1, 0, 0].map((task, k) => ({ task, cost: 10 - k }));
    const partial = replayRounds(st, items, 4);
    expect(st[0]!.rounds).toBe(1);
    expect(st[1]!.rounds).toBe(1);
    expect(st[0]!.history).toEqual([7]);
    expect(st[1]!.history).toEqual([3]);
    expect(st[0]!.bestCost).toBe(1);
    expect(partial).toEqual({ task: 0, done: 2 });
    const st2 = [state({}), state({})];
    expect(replayRounds(st2, items.slice(0, 8).concat(items.slice(0, 4)), 4)).toBeUndefined();
    expect(st2[0]!.rounds).toBe(2);
  });
});

async function runModel(strategy: SchedulerStrategy, tasks: readonly Task[], weights: number[], nTrial: number, perRound = 32) {
  const events: SchedulerEvent[] = [];
  const s = new TaskScheduler(tasks, random, { strategy, weights, trialsPerRound: perRound });
  const summary = await s.tune({ nTrial, measureOption: new ModelMeasure(), onEvent: (e) => events.push(e) });
  return { s, summary, events };
}

describe('TaskScheduler', () => {
  it('gives the rounds to the tasks that dominate the model latency', async () => {
    // Task 0 runs 20 times per inference; tasks 1 and 2 once, and task 2 is cheap anyway.
    const tasks = [modelTask('a.test', 0, 1e9), modelTask('b.test', 1, 1e9), modelTask('c.test', 2, 1e7)];
    const { summary } = await runModel('gradient', tasks, [20, 1, 1], 640);
    const t = summary.tasks.map((x) => x.trials);
    expect(summary.trials).toBe(640);
    expect(t.every((n) => n >= 32)).toBe(true); // the warm-up round per task
    expect(t[0]!).toBeGreaterThan(t[1]! + t[2]!);
    expect(t[2]).toBe(32); // a task worth ~1e-4 of the latency never gets a second round
    expect(summary.schedule.slice(0, 3)).toEqual([0, 1, 2]);
  });

  it('reaches the sequential (AutoTVM) schedule’s final latency in fewer trials', async () => {
    // A synthetic model: three layers of one template, a dense, two depthwise; weights = runs per inference.
    const tasks = [
      modelTask('conv.test', 0, 2e9), modelTask('conv.test', 1, 1e9), modelTask('conv.test', 2, 2e8),
      modelTask('dense.test', 3, 5e8, 0.5), modelTask('dw.test', 4, 1e8), modelTask('dw.test', 5, 5e7),
    ];
    const weights = [4, 2, 1, 1, 3, 1];
    const N = 1536;
    // Random search is luck per trial: compare the mean latency curves over five tuner seeds.
    const curve = async (strategy: SchedulerStrategy): Promise<number[]> => {
      const mean: number[] = [];
      for (let seed = 0; seed < 5; seed++) {
        const events: SchedulerEvent[] = [];
        const s = new TaskScheduler(tasks, (t, i) => new RandomTuner(t, { seed: 100 * seed + i }), { strategy, weights, trialsPerRound: 32 });
        const r = await s.tune({ nTrial: N, measureOption: new ModelMeasure(), onEvent: (e) => events.push(e) });
        expect(r.trials).toBe(N);
        if (strategy === 'sequential') {
          // Equal shares, one task after another.
          expect(r.tasks.map((t) => t.trials)).toEqual([256, 256, 256, 256, 256, 256]);
          expect(r.schedule).toEqual([...r.schedule].sort((a, b) => a - b));
        }
        for (const e of events) if (e.kind === 'round' && e.latency !== undefined) mean[e.trials / 32] = (mean[e.trials / 32] ?? 0) + e.latency / 5;
      }
      return mean;
    };
    const seq = await curve('sequential');
    const grad = await curve('gradient');
    const target = seq.at(-1)!;
    const reached = 32 * grad.findIndex((x) => x !== undefined && x <= target);
    expect(reached).toBeGreaterThan(0);
    expect(reached).toBeLessThanOrEqual(0.6 * N); // measured: 704 of 1536 trials (0.46)
    expect(grad.at(-1)!).toBeLessThan(0.9 * target); // measured: 0.80 of the sequential latency
  });

  it('reports progress: tasks, trials, latency now vs untuned, ETA', async () => {
    const tasks = [modelTask('a.test', 0, 1e9), modelTask('b.test', 1, 1e9)];
    let clock = 0;
    const events: SchedulerEvent[] = [];
    const s = new TaskScheduler(tasks, random, { trialsPerRound: 16 });
    const m = new ModelMeasure(new Set(), () => { clock += 1000; });
    await s.tune({ nTrial: 128, measureOption: m, onEvent: (e) => events.push(e), now: () => clock, batchSize: 8 });
    expect(events[0]!.kind).toBe('start');
    expect(events.at(-1)!.kind).toBe('done');
    const rounds = events.filter((e) => e.kind === 'round');
    expect(rounds.length).toBe(8);
    expect(rounds.map((e) => e.trials)).toEqual([16, 32, 48, 64, 80, 96, 112, 128]);
    const last = rounds.at(-1)!;
    // The untuned latency is the default config's cost (config 0) of each task, weighted.
    const untuned = tasks.reduce((a, t) => a + t.flop / (syntheticGflops(space, 0) * 1e9), 0);
    expect(last.untunedLatency).toBeCloseTo(untuned, 12);
    expect(last.latency!).toBeLessThan(last.untunedLatency!);
    // 2 batches per round, 1 s each: after 3 rounds, 6 s for 48 trials, 80 left → 10 s.
    expect(rounds[2]!.etaSeconds).toBeCloseTo(10, 9);
    expect(rounds[0]!.latency).toBeUndefined(); // task 1 has no result yet
  });

  it('stops on a time budget, after the batch in flight', async () => {
    const tasks = [modelTask('a.test', 0, 1e9), modelTask('b.test', 1, 1e9)];
    let clock = 0;
    const m = new ModelMeasure(new Set(), () => { clock += 1000; });
    const s = new TaskScheduler(tasks, random, { trialsPerRound: 64 });
    const r = await s.tune({ budgetSeconds: 20, measureOption: m, now: () => clock, batchSize: 8 });
    expect(r.stoppedBy).toBe('budget');
    expect(r.trials).toBe(20 * 8);
  });

  it('resumes from its log records and continues the same schedule', async () => {
    const tasks = () => [modelTask('a.test', 0, 1e9), modelTask('a.test', 1, 5e8), modelTask('b.test', 2, 2e8)];
    const weights = [3, 2, 1];
    const opts = { weights, trialsPerRound: 24, minSeedRecords: 0 };
    const full = new ModelMeasure();
    const fullRun = await new TaskScheduler(tasks(), random, opts).tune({ nTrial: 480, measureOption: full, batchSize: 8 });

    // The same job stopped mid-round (Ctrl-C after 29 batches), its log kept, then resumed.
    const log: LogRecord[] = [];
    const ac = new AbortController();
    let batches = 0;
    const first = new ModelMeasure(new Set(), () => { if (++batches === 29) ac.abort(); });
    const stopped = await new TaskScheduler(tasks(), random, opts).tune({
      nTrial: 480, measureOption: first, batchSize: 8, signal: ac.signal,
      callbacks: [(_t, inputs, results) => inputs.forEach((inp, k) => log.push(toLogRecord(inp, results[k]!)))],
    });
    expect(stopped.stoppedBy).toBe('signal');
    expect(log.length).toBe(29 * 8);
    const second = new ModelMeasure();
    const resumed = await new TaskScheduler(tasks(), random, opts).tune({ nTrial: 480, measureOption: second, batchSize: 8, resume: log });
    expect(resumed.measured).toBe(480 - 29 * 8);
    expect([...first.seen, ...second.seen]).toEqual(full.seen);
    expect(resumed.tasks.map((t) => t.trials)).toEqual(fullRun.tasks.map((t) => t.trials));
    expect(resumed.latency).toBe(fullRun.latency);
  });

  it('shares what was learned between tasks of one template (transfer learning)', async () => {
    const loads: { task: string; from: string[] }[] = [];
    class Recording extends RandomTuner {
      override loadHistory(records: readonly HistoryRecord[]): Promise<boolean> {
        loads.push({ task: this.task.workloadKey, from: [...new Set(records.map((r) => r.input.task.workloadKey))] });
        return Promise.resolve(true);
      }
    }
    const tasks = [modelTask('conv.test', 0, 1e9), modelTask('conv.test', 1, 1e9), modelTask('dense.test', 2, 1e9)];
    const s = new TaskScheduler(tasks, (t, i) => new Recording(t, { seed: i }), { trialsPerRound: 32, minSeedRecords: 32 });
    await s.tune({ nTrial: 320, measureOption: new ModelMeasure() });
    const k = (i: number) => tasks[i]!.workloadKey;
    // Task 1's warm-up round already learns from task 0's records; nobody learns from itself or another template.
    expect(loads[0]).toEqual({ task: k(1), from: [k(0)] });
    for (const l of loads) {
      expect(l.from).not.toContain(l.task);
      expect(l.task).not.toBe(k(2));
      expect(l.from).not.toContain(k(2));
    }
  });

  it('retires a task whose candidates all fail instead of giving it every round', async () => {
    const tasks = [modelTask('a.test', 0, 1e9), modelTask('b.test', 1, 1e9)];
    const s = new TaskScheduler(tasks, random, { trialsPerRound: 16 });
    const r = await s.tune({ nTrial: 320, measureOption: new ModelMeasure(new Set([tasks[1]!.workloadKey])) });
    expect(r.tasks[1]!.dead).toBe(true);
    expect(r.tasks[1]!.trials).toBe(32);
    expect(r.tasks[0]!.trials).toBe(288);
    expect(r.latency).toBeUndefined();
  });

  it("groups tasks as Ansor's similarity tag does: one template and a FLOP count within one log-1.618 bucket", () => {
    // The ResNet-style model's packed convs: 189k, 128k, 124k, 70k and 6.4k FLOP (the 1×1 stride-2 one).
    expect(similarityTag('conv2d_NCHWc.wasm', 127872)).toBe(similarityTag('conv2d_NCHWc.wasm', 123824));
    expect(similarityTag('conv2d_NCHWc.wasm', 6400)).not.toBe(similarityTag('conv2d_NCHWc.wasm', 188772));
    expect(similarityTag('conv2d_NCHWc.wasm', 1e6)).toBe('conv2d_NCHWc.wasm_28'); // ⌊ln(1e6 + 1) / ln 1.618⌋
    expect(similarityTag('x.test', 0)).toBeUndefined();
    const tasks = [modelTask('conv.test', 0, 1e9), modelTask('conv.test', 1, 1.2e9), modelTask('conv.test', 2, 1e7), modelTask('dense.test', 3, 1e9)];
    const groups = new TaskScheduler(tasks, random).status().tasks.map((t) => t.group);
    expect(groups[0]).toBe(groups[1]);
    expect(new Set(groups).size).toBe(3);
  });

  it('does not chase an unreachable group bound for a small task of a big template (one task per FLOP bucket)', async () => {
    // A big conv at 100 GFLOP/s peak and a tiny one that can reach only 5: grouped by template alone, the tiny
    // one's forward gradient assumed it could reach half the big one's FLOP/s and took rounds it cannot use.
    const big = modelTask('conv.test', 0, 2e9);
    const tiny = modelTask('conv.test', 1, 1e7, 0.05);
    const { summary } = await runModel('gradient', [big, tiny], [1, 1], 640, 32);
    // Measured (seeded random search): 96 trials for the tiny task and an estimate of 47.2 ms; grouped by
    // template, 224 trials and 49.9 ms.
    expect(summary.tasks[1]!.trials).toBeLessThanOrEqual(96);
    expect(summary.tasks[0]!.trials).toBeGreaterThanOrEqual(544);
    expect(summary.latency!).toBeLessThan(0.048);
  });

  it('with a time budget, cuts rounds at budget / (2 · tasks) so the warm-up reaches every task', async () => {
    // 8 tasks, 64 trials per round, 1 s per batch of 8: uncut, the warm-up rounds of the first 5 tasks take
    // the whole 40 s and the last 3 are never measured (no latency at all).
    const tasks = Array.from({ length: 8 }, (_, k) => modelTask(`t${k}.test`, k, 1e9));
    let clock = 0;
    const m = new ModelMeasure(new Set(), () => { clock += 1000; });
    const s = new TaskScheduler(tasks, random, { trialsPerRound: 64 });
    expect(s.roundSeconds(40)).toBe(2.5);
    const r = await s.tune({ budgetSeconds: 40, measureOption: m, now: () => clock, batchSize: 8 });
    expect(r.stoppedBy).toBe('budget');
    expect(r.trials).toBe(40 * 8);
    // Each warm-up round: 3 batches (the one that passes 2.5 s ends it).
    expect(r.tasks.map((t) => t.trials).slice(0, 8).every((n) => n >= 24)).toBe(true);
    expect(r.schedule.slice(0, 8)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(r.latency).toBeDefined();
  });

  it('reloads transfer-learning history only when the siblings\' records have doubled, not every round', async () => {
    const loads: { task: string; size: number }[] = [];
    class Recording extends RandomTuner {
      override loadHistory(records: readonly HistoryRecord[]): Promise<boolean> {
        loads.push({ task: this.task.workloadKey, size: records.length });
        return Promise.resolve(true);
      }
    }
    const tasks = [modelTask('conv.test', 0, 1e9), modelTask('conv.test', 1, 1e9), modelTask('conv.test', 2, 1e9)];
    const s = new TaskScheduler(tasks, (t, i) => new Recording(t, { seed: i }), { trialsPerRound: 16, minSeedRecords: 32 });
    const r = await s.tune({ nTrial: 1536, measureOption: new ModelMeasure() });
    expect(r.schedule.length).toBe(96);
    for (const t of tasks) {
      const sizes = loads.filter((l) => l.task === t.workloadKey).map((l) => l.size);
      expect(sizes.length).toBeGreaterThan(0);
      expect(sizes[0]).toBeGreaterThanOrEqual(32);
      for (let k = 1; k < sizes.length; k++) expect(sizes[k]).toBeGreaterThanOrEqual(2 * sizes[k - 1]!);
      // 32 → ≥ 1024 of at most 1536 − 16 sibling records: at most 6 loads, where every round would be ~30.
      expect(sizes.length).toBeLessThanOrEqual(6);
    }
  });

  it('rejects bad options with errors naming them', () => {
    const t = [modelTask('a.test', 0, 1e9)];
    expect(() => new TaskScheduler([], random)).toThrow(/no tasks/);
    expect(() => new TaskScheduler(t, random, { weights: [1, 2] })).toThrow(/2 weights for 1 tasks/);
    expect(() => new TaskScheduler(t, random, { weights: [0] })).toThrow(/weight of task 0/);
    expect(() => new TaskScheduler([...t, ...t, ...t], random).roundSize(2)).toThrow(/2 trials are fewer than the 3 tasks/);
    return expect(new TaskScheduler(t, random).tune({ measureOption: new ModelMeasure() })).rejects.toThrow(/nTrial .* or budgetSeconds/);
  });
});
