// autotune/cost_model.ts — what a model-based tuner needs of a cost model (AutoTVM's
// tvm/autotvm/tuner/model_based_tuner.py CostModel): fit on measured configs, fit on other tasks'
// history, predict scores. XGBoostCostModel (xgb_cost_model.ts) is the one implementation.

/** Where the model gets a config's raw features: null when the config cannot be instantiated. */
export interface FeatureSource {
  features(index: number): readonly number[] | null;
  /**
   * True when rows are prefix-aligned (features.ts FeatureLayout): a later row may be longer, and a
   * shorter row padded with zeros keeps every column's meaning. The model then widens to the longest
   * row at each fit and uses history rows of any length. False/absent: the first rows fix the length.
   */
  readonly aligned?: boolean;
}

/** What the SA optimizer needs of a model: scores, higher is better. */
export interface Scorer {
  /** Scores, higher is better, one per config index. */
  predict(indices: readonly number[]): Float32Array;
}

export interface CostModel extends Scorer {
  /** True once fit (or fitHistory) produced a model; predict throws before. */
  readonly trained: boolean;
  /** Fits on this task's measured configs `indices` with throughputs `ys` (FLOP/s; 0 for failures). */
  fit(indices: readonly number[], ys: readonly number[], planSize: number): Promise<void>;
  /**
   * Fits a base model on feature rows of other tasks (transfer learning); returns false, fitting
   * nothing, when there are fewer than `minSeedRecords` rows.
   */
  fitHistory(rows: readonly (readonly number[])[], ys: readonly number[], planSize: number, minSeedRecords?: number): Promise<boolean>;
}
