// tuning-logs/task_key.ts — the one decision of which records are the same task: the same
// workload (template name + arguments) on the same *canonical* target ('wasm  -threads=2' and
// 'wasm -threads=2' are one). `logs best`/`stats`, builds (ApplyHistoryBest), tuner resume and
// the cost model's history all group by this key.

import { canonicalTarget } from '../target/index.js';
import { recordWorkloadKey, type LogRecord } from './record.js';

/** The key of (target, workload): equal for equal workloads on targets with one canonical form. */
export function taskKey(target: string, workloadKey: string): string {
  return JSON.stringify([canonicalTarget(target), workloadKey]);
}

/** The task key of a record. */
export function groupKey(r: LogRecord): string {
  return taskKey(r.input[0], recordWorkloadKey(r));
}

/** True when a record measured `task` (its workload key and canonical target). */
export function isRecordOf(r: LogRecord, task: { readonly target: string; readonly workloadKey: string }): boolean {
  return groupKey(r) === taskKey(task.target, task.workloadKey);
}
