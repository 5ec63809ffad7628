// autotune/model_based_tuner.ts — AutoTVM's ModelBasedTuner (tvm/autotvm/tuner/model_based_tuner.py):
// the plan loop shared by model-based tuners — cost model + optimizer + plan, ε-greedy exploration,
// optional diversity filter (submodular pick), transfer learning from other tasks' history; configs the
// template's multiFilter rejects are never planned nor picked at random.

import { scheduleOps } from '../schedule/schedule_ops.js';
import type { CostModel, FeatureSource, Scorer } from './cost_model.js';
import { configFeatures, type FeatureType, type LowerFn } from './features.js';
import type { HistoryRecord } from './history.js';
import { Rng } from './rng.js';
import type { ConfigEntity } from './space.js';
import type { Task } from './task.js';
import { resultFlops, Tuner, type TuneInput, type TuneResult } from './tuner.js';

/** What picks the next plan from model scores (SimulatedAnnealingOptimizer). */
export interface ModelOptimizer {
  /** Up to `num` config indices with the best scores, none of `exclusive`. */
  findMaximums(model: Scorer, num: number, exclusive: ReadonlySet<number>): number[];
}

export interface ModelBasedTunerOptions {
  /** Configs per plan: the model is refitted every planSize results (AutoTVM: 64). */
  readonly planSize?: number;
  readonly featureType?: FeatureType;
  /** Share of each plan picked at random instead of by the model (AutoTVM: 0.05). */
  readonly epsGreedy?: number;
  /**
   * When set (e.g. 2), SA returns planSize·ratio candidates and a submodular pick keeps the planSize
   * that cover the most distinct knob values. AutoTVM's default is off (undefined).
   */
  readonly diversityFilterRatio?: number;
  readonly seed?: number;
  /**
   * Lowering for 'itervar' / 'curve' features. Default: the loop nest as the schedule builds it,
   * before the TIR passes (AutoTVM extracts features from its simple-mode lowering likewise).
   */
  readonly lower?: LowerFn;
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

/**
 * AutoTVM's ModelBasedTuner: measures a plan of configs, refits the cost model every planSize
 * results, lets the optimizer pick the next plan from the model's scores (ε-greedy: the last
 * share of each plan is random). Any CostModel and optimizer fit; XGBTuner is the usual pair.
 */
export class ModelBasedTuner extends Tuner {
  readonly planSize: number;
  readonly featureType: FeatureType;
  readonly costModel: CostModel;
  readonly optimizer: ModelOptimizer;
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

  /** `makeModel` receives the feature source of this task's configs (features of `featureType`). */
  constructor(task: Task, makeModel: (features: FeatureSource) => CostModel, optimizer: ModelOptimizer, opts: ModelBasedTunerOptions = {}) {
    super(task);
    this.planSize = opts.planSize ?? 64;
    this.featureType = opts.featureType ?? 'itervar';
    this.epsGreedy = opts.epsGreedy ?? 0.05;
    this.diversity = opts.diversityFilterRatio;
    this.lower = opts.lower ?? defaultFeatureLower;
    this.rng = new Rng(opts.seed ?? 0);
    if (!Number.isInteger(this.planSize) || this.planSize < 1) throw new RangeError(`${this.constructor.name}: planSize must be a positive integer, got ${this.planSize}`);
    const lower = this.lower;
    this.costModel = makeModel({ features: (i) => configFeatures(task, task.space.entityAt(i), this.featureType, lower) });
    this.optimizer = optimizer;
  }

  override hasNext(): boolean {
    return super.hasNext() && this.visited.size < this.validCount();
  }

  nextBatch(n: number): ConfigEntity[] {
    const space = this.task.space;
    const out: ConfigEntity[] = [];
    const randomTail = Math.floor(this.epsGreedy * this.planSize);
    while (out.length < n && this.visited.size < this.validCount()) {
      while (this.trialPt < this.trialsPlan.length) {
        const p = this.trialsPlan[this.trialPt]!;
        if (!this.visited.has(p) && !this.measured.has(p) && space.isIndexValid(p)) break;
        this.trialPt++;
      }
      let index: number | undefined;
      if (this.trialPt >= this.trialsPlan.length - randomTail) {
        // No plan yet, or the last ε of the plan: explore at random (AutoTVM's ε-greedy), among valid configs.
        index = this.randomUnvisited();
        if (index === undefined) break;
      } else {
        index = this.trialsPlan[this.trialPt]!;
      }
      this.visited.add(index);
      out.push(space.entityAt(index));
    }
    return out;
  }

  /** A random config neither visited nor measured that the template's multiFilter accepts; undefined when none is left. */
  private randomUnvisited(): number | undefined {
    const space = this.task.space;
    for (let tries = 0; tries < 1000; tries++) {
      const i = space.sample(this.rng);
      if (!this.visited.has(i) && !this.measured.has(i) && space.isIndexValid(i)) return i;
    }
    // Nearly exhausted space: scan from a random start.
    const start = space.sample(this.rng);
    for (let k = 0; k < space.length; k++) {
      const i = (start + k) % space.length;
      if (!this.visited.has(i) && !this.measured.has(i) && space.isIndexValid(i)) return i;
    }
    return undefined;
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
