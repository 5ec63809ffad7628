// cli/tune_model.ts — the model-level tuning job behind `tensortune tune model.onnx`: the task scheduler
// over the model's tasks, every record appended to the log, resume, progress lines or JSON events.

import { existsSync } from 'node:fs';
import { TaskScheduler, type SchedulerEvent, type SchedulerStrategy, type SchedulerSummary } from '../autotune/task_scheduler.js';
import type { Task } from '../autotune/task.js';
import type { MeasureBatcher } from '../autotune/tuner.js';
import { loadRecordsSync } from '../tuning-logs/reader.js';
import type { DeviceFingerprint } from '../tuning-logs/record.js';
import { isRecordOf } from '../tuning-logs/task_key.js';
import { LogWriter } from '../tuning-logs/writer.js';
import { UsageError } from './errors.js';
import { formatDuration } from '../autotune/format.js';
import { formatArgs, formatSeconds } from './format.js';
import type { FeatureKind, TunerKind } from './tune_args.js';
import { logToFile } from '../autotune/callbacks.js';
import { makeTuner } from './tune_run.js';

export { parseDuration } from './parse.js';

export interface ModelTuneJob {
  readonly tasks: readonly Task[];
  /** How often the model runs each task per inference. */
  readonly weights: readonly number[];
  readonly log: string;
  readonly nTrial?: number;
  readonly budgetSeconds?: number;
  readonly resume: boolean;
  readonly tuner: TunerKind;
  readonly featureType: FeatureKind;
  readonly seed: number;
  readonly strategy?: SchedulerStrategy;
  readonly trialsPerRound?: number;
  readonly measureOption: MeasureBatcher;
  readonly device: DeviceFingerprint;
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
  /** 'json': one JSON event per line on stdout; 'text': a progress line per round on stderr; 'quiet'. */
  readonly output: 'json' | 'text' | 'quiet';
  readonly verbose?: boolean;
  readonly now?: () => number;
  /** --roofline-stop: a task is done once its best reaches `fraction` × boundFlops[i] (FLOP/s). */
  readonly roofline?: { readonly fraction: number; readonly boundFlops: readonly number[] };
}

function latencyText(e: SchedulerEvent): string {
  if (e.latency === undefined) return 'latency —';
  const untuned = e.untunedLatency !== undefined ? ` (untuned ${formatSeconds(e.untunedLatency)}, ${(e.untunedLatency / e.latency).toFixed(2)}× faster)` : '';
  return `est. latency ${formatSeconds(e.latency)}${untuned}`;
}

/** One progress line: trials, tasks, estimated model latency now vs untuned, ETA. */
export function modelProgressLine(e: SchedulerEvent): string {
  const done = e.tasks.filter((t) => t.dead).length;
  const roof = e.tasks.filter((t) => t.atRoofline === true).length;
  const of = e.nTrial !== undefined ? `${e.trials}/${e.nTrial}` : `${e.trials}`;
  const eta = e.etaSeconds !== undefined ? `  ETA ${formatDuration(e.etaSeconds)}` : '';
  const what = e.kind === 'round' ? `  [task ${e.task + 1}/${e.tasks.length}: ${e.tasks[e.task]!.name}]` : '';
  return `trials ${of}  tasks ${e.tasks.length}${done > 0 ? ` (${done} finished${roof > 0 ? `, ${roof} at the roofline` : ''})` : ''}  ${latencyText(e)}  elapsed ${formatDuration(e.elapsedSeconds)}${eta}${what}`;
}

/** The per-task table of --verbose. */
export function taskTable(e: SchedulerEvent, tasks: readonly Task[]): string {
  return e.tasks.map((t, i) => {
    const best = Number.isFinite(t.bestCost) ? formatSeconds(t.bestCost) : '—';
    const untuned = t.untunedCost !== undefined && Number.isFinite(t.untunedCost) ? formatSeconds(t.untunedCost) : '—';
    return `  ${String(i + 1).padStart(3)}  ${t.name} [${formatArgs(tasks[i]!.args)}] ×${t.weight}  trials ${t.trials}  best ${best}  untuned ${untuned}${t.atRoofline === true ? '  (finished: at the roofline)' : t.dead ? '  (finished)' : ''}`;
  }).join('\n');
}

/**
 * Runs the job: refuses a log that already holds records of these tasks unless `resume`, restores
 * them when it does, appends every new record as it is measured. Resolves with the summary.
 */
export async function tuneModelJob(j: ModelTuneJob): Promise<SchedulerSummary> {
  let resume;
  if (existsSync(j.log)) {
    const records = loadRecordsSync(j.log);
    const ours = records.filter((r) => j.tasks.some((t) => isRecordOf(r, t)));
    if (ours.length > 0 && !j.resume) {
      throw new UsageError(`--log '${j.log}' already has ${ours.length} records of this model's tasks; pass --resume to continue that job, or use another --log`);
    }
    if (j.resume) resume = records;
  }
  const scheduler = new TaskScheduler(j.tasks, (task, i) => makeTuner(j.tuner, task, j.seed + i, j.featureType), {
    weights: j.weights, seed: j.seed,
    ...(j.strategy !== undefined ? { strategy: j.strategy } : {}),
    ...(j.trialsPerRound !== undefined ? { trialsPerRound: j.trialsPerRound } : {}),
  });
  const writer = new LogWriter(j.log);
  const onEvent = (e: SchedulerEvent): void => {
    if (j.output === 'json') {
      const { tasks, ...rest } = e;
      process.stdout.write(JSON.stringify({ ...rest, ...(j.verbose || e.kind !== 'round' ? { tasks } : {}) }) + '\n');
    } else if (j.output === 'text') {
      process.stderr.write(modelProgressLine(e) + '\n');
      if (j.verbose) process.stderr.write(taskTable(e, j.tasks) + '\n');
    }
  };
  try {
    return await scheduler.tune({
      ...(j.nTrial !== undefined ? { nTrial: j.nTrial } : {}),
      ...(j.budgetSeconds !== undefined ? { budgetSeconds: j.budgetSeconds } : {}),
      measureOption: j.measureOption,
      callbacks: [logToFile(writer, { device: j.device })],
      onEvent,
      ...(resume !== undefined ? { resume } : {}),
      ...(j.signal !== undefined ? { signal: j.signal } : {}),
      ...(j.batchSize !== undefined ? { batchSize: j.batchSize } : {}),
      ...(j.now !== undefined ? { now: j.now } : {}),
      ...(j.roofline !== undefined ? { roofline: j.roofline } : {}),
    });
  } finally {
    writer.close();
  }
}
