// autotune/index.ts — the auto-tuner's public face (the root exports it as `autotune`):
// spaces and knobs, templates and tasks, measurement, tuners, cost model, SA, callbacks.

export {
  ConfigSpace, ConfigEntity,
  SplitEntity, ReorderEntity, AnnotateEntity, OtherOptionEntity,
  type KnobEntity,
} from './space.js';
export { FallbackConfigEntity } from './fallback_config.js';
export { template, getTemplate, listTemplates, registerTemplateModule, withTarget, currentTarget, type TemplateFn } from './template.js';
export { createTask, tensorArg, configAt, InstantiationError, type Task, type Instantiated } from './task.js';
export {
  applyTemplate, tuneCommand, setTemplateWarningSink, resetTemplateWarnings, type AppliedTemplate,
} from './apply_template.js';
export { configProblem, recordChecker } from './record_check.js';
export {
  measureOption, localBuilder, localRunner, gflops, meanCost, MeasureErrorNo, errorName,
  type MeasureOption, type MeasureInput, type MeasureResult, type Builder, type Runner, type BuildResult,
  type LocalBuilderOptions, type LocalRunnerOptions,
} from './measure/measure.js';
export { Tuner, type Callback, type TuneOptions, type TuneSummary } from './tuner.js';
export { RandomTuner } from './random_tuner.js';
export { GridSearchTuner } from './grid_search_tuner.js';
export { GATuner, type GATunerOptions } from './ga_tuner.js';
export { XGBTuner, type XGBTunerOptions } from './xgb_tuner.js';
export { ModelBasedTuner, submodularPick, type ModelBasedTunerOptions, type ModelOptimizer } from './model_based_tuner.js';
export { historyFromLogRecords, recordToHistory, type HistoryRecord } from './history.js';
export type { CostModel, FeatureSource, Scorer } from './cost_model.js';
export { XGBoostCostModel, type LossType } from './xgb_cost_model.js';
export { SimulatedAnnealingOptimizer } from './sa_optimizer.js';
export { itervarFeatures, itervarFeatureGroups, FeatureLayout, curveFeatures, knobFeatures, configFeatures, type FeatureType } from './features.js';
export { progressBar, logToFile } from './callbacks.js';
export {
  TaskScheduler, type TaskSchedulerOptions, type SchedulerTuneOptions, type SchedulerEvent, type SchedulerStatus,
  type SchedulerSummary, type SchedulerStrategy, type SchedulerStopReason, type TaskStatus,
} from './task_scheduler.js';
export { rooflineBound, taskRooflineBound, taskMinBytes, checkRooflineFraction, type Roofline, type RooflineBound } from './roofline/bound.js';
export { measureWasmPeak, type MachinePeak, type PeakOptions } from './roofline/peak.js';
export { machinePeak, defaultPeakCacheFile, readPeakCache, writePeakCache, type MachinePeakOptions } from './roofline/peak_cache.js';
