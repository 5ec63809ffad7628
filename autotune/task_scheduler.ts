// autotune/task_scheduler.ts — tunes all the tasks of a model together: Ansor's gradient task scheduler
// (Zheng et al., OSDI'20 §6; TVM python/tvm/auto_scheduler/task_scheduler.py), with round-robin and
// AutoTVM's sequential way (equal trials per task, one task after another) for comparison.

import { parseTarget } from '../target/index.js';
import { meanCost, recordWorkloadKey, type LogRecord } from '../tuning-logs/record.js';
import type { MeasureErrorNo } from './measure/measure_types.js';
import { Rng } from './rng.js';
import { checkRooflineFraction } from './roofline/bound.js';
import type { Task } from './task.js';
import {
  adjustSimilarityGroup, NO_COST, replayRounds, similarityTag, taskGradients, weightedLatency,
  type PartialRound, type ReplayItem, type TaskState,
} from './task_gradient.js';
import type { Callback, HistoryRecord, Tuner, TuneInput, TuneResult } from './tuner.js';

export type { SchedulerStrategy, TaskSchedulerOptions, TaskStatus, SchedulerStatus, SchedulerEvent, SchedulerStopReason, SchedulerTuneOptions, SchedulerSummary } from './task_scheduler_types.js';
import type { SchedulerStrategy, TaskSchedulerOptions, TaskStatus, SchedulerStatus, SchedulerStopReason, SchedulerTuneOptions, SchedulerSummary } from './task_scheduler_types.js';

/**
 * Tunes `tasks` (each with its own tuner from `makeTuner`) under one trial count or time budget.
 * Gradient strategy: a warm-up round per task, then each round goes to the task with the most
 * negative Ansor gradient (expected end-to-end latency cut per round). Errors: RangeError for bad
 * options (naming them); a task whose tuner proposes nothing is retired, never retried forever.
 */
export class TaskScheduler {
  readonly strategy: SchedulerStrategy;
  readonly weights: readonly number[];
  readonly tuners: readonly Tuner[];
  private readonly states: TaskState[];
  private readonly trialsOf: number[];
  private readonly untuned: (number | undefined)[];
  private readonly defaultIndex: (number | undefined)[];
  private readonly okRounds: number[];
  private readonly atRoofline: boolean[];
  private readonly history = new Map<string, HistoryRecord[]>();
  private readonly seededAt: number[];
  private readonly rng: Rng;
  private readonly alpha: number;
  private readonly beta: number;
  private readonly window: number;
  private readonly minSeed: number;

  constructor(readonly tasks: readonly Task[], makeTuner: (task: Task, index: number) => Tuner, private readonly opts: TaskSchedulerOptions = {}) {
    if (tasks.length === 0) throw new RangeError('TaskScheduler: no tasks to tune (the model has no tunable operator)');
    this.strategy = opts.strategy ?? 'gradient';
    if (!['gradient', 'round-robin', 'sequential'].includes(this.strategy)) throw new RangeError(`TaskScheduler: strategy '${this.strategy}' is not gradient, round-robin or sequential`);
    this.weights = opts.weights ?? tasks.map(() => 1);
    if (this.weights.length !== tasks.length) throw new RangeError(`TaskScheduler: ${this.weights.length} weights for ${tasks.length} tasks`);
    this.weights.forEach((w, i) => {
      if (!(w > 0) || !Number.isFinite(w)) throw new RangeError(`TaskScheduler: weight of task ${i} (${tasks[i]!.name}) must be a positive number, got ${w}`);
    });
    this.alpha = opts.alpha ?? 0.2;
    this.beta = opts.beta ?? 2;
    this.window = opts.backwardWindowSize ?? 3;
    if (!(this.alpha >= 0 && this.alpha <= 1)) throw new RangeError(`TaskScheduler: alpha must be in [0, 1], got ${this.alpha}`);
    if (!(this.beta >= 1)) throw new RangeError(`TaskScheduler: beta must be ≥ 1, got ${this.beta}`);
    if (!Number.isInteger(this.window) || this.window < 1) throw new RangeError(`TaskScheduler: backwardWindowSize must be a positive integer, got ${this.window}`);
    this.minSeed = opts.minSeedRecords ?? 64;
    this.rng = new Rng(opts.seed ?? 0);
    this.tuners = tasks.map((t, i) => makeTuner(t, i));
    this.states = tasks.map((t, i) => ({ weight: this.weights[i]!, flop: t.flop, group: similarityTag(t.name, t.flop), bestCost: NO_COST, rounds: 0, history: [], dead: false }));
    this.trialsOf = tasks.map(() => 0);
    this.untuned = tasks.map(() => undefined);
    this.okRounds = tasks.map(() => 0);
    this.atRoofline = tasks.map(() => false);
    this.seededAt = tasks.map(() => 0);
    this.defaultIndex = tasks.map((t) => {
      try {
        return t.defaultConfig?.()?.index;
      } catch {
        return undefined;
      }
    });
  }

  /** Trials per round for a job of `nTrial` total (Ansor: min(per round, nTrial / tasks)). */
  roundSize(nTrial: number | undefined): number {
    const per = this.opts.trialsPerRound ?? 64;
    if (!Number.isInteger(per) || per < 1) throw new RangeError(`TaskScheduler: trialsPerRound must be a positive integer, got ${per}`);
    if (nTrial === undefined) return per;
    const size = Math.min(per, Math.floor(nTrial / this.tasks.length));
    if (size < 1) throw new RangeError(`TaskScheduler: ${nTrial} trials are fewer than the ${this.tasks.length} tasks; give at least one trial per task`);
    return size;
  }

  /**
   * With a time budget, the most seconds one round may take: budget / (2 · tasks); the round ends after
   * the batch in flight. So the warm-up takes at most about half the budget and reaches every task, whatever
   * the trials per round and the machine's speed (TVM sizes rounds by trials only, min(per round, trials /
   * tasks); with a budget alone the 64-trial warm-up rounds of the first tasks could take all of it).
   * Infinity without a budget. (A resumed budget job replays rounds by trial count: a round cut short by
   * time and followed by another round of the same task is replayed as one.)
   */
  roundSeconds(budgetSeconds: number | undefined): number {
    return budgetSeconds === undefined ? Infinity : budgetSeconds / (2 * this.tasks.length);
  }

  /** The current status (what progress events carry). */
  status(elapsedSeconds = 0, nTrial?: number, etaSeconds?: number): SchedulerStatus {
    const all = (xs: readonly (number | undefined)[]): boolean => xs.every((x) => x !== undefined && Number.isFinite(x) && x < NO_COST);
    const best = this.states.map((s) => s.bestCost);
    const tasks = this.tasks.map((t, i): TaskStatus => ({
      name: t.name, workloadKey: t.workloadKey, weight: this.weights[i]!, group: this.states[i]!.group, trials: this.trialsOf[i]!, rounds: this.states[i]!.rounds,
      bestCost: best[i]! < NO_COST ? best[i]! : Infinity, untunedCost: this.untuned[i], dead: this.states[i]!.dead,
      atRoofline: this.atRoofline[i]!,
    }));
    return {
      trials: this.trialsOf.reduce((a, b) => a + b, 0), nTrial, elapsedSeconds, etaSeconds,
      latency: all(best) ? weightedLatency(this.states) : undefined,
      untunedLatency: all(this.untuned) ? this.untuned.reduce((a: number, u, i) => a + u! * this.weights[i]!, 0) : undefined,
      tasks,
    };
  }

  private taskOfRecord(r: LogRecord): number {
    let target: string;
    try {
      target = parseTarget(r.input[0]).str;
    } catch {
      return -1;
    }
    const key = recordWorkloadKey(r);
    return this.tasks.findIndex((t) => t.name === r.input[1] && t.workloadKey === key && t.target === target);
  }

  /** Observes one measured (or restored) result of task i. */
  private observe(i: number, input: TuneInput, result: TuneResult): void {
    this.trialsOf[i]!++;
    const ok = result.errorNo === 0 && result.costs.length > 0;
    const cost = ok ? result.costs.reduce((a, b) => a + b, 0) / result.costs.length : Infinity;
    const s = this.states[i]!;
    if (cost < s.bestCost) s.bestCost = cost;
    if (input.config.index === this.defaultIndex[i] && this.untuned[i] === undefined) this.untuned[i] = cost;
    if (this.minSeed > 0) {
      const g = this.tasks[i]!.name;
      if (!this.history.has(g)) this.history.set(g, []);
      this.history.get(g)!.push({ input, result });
    }
  }

  /** Restores an earlier run's records; returns how many belong to these tasks, and the round left unfinished. */
  private async restore(records: readonly LogRecord[], roundSize: number): Promise<{ restored: number; partial: PartialRound | undefined }> {
    for (const t of this.tuners) await t.restore(records);
    const items: ReplayItem[] = [];
    const seen = this.tasks.map(() => new Set<number>());
    for (const r of records) {
      const i = this.taskOfRecord(r);
      if (i < 0) continue;
      let config;
      try {
        config = this.tasks[i]!.space.entityFromData(r.config);
      } catch {
        continue;
      }
      if (seen[i]!.has(config.index)) continue;
      seen[i]!.add(config.index);
      const [costs, errorNo, allCost, timestamp] = r.result;
      this.observe(i, { task: this.tasks[i]!, config }, { costs, errorNo: errorNo as MeasureErrorNo, allCost, timestamp });
      items.push({ task: i, cost: meanCost(r) });
    }
    for (const s of this.states) s.bestCost = NO_COST;
    const partial = this.strategy === 'sequential' ? undefined : replayRounds(this.states, items, roundSize);
    if (this.strategy === 'sequential') for (const it of items) this.states[it.task]!.bestCost = Math.min(this.states[it.task]!.bestCost, it.cost);
    this.states.forEach((s, i) => {
      if (s.bestCost < NO_COST) this.okRounds[i] = s.rounds;
    });
    return { restored: items.length, partial };
  }

  /**
   * Transfer learning: before a round, the task's tuner learns from its template's other tasks, once they
   * have minSeedRecords records and again each time their records have doubled since (AutoTVM's tune_tasks
   * loads the history once per task).
   */
  private async seedFromSiblings(i: number): Promise<void> {
    if (this.minSeed <= 0) return;
    const task = this.tasks[i]!;
    const siblings = (this.history.get(task.name) ?? []).filter((h) => h.input.task !== task);
    // Again only once the siblings' records have doubled: a reload computes the features of every sibling
    // record (lowering each config) and refits the model, so reloading whenever a round had been added
    // (nearly every round of a gradient schedule) made the overhead grow with trials × rounds — 72 % of the
    // wall time of a 10-minute ResNet-style job. Doubling keeps the total work linear in the records.
    if (siblings.length < this.minSeed || siblings.length < 2 * this.seededAt[i]!) return;
    this.seededAt[i] = siblings.length;
    await this.tuners[i]!.loadHistory(siblings, { minSeedRecords: this.minSeed });
  }

  /** Runs the job; see SchedulerTuneOptions. Resolves with what happened. */
  async tune(o: SchedulerTuneOptions): Promise<SchedulerSummary> {
    const { nTrial, budgetSeconds } = o;
    if (nTrial === undefined && budgetSeconds === undefined) throw new RangeError('TaskScheduler.tune: give nTrial (total trials) or budgetSeconds (a time budget), or both');
    if (nTrial !== undefined && (!Number.isInteger(nTrial) || nTrial < 0)) throw new RangeError(`TaskScheduler.tune: nTrial must be a non-negative integer, got ${nTrial}`);
    if (budgetSeconds !== undefined && !(budgetSeconds > 0)) throw new RangeError(`TaskScheduler.tune: budgetSeconds must be positive, got ${budgetSeconds}`);
    const now = o.now ?? Date.now;
    const t0 = now();
    const elapsed = (): number => (now() - t0) / 1000;
    const roundSize = this.roundSize(nTrial);
    const roundSeconds = this.roundSeconds(budgetSeconds);
    const roof = o.roofline;
    if (roof !== undefined) {
      checkRooflineFraction(roof.fraction, 'TaskScheduler.tune: roofline.fraction');
      if (roof.boundFlops.length !== this.tasks.length) throw new RangeError(`TaskScheduler.tune: roofline.boundFlops has ${roof.boundFlops.length} bounds for ${this.tasks.length} tasks`);
      roof.boundFlops.forEach((b, i) => {
        if (!(Number.isFinite(b) && b > 0)) throw new RangeError(`TaskScheduler.tune: roofline.boundFlops[${i}] (${this.tasks[i]!.name}, FLOP/s) must be a finite positive number, got ${b}`);
      });
    }
    // A task whose best reached the roofline stop is done: retired, so its rounds go to the others.
    const checkRoofline = (i: number): void => {
      if (roof === undefined || this.tuners[i]!.bestFlops < roof.fraction * roof.boundFlops[i]!) return;
      this.atRoofline[i] = true;
      this.states[i]!.dead = true;
    };
    const { restored, partial } = o.resume ? await this.restore(o.resume, roundSize) : { restored: 0, partial: undefined };
    this.tasks.forEach((_, i) => checkRoofline(i));
    const total = (): number => this.trialsOf.reduce((a, b) => a + b, 0);
    const startTrials = total();
    const eta = (): number | undefined => {
      const e = elapsed();
      const done = total() - startTrials;
      const byTrials = nTrial !== undefined && done > 0 ? (e / done) * Math.max(nTrial - total(), 0) : undefined;
      const byBudget = budgetSeconds !== undefined ? Math.max(budgetSeconds - e, 0) : undefined;
      if (byTrials === undefined) return byBudget;
      return byBudget === undefined ? byTrials : Math.min(byTrials, byBudget);
    };
    const snapshot = (): SchedulerStatus => this.status(elapsed(), nTrial, eta());
    o.onEvent?.({ kind: 'start', resumed: restored, trialsPerRound: roundSize, ...snapshot() });

    const schedule: number[] = [];
    let stoppedBy: SchedulerStopReason | undefined;
    const overBudget = (): boolean => budgetSeconds !== undefined && elapsed() >= budgetSeconds;
    const left = (): number => (nTrial === undefined ? Infinity : nTrial - total());
    let bestScore = weightedLatency(this.states);
    let bestAt = total();

    // One round of task i: `size` trials through its tuner; closes the round as Ansor's _tune_task.
    const round = async (i: number, size: number): Promise<void> => {
      await this.seedFromSiblings(i);
      const started = elapsed();
      const tuner = this.tuners[i]!;
      const watch: Callback = (tn, inputs, results) => {
        inputs.forEach((inp, k) => this.observe(i, inp, results[k]!));
        if (overBudget() || elapsed() - started >= roundSeconds) tn.stop();
      };
      const before = this.trialsOf[i]!;
      const summary = await tuner.tune({
        nTrial: tuner.trials + size, measureOption: o.measureOption, callbacks: [watch, ...(o.callbacks ?? [])],
        ...(o.batchSize !== undefined ? { batchSize: o.batchSize } : {}),
        ...(o.signal !== undefined ? { signal: o.signal } : {}),
        ...(o.measureDefaultFirst !== undefined ? { measureDefaultFirst: o.measureDefaultFirst } : {}),
        ...(roof !== undefined ? { stopAtRoofline: { fraction: roof.fraction, boundFlops: roof.boundFlops[i]! } } : {}),
      });
      const measured = this.trialsOf[i]! - before;
      const s = this.states[i]!;
      s.rounds++;
      s.history.push(s.bestCost);
      if (s.bestCost < NO_COST) this.okRounds[i] = s.rounds;
      // Ansor retires a task whose round measured nothing; we also retire one whose candidates all
      // fail for two rounds running (a broken template would otherwise take every round: its cost is 1e10).
      if (measured === 0 || summary.stoppedBy === 'spaceExhausted' || (s.bestCost >= NO_COST && s.rounds - this.okRounds[i]! >= 2)) s.dead = true;
      checkRoofline(i);
      schedule.push(i);
      adjustSimilarityGroup(this.states, i, this.beta);
      o.onEvent?.({ kind: 'round', task: i, measured, ...snapshot() });
    };
    const mustStop = (): SchedulerStopReason | undefined => {
      if (o.signal?.aborted) return 'signal';
      if (left() <= 0) return 'nTrial';
      if (overBudget()) return 'budget';
      if (this.states.every((s) => s.dead)) return 'allTasksDone';
      return undefined;
    };

    if (this.strategy === 'sequential') {
      stoppedBy = await this.runSequential(round, roundSize, nTrial, budgetSeconds, elapsed, mustStop);
    } else {
      if (partial !== undefined && !mustStop()) {
        // Finish the round the earlier run was stopped in, then go on as it would have.
        await round(partial.task, Math.min(roundSize - partial.done, left()));
      }
      for (let i = 0; i < this.tasks.length && !(stoppedBy = mustStop()); i++) {
        if (this.states[i]!.rounds === 0) await round(i, Math.min(roundSize, left()));
      }
      bestScore = weightedLatency(this.states);
      bestAt = total();
      let rr = -1;
      while (!(stoppedBy = mustStop())) {
        let i: number;
        if (this.strategy === 'round-robin') {
          do rr = (rr + 1) % this.tasks.length; while (this.states[rr]!.dead);
          i = rr;
        } else {
          const grads = taskGradients(this.states, { alpha: this.alpha, beta: this.beta, backwardWindowSize: this.window });
          const live = grads.map((_, j) => j).filter((j) => !this.states[j]!.dead);
          const min = Math.min(...live.map((j) => grads[j]!));
          const max = Math.max(...live.map((j) => grads[j]!));
          i = min === max ? live[this.rng.int(live.length)]! : live.find((j) => grads[j] === min)!;
        }
        await round(i, Math.min(roundSize, left()));
        const score = weightedLatency(this.states);
        if (score < bestScore) {
          bestScore = score;
          bestAt = total();
        } else if (o.earlyStopping !== undefined && total() - bestAt >= o.earlyStopping && this.states.every((s) => s.bestCost < NO_COST)) {
          stoppedBy = 'earlyStopping';
          break;
        }
      }
    }
    const final = { ...snapshot(), stoppedBy: stoppedBy ?? 'nTrial', measured: total() - startTrials, schedule };
    o.onEvent?.({ kind: 'done', stoppedBy: final.stoppedBy, ...snapshot() });
    return final;
  }

  /**
   * AutoTVM's way (tune_tasks): task after task, each with an equal share of the trials (or of
   * the time budget), in rounds so progress and logs look the same. A task that ends early
   * (space exhausted) leaves its share unused, as in AutoTVM; one done by the roofline stop passes what it left
   * of its share to the next task.
   */
  private async runSequential(
    round: (i: number, size: number) => Promise<void>, roundSize: number, nTrial: number | undefined, budgetSeconds: number | undefined,
    elapsed: () => number, mustStop: () => SchedulerStopReason | undefined,
  ): Promise<SchedulerStopReason | undefined> {
    const n = this.tasks.length;
    let carry = 0;
    for (let i = 0; i < n; i++) {
      const share = nTrial === undefined ? Infinity : Math.floor(nTrial / n) + (i < nTrial % n ? 1 : 0) + carry;
      const until = budgetSeconds === undefined ? Infinity : (budgetSeconds * (i + 1)) / n;
      for (;;) {
        const stop = mustStop();
        if (stop !== undefined && stop !== 'nTrial') return stop;
        const want = Math.min(roundSize, share - this.trialsOf[i]!);
        if (this.states[i]!.dead || want <= 0 || elapsed() >= until) break;
        await round(i, want);
      }
      carry = this.atRoofline[i]! && Number.isFinite(share) ? Math.max(share - this.trialsOf[i]!, 0) : 0;
    }
    return mustStop() ?? 'allTasksDone';
  }
}
