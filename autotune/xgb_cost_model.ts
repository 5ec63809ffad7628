// autotune/xgb_cost_model.ts — AutoTVM's XGBoostCostModel: gradient-boosted trees over config features,
// fitted to normalized throughput (rank or regression loss), retrained after each plan, batched prediction.

import { fitLength } from './features.js';
import type { CostModel, FeatureSource } from './cost_model.js';
import { Rng } from './rng.js';
import { XgbBooster, type BoosterParams } from './xgb_booster.js';

export type LossType = 'rank' | 'reg';

export interface XGBoostCostModelOptions {
  readonly lossType?: LossType;
  readonly seed?: number;
  /** Upper bound of boosting rounds (AutoTVM: 8000); training stops early well before. */
  readonly maxRounds?: number;
  /** Stop when the training a-recall@planSize has not improved for this many rounds (AutoTVM: 20). */
  readonly earlyStoppingRounds?: number;
}

/** AutoTVM's xgb_params; 'reg:linear' is the old name of reg:squarederror (this XGBoost build knows only it). */
function xgbParams(loss: LossType, seed: number): BoosterParams {
  return {
    max_depth: 3, gamma: 0.0001, min_child_weight: 1, subsample: 1.0, eta: 0.3, lambda: 1.0, alpha: 0,
    objective: loss === 'rank' ? 'rank:pairwise' : 'reg:linear', silent: 1, seed,
  };
}

/** 1-based rank of each value in descending order (AutoTVM's get_rank). */
function getRank(values: ArrayLike<number>): Int32Array {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[b]! - values[a]!);
  const ranks = new Int32Array(values.length);
  order.forEach((idx, r) => { ranks[idx] = r + 1; });
  return ranks;
}

/** AutoTVM's average recall@N: how well the top-N predicted configs recover the truly best ones. */
export function averageRecall(preds: ArrayLike<number>, labels: ArrayLike<number>, n: number): number {
  const trials = Array.from({ length: preds.length }, (_, i) => i).sort((a, b) => preds[b]! - preds[a]!);
  const ranks = getRank(trials.map((t) => labels[t]!));
  let sum = 0;
  let hits = 0;
  const upto = Math.min(n, ranks.length);
  for (let i = 0; i < upto; i++) {
    // curve[i] = |{ j < i : ranks[j] ≤ i }| / (i + 1)
    hits = 0;
    for (let j = 0; j < i; j++) if (ranks[j]! <= i) hits++;
    sum += hits / (i + 1);
  }
  return sum / n;
}

/** A trained booster plus the feature length its rows were fitted with. */
interface Fitted {
  readonly booster: XgbBooster;
  readonly length: number;
}

export class XGBoostCostModel implements CostModel {
  readonly lossType: LossType;
  private readonly rng: Rng;
  private readonly maxRounds: number;
  private readonly stopRounds: number;
  private readonly cache = new Map<number, readonly number[] | null>();
  private featureLength: number | undefined;
  private fitted: Fitted | undefined;
  /** A model fitted on other tasks' records (transfer learning), blended in with a decaying weight. */
  private base: Fitted | undefined;
  private sampleSize = 0;

  constructor(private readonly source: FeatureSource, opts: XGBoostCostModelOptions = {}) {
    this.lossType = opts.lossType ?? 'rank';
    if (this.lossType !== 'rank' && this.lossType !== 'reg') throw new TypeError(`XGBoostCostModel: lossType must be 'rank' or 'reg', got '${String(this.lossType)}'`);
    this.rng = new Rng(opts.seed ?? 0);
    this.maxRounds = opts.maxRounds ?? 8000;
    this.stopRounds = opts.earlyStoppingRounds ?? 20;
  }

  get trained(): boolean {
    return this.fitted !== undefined || this.base !== undefined;
  }

  /** Raw feature rows for indices (cached per index; null for a config that fails to instantiate). */
  private raw(indices: readonly number[]): (readonly number[] | null)[] {
    return indices.map((i) => {
      if (!this.cache.has(i)) {
        // AutoTVM clears its feature cache at 100000 entries; so do we, to bound memory.
        if (this.cache.size >= 100_000) this.cache.clear();
        let f: readonly number[] | null;
        try {
          f = this.source.features(i);
        } catch {
          f = null;
        }
        this.cache.set(i, f);
      }
      return this.cache.get(i) ?? null;
    });
  }

  /**
   * Feature rows for indices, `len` columns each (default: the task's feature length). A config that
   * fails to instantiate is a zero row. Rows are padded or cut to the length.
   */
  features(indices: readonly number[], len?: number): Float32Array {
    const raw = this.raw(indices);
    if (this.featureLength === undefined || (this.source.aligned && len === undefined)) {
      // The first rows fix the task's feature length; with aligned rows it grows to the longest seen.
      const lens = raw.filter((r): r is readonly number[] => r !== null).map((r) => r.length);
      if (lens.length === 0 && this.featureLength === undefined) return new Float32Array(0);
      this.featureLength = Math.max(this.featureLength ?? 0, ...lens);
    }
    return this.rows(raw, len ?? this.featureLength);
  }

  private rows(raw: readonly (readonly number[] | null)[], len: number): Float32Array {
    const out = new Float32Array(raw.length * len);
    raw.forEach((r, i) => { if (r) out.set(fitLength(r, len), i * len); });
    return out;
  }

  /**
   * Fits on measured configs: `ys` are throughputs (FLOP/s, 0 for errors), normalized by their max
   * as AutoTVM. Early-stops on the training set's average recall@planSize.
   */
  async fit(indices: readonly number[], ys: readonly number[], planSize: number): Promise<void> {
    if (indices.length !== ys.length) throw new RangeError(`XGBoostCostModel.fit: ${indices.length} configs, ${ys.length} results`);
    const x = this.features(indices);
    if (this.featureLength === undefined) return;
    this.sampleSize = indices.length;
    this.fitted?.booster.free();
    this.fitted = await this.train(x, ys, this.featureLength, planSize, this.maxRounds, this.stopRounds);
    // AutoTVM drops the base model once its weight 1/2^(n/64) falls below 0.05.
    if (this.base && this.baseDiscount() < 0.05) {
      this.base.booster.free();
      this.base = undefined;
    }
  }

  /**
   * Transfer learning: fits a base model on feature rows of other tasks' records (AutoTVM's
   * fit_log: 400 rounds at most, early stop 100, recall@2·planSize). Rows of another length are
   * dropped. Returns false when fewer than `minSeedRecords` remain.
   */
  async fitHistory(rows: readonly (readonly number[])[], ys: readonly number[], planSize: number, minSeedRecords = 500): Promise<boolean> {
    if (rows.length !== ys.length) throw new RangeError(`XGBoostCostModel.fitHistory: ${rows.length} rows, ${ys.length} results`);
    const counts = new Map<number, number>();
    for (const r of rows) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
    // Aligned rows (FeatureLayout) all keep their meaning padded to the longest; others only at one length.
    const len = this.source.aligned
      ? Math.max(this.featureLength ?? 0, ...rows.map((r) => r.length))
      : this.featureLength ?? [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
    if (len === undefined || len === 0) return false;
    const keep = rows.map((r, i) => (this.source.aligned || r.length === len ? i : -1)).filter((i) => i >= 0);
    if (keep.length < minSeedRecords) return false;
    this.featureLength = len;
    const x = this.rows(keep.map((i) => rows[i]!), len);
    this.base?.booster.free();
    this.base = await this.train(x, keep.map((i) => ys[i]!), len, planSize * 2, 400, 100);
    return true;
  }

  private async train(x: Float32Array, ys: readonly number[], len: number, planSize: number, maxRounds: number, stopRounds: number): Promise<Fitted> {
    const yMax = Math.max(...ys, 0);
    const y = Float32Array.from(ys, (v) => v / Math.max(yMax, 1e-8));
    // Shuffle rows (AutoTVM permutes them before building the DMatrix).
    const perm = this.rng.shuffle(Array.from({ length: y.length }, (_, i) => i));
    const xs = new Float32Array(x.length);
    const yp = new Float32Array(y.length);
    perm.forEach((src, dst) => {
      xs.set(x.subarray(src * len, (src + 1) * len), dst * len);
      yp[dst] = y[src]!;
    });
    const booster = await XgbBooster.create(xs, yp, len, xgbParams(this.lossType, this.rng.int(2 ** 31)));
    let best = -Infinity;
    let bestRound = 0;
    for (let round = 0; round < maxRounds; round++) {
      booster.train(1);
      const score = averageRecall(booster.predict(xs), yp, planSize);
      if (score > best) {
        best = score;
        bestRound = round;
      } else if (round - bestRound >= stopRounds) {
        break;
      }
    }
    return { booster, length: len };
  }

  private baseDiscount(): number {
    return 1 / 2 ** (this.sampleSize / 64);
  }

  /**
   * Scores for configs. With a base model from history, its score is added with weight
   * 1/2^(n/64) (n = own training samples). AutoTVM adds it as a base margin during training; this
   * XGBoost build exposes no base margin, so the two models are blended at prediction instead.
   */
  predict(indices: readonly number[]): Float32Array {
    if (!this.trained) throw new Error('XGBoostCostModel.predict: the model is not fitted yet');
    // Each booster sees the columns it was trained on (aligned rows may have grown since).
    const fx = this.fitted ? this.features(indices, this.fitted.length) : undefined;
    if (fx && fx.length === 0) return new Float32Array(indices.length);
    const out = this.fitted ? this.fitted.booster.predict(fx!) : new Float32Array(indices.length);
    if (this.base) {
      const w = this.fitted ? this.baseDiscount() : 1;
      const b = this.base.booster.predict(this.features(indices, this.base.length));
      for (let i = 0; i < out.length; i++) out[i]! += w * b[i]!;
    }
    return out;
  }

  /** Frees the WASM memory of the fitted boosters. */
  dispose(): void {
    this.fitted?.booster.free();
    this.base?.booster.free();
    this.fitted = undefined;
    this.base = undefined;
  }
}
