// autotune/history.ts — the one place log records become tuning history: a record's config
// decoded in its task's space and its result as a measure result. Used by Tuner.restore (resume
// from a log) and historyFromLogRecords (transfer learning, AutoTVM's load_history).

import type { LogRecord } from '../tuning-logs/record.js';
import { groupKey } from '../tuning-logs/task_key.js';
import type { MeasureErrorNo, MeasureInput, MeasureResult } from './measure/measure_types.js';
import type { ConfigEntity } from './space.js';
import { createTask, type Task } from './task.js';

/** A history record as AutoTVM's load_history takes it: an (input, result) pair of any task. */
export interface HistoryRecord {
  readonly input: MeasureInput;
  readonly result: MeasureResult;
}

/**
 * The record as history of `task`; undefined when its config is not a point of the task's space
 * (a record of another template version). The caller checks the record is of this task (isRecordOf).
 */
export function recordToHistory(task: Task, r: LogRecord): HistoryRecord | undefined {
  let config: ConfigEntity;
  try {
    config = task.space.entityFromData(r.config);
  } catch {
    return undefined;
  }
  const [costs, errorNo, allCost, timestamp] = r.result;
  return { input: { task, config }, result: { costs, errorNo: errorNo as MeasureErrorNo, allCost, timestamp } };
}

/**
 * History records from log records, for loadHistory: each record's task is re-created from its
 * template name, args and canonical target (templates must be registered). Records whose task or
 * config cannot be rebuilt are skipped.
 */
export function historyFromLogRecords(records: readonly LogRecord[]): HistoryRecord[] {
  const out: HistoryRecord[] = [];
  const tasks = new Map<string, Task | null>();
  for (const r of records) {
    const key = groupKey(r);
    if (!tasks.has(key)) {
      try {
        tasks.set(key, createTask(r.input[1], r.input[2], r.input[0]));
      } catch {
        tasks.set(key, null);
      }
    }
    const task = tasks.get(key);
    const h = task ? recordToHistory(task, r) : undefined;
    if (h !== undefined) out.push(h);
  }
  return out;
}
