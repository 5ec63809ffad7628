// tuning-logs/index.ts — the public face of tuning logs (the root exports it as `logs`).

export { workloadKey, type WorkloadArg } from './workload_key.js';
export {
  currentDispatchContext,
  pushDispatchContext,
  withDispatchContext,
  type ConfigData,
  type DispatchContext,
  type DispatchHit,
} from './dispatch_context.js';
export {
  ERROR_COST,
  LOG_VERSION,
  TOOL_VERSION,
  VERSION,
  meanOfCosts,
  checkRecord,
  decodeRecord,
  encodeRecord,
  hostFingerprint,
  makeRecord,
  meanCost,
  recordWorkloadKey,
  toLogRecord,
  type DeviceFingerprint,
  type InputLike,
  type LogRecord,
  type MakeRecordOptions,
  type ResultLike,
} from './record.js';
export {
  loadRecords,
  loadRecordsSync,
  readEntries,
  readEntriesSync,
  readRecords,
  type BadLine,
  type LogEntry,
  type ReadOptions,
} from './reader.js';
export { LogWriter, appendRecord, type WriterOptions } from './writer.js';
export { groupKey, taskKey, isRecordOf } from './task_key.js';
export {
  best,
  merge,
  stats,
  validate,
  type MergeReport,
  type StatsOptions,
  type ValidationReport,
  type WorkloadStats,
} from './ops.js';
export {
  ApplyHistoryBest,
  applyHistoryBest,
  loadTophub,
  tophubDir,
  tophubFiles,
  type HistoryLookup,
} from './apply_history_best.js';
export { niceTicks, tuningCurve, tuningCurveSvg, type CurvePoint, type PlotOptions, type Series } from './plot.js';
