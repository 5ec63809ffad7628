// autotune/xgb_tuner.ts — AutoTVM's XGBTuner: a ModelBasedTuner (model_based_tuner.ts) with the
// XGBoost cost model (xgb_cost_model.ts) and the simulated-annealing optimizer (sa_optimizer.ts).

import { ModelBasedTuner, type ModelBasedTunerOptions } from './model_based_tuner.js';
import { SimulatedAnnealingOptimizer, type SAOptions } from './sa_optimizer.js';
import type { Task } from './task.js';
import { XGBoostCostModel, type LossType } from './xgb_cost_model.js';

export interface XGBTunerOptions extends ModelBasedTunerOptions {
  /** 'rank' (pairwise ranking, AutoTVM's default) or 'reg' (regression on normalized throughput). */
  readonly lossType?: LossType;
  readonly optimizer?: Omit<SAOptions, 'seed'>;
  /** Training-round limits of the model (tests shorten them). */
  readonly maxRounds?: number;
}

export class XGBTuner extends ModelBasedTuner {
  declare readonly costModel: XGBoostCostModel;
  declare readonly optimizer: SimulatedAnnealingOptimizer;

  /** Seeds: the tuner's RNG `seed`, the model `seed + 1`, SA `seed + 2` (as before the split). */
  constructor(task: Task, opts: XGBTunerOptions = {}) {
    const seed = opts.seed ?? 0;
    super(
      task,
      (features) => new XGBoostCostModel(features, {
        lossType: opts.lossType ?? 'rank', seed: seed + 1, ...(opts.maxRounds !== undefined ? { maxRounds: opts.maxRounds } : {}),
      }),
      new SimulatedAnnealingOptimizer(task.space, { ...opts.optimizer, seed: seed + 2 }),
      opts,
    );
  }
}
