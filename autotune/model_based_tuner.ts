// autotune/model_based_tuner.ts — AutoTVM's ModelBasedTuner (tvm/autotvm/tuner/model_based_tuner.py):
// the plan loop shared by model-based tuners — cost model + optimizer + plan, ε-greedy exploration,
// optional diversity filter (submodular pick), transfer learning from other tasks' history; configs the
// template's multiFilter rejects are never planned nor picked at random; optional incumbent mutation
// (a share of each plan: the best measured config with one knob changed, as GATuner's mutation).

import { scheduleOps } from '../schedule/schedule_ops.js';
import type { CostModel, FeatureSource, Scorer } from './cost_model.js';
import { alignedFeatures, configFeatures, FeatureLayout, type FeatureType, type LowerFn } from './features.js';
import type { HistoryRecord } from './history.js';
import { Rng } from './rng.js';
import type { ConfigEntity, ConfigSpace } from './space.js';
import type { Task } from './task.js';
import { resultFlops, Tuner, type TuneInput, type TuneResult } from './tuner.js';
import { localPlan } from './local_plan.js';
import { submodularPick } from './submodular.js';
import { oneKnobNeighbours } from './warm_neighbours.js';

export { submodularPick };

/** What picks the next plan from model scores (SimulatedAnnealingOptimizer). */
export interface ModelOptimizer {
  /** Up to `num` config indices with the best scores, none of `exclusive`. */
  findMaximums(model: Scorer, num: number, exclusive: ReadonlySet<number>): number[];
  /** Warm start: configs its search should start from (SA: walkers placed on them). Optional. */
  seed?(points: readonly number[]): void;
}

export interface ModelBasedTunerOptions {
  /** Configs per plan: the model is refitted every planSize results (AutoTVM: 64). */
  readonly planSize?: number;
  readonly featureType?: FeatureType;
  /** Share of each plan picked at random instead of by the model (AutoTVM: 0.05). */
  readonly epsGreedy?: number;
  /**
   * Share of each model-guided plan replaced by mutations of the incumbent: the best config measured so far
   * with one knob changed at random (`mutateIncumbent`), taken just before the ε-greedy random tail; the count
   * per plan is rounded stochastically as epsGreedyCount does. Cross-basin exploration for templates whose
   * model extrapolates from its first good config's basin (docs/search.md, round 6). Not in AutoTVM's
   * ModelBasedTuner (python/tvm/autotvm/tuner/model_based_tuner.py: ε-greedy only); the mutation is its
   * GATuner's (ga_tuner.py: per-gene random value). Default 0: off, plans exactly as before.
   */
  readonly mutationShare?: number;
  /**
   * With mutationShare: each mutation starts from one of the `mutationTopK` best distinct configs measured so far,
   * drawn uniformly per mutation (ties in throughput: the earlier measured first), instead of always the best.
   * Spreads the mutations over the leading configs rather than one incumbent's neighbourhood (docs/search.md,
   * round 7). GATuner likewise mutates children of its elite, not only the best. Default 1: the incumbent only,
   * no random number drawn for the choice (the proposals of round 6 exactly). A positive integer.
   */
  readonly mutationTopK?: number;
  /**
   * When set (e.g. 2), SA returns planSize·ratio candidates and a submodular pick keeps the planSize
   * that cover the most distinct knob values. AutoTVM's default is off (undefined).
   */
  readonly diversityFilterRatio?: number;
  /**
   * Share of each model-guided plan drawn from the incumbent's neighbourhood (`localPlan`: configs within two knob
   * changes of the best measured so far, the model's best 2n, n of them picked for diversity), placed first; SA plans
   * the rest. The count is round(localShare · planSize). Keeps the model planning where it was fitted when its
   * first fit saw only the default's basin (docs/search.md, round 13: ahead of the one-knob warm start alone in the
   * median on C2, C6, MM-512 and D1). Not in AutoTVM. Default: 0.5 for a tuner warm-started with warmNeighbours (set
   * when the warm start arrives), 0 otherwise — off, plans exactly as before (no extra scoring, same RNG draws).
   */
  readonly localShare?: number;
  /**
   * With localShare: the incumbent's untried one-knob neighbours fill the local share first (localPlan's
   * `oneKnobFirst`), the model's two-knob picks only the rest — every one-knob change of each new incumbent is
   * measured within a few plans, however the model ranks it (docs/search.md, round 17). Default false: round 13's plans.
   */
  readonly localOneKnobFirst?: boolean;
  readonly seed?: number;
  /**
   * With a warm start (TuneOptions.warmStart), what the tuner proposes after the warm configs and before its model's
   * first fit. true (default): the incumbent's one-knob neighbours (`oneKnobNeighbours`: every knob changed once, in a
   * seeded random order, before any twice; the incumbent is the best measured so far, the first warm config — the
   * default — before any result), until planSize results are in and the model is fitted on them (AutoTVM's first
   * fit comes after plan_size results, random picks before it; Ansor's XGBModel scores at random until
   * num_warmup_sample = 100 results while its evolutionary search mutates the measured best): a blind model plans
   * nothing better than its seeds' neighbourhood. false: round 10's warm start — the model fitted as soon as every warm
   * config is measured and 2 results are in, its first SA plan from that fit (with the default alone and batches of 8:
   * fitted on the default and 7 random picks).
   */
  readonly warmNeighbours?: boolean;
  /**
   * Lowering for 'itervar' / 'curve' features. Default: the loop nest as the schedule builds it,
   * before the TIR passes (AutoTVM extracts features from its simple-mode lowering likewise).
   */
  readonly lower?: LowerFn;
}

/**
 * How many configs of one plan of `planSize` are picked at random (ε-greedy exploration).
 * AutoTVM (python/tvm/autotvm/tuner/model_based_tuner.py, `next_batch`) takes the last
 * `int(0.05 * plan_size)` of each plan at random, which is 0 for every plan size below 20: small plans
 * never explore, and a model-planned run is then fully determined by its first plan. Here the count
 * is rounded stochastically: ⌊ε·planSize⌋ plus one more with probability frac(ε·planSize), so the
 * expected share stays ε at any plan size (ε 0.05: planSize 1 → 1 with probability 0.05; 16 → 0 or
 * 1, mean 0.8; 64 → 3 or 4, mean 3.2) and the draw comes from the tuner's seeded `rng`.
 * Throws RangeError for ε outside [0, 1] or a planSize that is not a positive integer.
 */
export function epsGreedyCount(eps: number, planSize: number, rng: Rng): number {
  if (!(eps >= 0 && eps <= 1)) throw new RangeError(`epsGreedy must be in [0, 1], got ${eps}`);
  if (!Number.isInteger(planSize) || planSize < 1) throw new RangeError(`planSize must be a positive integer, got ${planSize}`);
  const share = eps * planSize;
  const whole = Math.floor(share);
  return whole + (rng.next() < share - whole ? 1 : 0);
}

/**
 * A config that differs from `best` in exactly one knob (a knob with more than one value, changed to another
 * of its values, uniformly: ConfigSpace.neighbour), accepted by the template's multiFilter and not `taken`;
 * up to `tries` random one-knob changes are drawn from `rng`. Returns undefined when none of them qualifies
 * (the caller falls back to a random config). Source: GATuner's mutation (python/tvm/autotvm/tuner/ga_tuner.py,
 * one gene set to a random value) applied to the incumbent.
 */
export function mutateIncumbent(space: ConfigSpace, best: number, rng: Rng, taken: (index: number) => boolean, tries = 200): number | undefined {
  for (let t = 0; t < tries; t++) {
    const i = space.neighbour(best, rng);
    if (i !== best && !taken(i) && space.isIndexValid(i)) return i;
  }
  return undefined;
}

/** The loop nest of an instantiated template before the TIR passes: cheap, and loop structure is kept. */
export const defaultFeatureLower: LowerFn = (inst) => scheduleOps(inst.schedule, inst.tensors, 'features');

/**
 * AutoTVM's ModelBasedTuner: measures a plan of configs, refits the cost model every planSize
 * results, lets the optimizer pick the next plan from the model's scores (ε-greedy: the last
 * share of each plan is random, epsGreedyCount). Any CostModel and optimizer fit; XGBTuner is the usual pair.
 * Unlike AutoTVM, the optimizer runs when the next batch is asked for rather than right after the refit,
 * so the refit at a job's last trial costs no optimizer run (the same plans otherwise).
 */
export class ModelBasedTuner extends Tuner {
  readonly planSize: number;
  readonly featureType: FeatureType;
  readonly costModel: CostModel;
  readonly optimizer: ModelOptimizer;
  private readonly epsGreedy: number;
  private readonly mutationShare: number;
  private readonly mutationTopK: number;
  /** The mutationTopK best measured configs, best first (earlier first among equal throughput); top[0] is the incumbent. */
  private readonly top: { index: number; flops: number }[] = [];
  private readonly diversity: number | undefined;
  private localShare: number;
  private readonly localOneKnobFirst: boolean;
  /** Whether the caller chose localShare (else a warm start with warmNeighbours sets 0.5). */
  private readonly localShareSet: boolean;
  private readonly rng: Rng;
  private readonly lower: LowerFn;
  /** Column of each keyed itervar feature group, shared by this task's configs and transfer history. */
  private readonly layout = new FeatureLayout();
  /** Planned or measured configs (AutoTVM's visited). */
  private readonly visited = new Set<number>();
  private trialsPlan: number[] = [];
  private trialPt = 0;
  /** Random picks at the end of the current plan (epsGreedyCount, drawn per plan). */
  private randomTail = 0;
  /** Incumbent mutations just before the random tail of the current plan (mutationShare, drawn per plan). */
  private mutationTail = 0;
  /**
   * Set when a refit made the current plan stale: the next nextBatch plans (the optimizer runs there, not
   * in update), so a job's last refit, with no trial left to plan, costs no optimizer run.
   */
  private planPending = false;
  private readonly xs: number[] = [];
  private readonly ys: number[] = [];
  private flopsMax = 0;
  private trainCt = 0;
  /** Warm-start configs not yet fitted on: once all are measured the model is fitted (seedSearch, warmNeighbours false). */
  private warmPending: readonly number[] = [];
  private readonly warmNeighbours: boolean;
  /** The first warm config (warmNeighbours): the neighbours' base until a result is in. */
  private warmBase: number | undefined;
  /** The one-knob neighbours of `neighbourBase` still to propose from `neighbourPt` on (warmNeighbours). */
  private neighbours: number[] = [];
  private neighbourPt = 0;
  private neighbourBase = -1;

  /** `makeModel` receives the feature source of this task's configs (features of `featureType`). */
  constructor(task: Task, makeModel: (features: FeatureSource) => CostModel, optimizer: ModelOptimizer, opts: ModelBasedTunerOptions = {}) {
    super(task);
    this.planSize = opts.planSize ?? 64;
    this.featureType = opts.featureType ?? 'itervar';
    this.epsGreedy = opts.epsGreedy ?? 0.05;
    this.mutationShare = opts.mutationShare ?? 0;
    this.mutationTopK = opts.mutationTopK ?? 1;
    this.diversity = opts.diversityFilterRatio;
    this.localShare = opts.localShare ?? 0;
    this.localShareSet = opts.localShare !== undefined;
    this.localOneKnobFirst = opts.localOneKnobFirst ?? false;
    this.lower = opts.lower ?? defaultFeatureLower;
    this.rng = new Rng(opts.seed ?? 0);
    this.warmNeighbours = opts.warmNeighbours ?? true;
    if (!Number.isInteger(this.planSize) || this.planSize < 1) throw new RangeError(`${this.constructor.name}: planSize must be a positive integer, got ${this.planSize}`);
    if (!(this.epsGreedy >= 0 && this.epsGreedy <= 1)) throw new RangeError(`${this.constructor.name}: epsGreedy must be in [0, 1], got ${this.epsGreedy}`);
    if (!(this.mutationShare >= 0 && this.mutationShare <= 1)) throw new RangeError(`${this.constructor.name}: mutationShare must be in [0, 1], got ${this.mutationShare}`);
    if (!(this.localShare >= 0 && this.localShare <= 1)) throw new RangeError(`${this.constructor.name}: localShare must be in [0, 1], got ${this.localShare}`);
    if (!Number.isInteger(this.mutationTopK) || this.mutationTopK < 1) throw new RangeError(`${this.constructor.name}: mutationTopK must be a positive integer, got ${this.mutationTopK}`);
    const lower = this.lower;
    const layout = this.layout;
    this.costModel = makeModel({
      features: (i) => configFeatures(task, task.space.entityAt(i), this.featureType, lower, layout),
      aligned: alignedFeatures(this.featureType),
    });
    this.optimizer = optimizer;
  }

  override hasNext(): boolean {
    return super.hasNext() && this.visited.size < this.validCount();
  }

  nextBatch(n: number): ConfigEntity[] {
    const space = this.task.space;
    const out: ConfigEntity[] = [];
    if (this.planPending && n > 0) {
      this.planPending = false;
      this.newPlan();
    }
    const randomTail = this.randomTail;
    const mutationStart = this.trialsPlan.length - randomTail - this.mutationTail;
    while (out.length < n && this.visited.size < this.validCount()) {
      while (this.trialPt < this.trialsPlan.length) {
        const p = this.trialsPlan[this.trialPt]!;
        if (!this.visited.has(p) && !this.measured.has(p) && space.isIndexValid(p)) break;
        this.trialPt++;
      }
      let index: number | undefined;
      if (this.trialsPlan.length > 0 && this.trialPt >= mutationStart && this.trialPt < this.trialsPlan.length - randomTail
        && this.top.length > 0) {
        // The plan's mutation slots: the incumbent with one knob changed (a random config when none is left).
        index = mutateIncumbent(space, this.mutationBase(), this.rng, (i) => this.visited.has(i) || this.measured.has(i))
          ?? this.randomUnvisited();
        if (index === undefined) break;
        this.trialPt++;
      } else if (this.trialPt >= this.trialsPlan.length - randomTail) {
        // No plan yet, or the last ε of the plan: explore at random (AutoTVM's ε-greedy), among valid configs;
        // warm-started and no plan yet: the incumbent's one-knob neighbours first.
        index = (this.trialsPlan.length === 0 ? this.nextNeighbour() : undefined) ?? this.randomUnvisited();
        if (index === undefined) break;
      } else {
        index = this.trialsPlan[this.trialPt]!;
      }
      this.visited.add(index);
      out.push(space.entityAt(index));
    }
    return out;
  }

  /**
   * The next one-knob neighbour of the incumbent (the first warm config before any result) that is neither visited
   * nor measured; undefined without a warm start (or with warmNeighbours false) or when none is left. The list is
   * made again whenever the incumbent changes, so the proposals follow the best found (a greedy one-knob climb).
   */
  private nextNeighbour(): number | undefined {
    if (this.warmBase === undefined) return undefined;
    const base = this.top[0]?.index ?? this.warmBase;
    const taken = (i: number): boolean => this.visited.has(i) || this.measured.has(i);
    if (base !== this.neighbourBase) {
      this.neighbourBase = base;
      this.neighbours = oneKnobNeighbours(this.task.space, base, this.rng, taken);
      this.neighbourPt = 0;
    }
    while (this.neighbourPt < this.neighbours.length) {
      const i = this.neighbours[this.neighbourPt++]!;
      if (!taken(i)) return i;
    }
    return undefined;
  }

  /** Where a mutation starts: the incumbent, or with mutationTopK > 1 one of the top k measured, uniformly. */
  private mutationBase(): number {
    if (this.mutationTopK === 1 || this.top.length <= 1) return this.top[0]!.index;
    return this.top[this.rng.int(this.top.length)]!.index;
  }

  /** Keeps `top` (the mutationTopK best measured configs, best first) up to date with one result. */
  private recordTop(index: number, flops: number): void {
    if (!(flops > 0)) return;
    const at = this.top.findIndex((t) => t.flops < flops);
    if (at < 0) {
      if (this.top.length < this.mutationTopK) this.top.push({ index, flops });
      return;
    }
    this.top.splice(at, 0, { index, flops });
    if (this.top.length > this.mutationTopK) this.top.pop();
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

  /**
   * Warm start: SA's walkers start on the configs; until the first fit (planSize results) the tuner proposes the
   * incumbent's one-knob neighbours (warmNeighbours, the default) — or, with warmNeighbours false, the model is
   * fitted as soon as all of them are measured and the first plan made from it (round 10). Either way, instead of
   * AutoTVM's random picks until planSize results. The incumbent (mutationShare) is then the best of them.
   */
  protected override seedSearch(configs: readonly ConfigEntity[]): void {
    const points = configs.map((c) => c.index);
    this.optimizer.seed?.(points);
    if (this.warmNeighbours) {
      this.warmBase = points[0];
      if (!this.localShareSet) this.localShare = 0.5;
    } else this.warmPending = points;
  }

  override async update(inputs: readonly TuneInput[], results: readonly TuneResult[]): Promise<void> {
    inputs.forEach((inp, k) => {
      const flops = resultFlops(this.task, results[k]!);
      this.xs.push(inp.config.index);
      this.ys.push(flops);
      this.recordTop(inp.config.index, flops);
      this.flopsMax = Math.max(this.flopsMax, flops);
      this.visited.add(inp.config.index);
    });
    if (this.warmPending.length > 0 && this.warmPending.every((i) => this.measured.has(i)) && this.xs.length >= 2 && this.flopsMax > 1e-6) {
      // The warm-start fit: the regular refits (every planSize results) keep their schedule.
      this.warmPending = [];
      await this.costModel.fit(this.xs, this.ys, this.planSize);
      if (this.costModel.trained) this.planPending = true;
    } else if (this.xs.length >= this.planSize * (this.trainCt + 1) && this.flopsMax > 1e-6) {
      await this.costModel.fit(this.xs, this.ys, this.planSize);
      this.trainCt++;
      // No model when no measured config yielded features (all failed to instantiate): keep exploring at random.
      // The plan itself is made when the next batch is asked for (planPending).
      if (this.costModel.trained) this.planPending = true;
    }
  }

  /**
   * Replaces the plan: the model's picks, the last `epsGreedyCount` of them replaced by random configs when taken,
   * and with mutationShare the `epsGreedyCount(mutationShare)` before those by mutations of the incumbent.
   */
  private newPlan(): void {
    this.trialsPlan = this.plan();
    this.trialPt = 0;
    this.randomTail = epsGreedyCount(this.epsGreedy, this.planSize, this.rng);
    // Drawn only when on, so a tuner without mutation keeps its RNG order (and its plans) exactly.
    this.mutationTail = this.mutationShare > 0 ? epsGreedyCount(this.mutationShare, this.planSize, this.rng) : 0;
  }

  /**
   * The next plan: with localShare, the incumbent's neighbourhood picks first (localPlan); then SA's best-predicted
   * unvisited configs for the rest, optionally diversity-filtered.
   */
  private plan(): number[] {
    const exclude = new Set([...this.visited, ...this.measured]);
    const nLocal = this.top.length > 0 ? Math.round(this.localShare * this.planSize) : 0;
    const local = localPlan(this.costModel, this.task.space, this.top[0]?.index ?? -1, nLocal, (i) => exclude.has(i), this.localOneKnobFirst);
    for (const i of local) exclude.add(i);
    const nModel = this.planSize - local.length;
    if (!this.diversity) return [...local, ...this.optimizer.findMaximums(this.costModel, nModel, exclude)];
    const cands = this.optimizer.findMaximums(this.costModel, Math.ceil(nModel * this.diversity), exclude);
    const knobs = cands.map((c) => this.task.space.pointToKnobs(c));
    // AutoTVM passes zero scores: the pick maximizes knob coverage among SA's top candidates.
    return [...local, ...submodularPick(cands.map(() => 0), knobs, nModel, 1).map((i) => cands[i]!)];
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
        rows.push(configFeatures(r.input.task, r.input.config, this.featureType, this.lower, this.layout));
        ys.push(resultFlops(r.input.task, r.result));
      } catch {
        // A config that no longer instantiates teaches nothing.
      }
    }
    const ok = await this.costModel.fitHistory(rows, ys, this.planSize, opts.minSeedRecords ?? 500);
    if (ok && this.trialsPlan.length === 0 && !this.planPending) this.newPlan();
    return ok;
  }
}
