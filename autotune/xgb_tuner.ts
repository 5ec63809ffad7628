// autotune/xgb_tuner.ts — AutoTVM's XGBTuner (a ModelBasedTuner): measure a plan of configs, fit the
// XGBoost cost model, let simulated annealing pick the next plan from the model, with ε-greedy random picks.

import { parseTarget } from '../target/index.js';
import { scheduleOps } from '../schedule/schedule_ops.js';
import { recordWorkloadKey, type LogRecord } from '../tuning-logs/record.js';
import { configFeatures, type FeatureType, type LowerFn } from './features.js';
import type { MeasureErrorNo } from './measure/measure_types.js';
import { Rng } from './rng.js';
import { SimulatedAnnealingOptimizer, type SAOptions } from './sa_optimizer.js';
import type { ConfigEntity } from './space.js';
import { createTask, type Task } from './task.js';
import { resultFlops, Tuner, type HistoryRecord, type TuneInput, type TuneResult } from './tuner.js';
import { XGBoostCostModel, type LossType } from './xgb_cost_model.js';

export interface XGBTunerOptions {
  /** Configs per plan: the model is refitted every planSize results (AutoTVM: 64). */
  readonly planSize?: number;
  readonly featureType?: FeatureType;
  readonly lossType?: LossType;
  /** Share of each plan picked at random instead of by the model (AutoTVM: 0.05). */
  readonly epsGreedy?: number;
  /**
   * When set (e.g. 2), SA returns planSize·ratio candidates and a submodular pick keeps the planSize
   * that cover the most distinct knob values. AutoTVM's default is off (undefined).
   */
  readonly diversityFilterRatio?: number;
  readonly seed?: number;
  readonly optimizer?: Omit<SAOptions, 'seed'>;
  /**
   * Lowering for 'itervar' / 'curve' features. Default: the loop nest as the schedule builds it,
   * before the TIR passes (AutoTVM extracts features from its simple-mode lowering likewise).
   */
  readonly lower?: LowerFn;
  /** Training-round limits of the model (tests shorten them). */
  readonly maxRounds?: number;
}

/**
 * AutoTVM's submodular_pick: greedily picks `nPick` candidates maximizing score plus `knobWeight`
 * for each knob value not yet covered by the picks so far. Returns positions into `knobs`.
 */
export function submodularPick(scores: readonly number[], knobs: readonly (readonly number[])[], nPick: number, knobWeight = 1): number[] {
  const nKnobs = knobs[0]?.length ?? 0;
  const covered = Array.from({ length: nKnobs }, () => new Set<number>());
  const remain = new Set(knobs.map((_, i) => i));
  const picked: number[] = [];
  while (picked.length < nPick && remain.size > 0) {
    let best = -1;
    let bestDelta = -Infinity;
    for (const x of remain) {
      let delta = scores[x]!;
      for (let i = 0; i < nKnobs; i++) if (!covered[i]!.has(knobs[x]![i]!)) delta += knobWeight;
      if (delta > bestDelta) { bestDelta = delta; best = x; }
    }
    picked.push(best);
    remain.delete(best);
    for (let i = 0; i < nKnobs; i++) covered[i]!.add(knobs[best]![i]!);
  }
  return picked;
}

/** The loop nest of an instantiated template before the TIR passes: cheap, and loop structure is kept. */
export const defaultFeatureLower: LowerFn = (inst) => scheduleOps(inst.schedule, inst.tensors, 'features');

export class XGBTuner extends Tuner {
  readonly planSize: number;
  readonly featureType: FeatureType;
  readonly costModel: XGBoostCostModel;
  readonly optimizer: SimulatedAnnealingOptimizer;
  private readonly epsGreedy: number;
  private readonly diversity: number | undefined;
  private readonly rng: Rng;
  private readonly lower: LowerFn;
  /** Planned or measured configs (AutoTVM's visited). */
  private readonly visited = new Set<number>();
  private trialsPlan: number[] = [];
  private trialPt = 0;
  private readonly xs: number[] = [];
  private readonly ys: number[] = [];
  private flopsMax = 0;
  private trainCt = 0;

  constructor(task: Task, opts: XGBTunerOptions = {}) {
    super(task);
    this.planSize = opts.planSize ?? 64;
    this.featureType = opts.featureType ?? 'itervar';
    this.epsGreedy = opts.epsGreedy ?? 0.05;
    this.diversity = opts.diversityFilterRatio;
    this.lower = opts.lower ?? defaultFeatureLower;
    const seed = opts.seed ?? 0;
    this.rng = new Rng(seed);
    if (!Number.isInteger(this.planSize) || this.planSize < 1) throw new RangeError(`XGBTuner: planSize must be a positive integer, got ${this.planSize}`);
    const lower = this.lower;
    this.costModel = new XGBoostCostModel(
      { features: (i) => configFeatures(task, task.space.entityAt(i), this.featureType, lower) },
      { lossType: opts.lossType ?? 'rank', seed: seed + 1, ...(opts.maxRounds !== undefined ? { maxRounds: opts.maxRounds } : {}) },
    );
    this.optimizer = new SimulatedAnnealingOptimizer(task.space, { ...opts.optimizer, seed: seed + 2 });
  }

  override hasNext(): boolean {
    return super.hasNext() && this.visited.size < this.task.space.length;
  }

  nextBatch(n: number): ConfigEntity[] {
    const space = this.task.space;
    const out: ConfigEntity[] = [];
    const randomTail = Math.floor(this.epsGreedy * this.planSize);
    while (out.length < n && this.visited.size < space.length) {
      while (this.trialPt < this.trialsPlan.length) {
        const p = this.trialsPlan[this.trialPt]!;
        if (!this.visited.has(p) && !this.measured.has(p)) break;
        this.trialPt++;
      }
      let index: number;
      if (this.trialPt >= this.trialsPlan.length - randomTail) {
        // No plan yet, or the last ε of the plan: explore at random (AutoTVM's ε-greedy).
        index = this.randomUnvisited();
      } else {
        index = this.trialsPlan[this.trialPt]!;
      }
      this.visited.add(index);
      out.push(space.entityAt(index));
    }
    return out;
  }

  private randomUnvisited(): number {
    const space = this.task.space;
    for (let tries = 0; tries < 1000; tries++) {
      const i = space.sample(this.rng);
      if (!this.visited.has(i) && !this.measured.has(i)) return i;
    }
    // Nearly exhausted space: scan from a random start.
    const start = space.sample(this.rng);
    for (let k = 0; k < space.length; k++) {
      const i = (start + k) % space.length;
      if (!this.visited.has(i) && !this.measured.has(i)) return i;
    }
    throw new Error('XGBTuner: no unvisited config left');
  }

  override async update(inputs: readonly TuneInput[], results: readonly TuneResult[]): Promise<void> {
    inputs.forEach((inp, k) => {
      const flops = resultFlops(this.task, results[k]!);
      this.xs.push(inp.config.index);
      this.ys.push(flops);
      this.flopsMax = Math.max(this.flopsMax, flops);
      this.visited.add(inp.config.index);
    });
    if (this.xs.length >= this.planSize * (this.trainCt + 1) && this.flopsMax > 1e-6) {
      await this.costModel.fit(this.xs, this.ys, this.planSize);
      this.trainCt++;
      // No model when no measured config yielded features (all failed to instantiate): keep exploring at random.
      if (this.costModel.trained) {
        this.trialsPlan = this.plan();
        this.trialPt = 0;
      }
    }
  }

  /** The next plan: SA's best-predicted unvisited configs, optionally diversity-filtered. */
  private plan(): number[] {
    const exclude = new Set([...this.visited, ...this.measured]);
    if (!this.diversity) return this.optimizer.findMaximums(this.costModel, this.planSize, exclude);
    const cands = this.optimizer.findMaximums(this.costModel, Math.ceil(this.planSize * this.diversity), exclude);
    const knobs = cands.map((c) => this.task.space.pointToKnobs(c));
    // AutoTVM passes zero scores: the pick maximizes knob coverage among SA's top candidates.
    return submodularPick(cands.map(() => 0), knobs, this.planSize, 1).map((i) => cands[i]!);
  }

  /**
   * Transfer learning (AutoTVM's load_history): fits a base model on records of other tasks of
   * this template, and if no plan exists yet, plans the first batch from it. Returns whether
   * there were enough records (`minSeedRecords`, AutoTVM: 500).
   */
  override async loadHistory(records: readonly HistoryRecord[], opts: { minSeedRecords?: number } = {}): Promise<boolean> {
    const rows: number[][] = [];
    const ys: number[] = [];
    for (const r of records) {
      if (r.input.task.name !== this.task.name) continue;
      try {
        rows.push(configFeatures(r.input.task, r.input.config, this.featureType, this.lower));
        ys.push(resultFlops(r.input.task, r.result));
      } catch {
        // A config that no longer instantiates teaches nothing.
      }
    }
    const ok = await this.costModel.fitHistory(rows, ys, this.planSize, opts.minSeedRecords ?? 500);
    if (ok && this.trialsPlan.length === 0) {
      this.trialsPlan = this.plan();
      this.trialPt = 0;
    }
    return ok;
  }
}

/**
 * History records from log records, for loadHistory: each record's task is re-created from its
 * template name, args and target (templates must be registered). Records whose task or config
 * cannot be rebuilt are skipped.
 */
export function historyFromLogRecords(records: readonly LogRecord[]): HistoryRecord[] {
  const out: HistoryRecord[] = [];
  const tasks = new Map<string, Task | null>();
  for (const r of records) {
    const key = `${r.input[0]}\u0000${recordWorkloadKey(r)}`;
    if (!tasks.has(key)) {
      try {
        tasks.set(key, createTask(r.input[1], r.input[2], parseTarget(r.input[0]).str));
      } catch {
        tasks.set(key, null);
      }
    }
    const task = tasks.get(key);
    if (!task) continue;
    let config: ConfigEntity;
    try {
      config = task.space.entityFromData(r.config);
    } catch {
      continue;
    }
    const [costs, errorNo, allCost, timestamp] = r.result;
    out.push({ input: { task, config }, result: { costs, errorNo: errorNo as MeasureErrorNo, allCost, timestamp } });
  }
  return out;
}
