// tuning-logs/index.ts — the public face of tuning logs (the root exports it as `logs`).

export { workloadKey, type WorkloadArg } from './workload_key.js';
export {
  currentDispatchContext,
  pushDispatchContext,
  withDispatchContext,
  type ConfigData,
  type ConfigCheck,
  type DispatchContext,
  type DispatchHit,
  type QueryOptions,
  type SkippedRecord,
} from './dispatch_context.js';
export {
  ERROR_COST,
  LOG_VERSION,
  MAX_ERROR_NO,
  OldLogFormatError,
  isCommentLine,
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
  type BadLineKind,
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
  type BestOptions,
  type MergeReport,
  type RecordCheck,
  type ValidateOptions,
  type StatsOptions,
  type ValidationReport,
  type WorkloadStats,
} from './ops.js';
export {
  ApplyHistoryBest,
  applyHistoryBest,
  recordSkipReason,
  loadTophub,
  tophubDir,
  tophubFiles,
  type HistoryLookup,
} from './apply_history_best.js';
export { niceTicks, tuningCurve, tuningCurveSvg, type CurvePoint, type PlotOptions, type Series } from './plot.js';
