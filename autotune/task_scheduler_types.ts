// autotune/task_scheduler_types.ts — the task scheduler's options, per-task and job status, events and
// summary (autotune/task_scheduler.ts), apart so the class file stays one job.

import type { LogRecord } from '../tuning-logs/record.js';
import type { Callback, MeasureBatcher } from './tuner.js';
export type SchedulerStrategy = 'gradient' | 'round-robin' | 'sequential';

export interface TaskSchedulerOptions {
  /** 'gradient' (Ansor, default), 'round-robin', or 'sequential' (AutoTVM's tune_tasks). */
  readonly strategy?: SchedulerStrategy;
  /** How often the model runs each task per inference (default 1 each). */
  readonly weights?: readonly number[];
  /** Ansor's α (0.2), β (2) and backward window (3 rounds). */
  readonly alpha?: number;
  readonly beta?: number;
  readonly backwardWindowSize?: number;
  /**
   * Trials per round (Ansor's num_measures_per_round, 64); lowered to nTrial / tasks so every task gets a
   * warm-up round. With a time budget a round also ends after budget / (2 · tasks) seconds (roundSeconds).
   */
  readonly trialsPerRound?: number;
  /** Transfer learning: a task's tuner learns from its template's other tasks once they have this many records (default 64; 0 turns it off). */
  readonly minSeedRecords?: number;
  /** Seed of the tie-break when all gradients are equal. */
  readonly seed?: number;
}

/** What the progress display shows of one task. Costs in seconds per run; Infinity = none yet. */
export interface TaskStatus {
  readonly name: string;
  readonly workloadKey: string;
  readonly weight: number;
  /** Its similarity group (similarityTag), undefined once it left it or when its FLOP count is unknown. */
  readonly group: string | undefined;
  readonly trials: number;
  readonly rounds: number;
  readonly bestCost: number;
  /** Cost of the template's default config (what a build without a log uses), once measured. */
  readonly untunedCost: number | undefined;
  readonly dead: boolean;
  /** Retired because its best reached the roofline stop's fraction of its bound (SchedulerTuneOptions.roofline). */
  readonly atRoofline?: boolean;
}

export interface SchedulerStatus {
  /** Trials of all tasks, resumed ones included. */
  readonly trials: number;
  readonly nTrial: number | undefined;
  readonly elapsedSeconds: number;
  /** Time left: by the trial rate so far, or the budget left, whichever ends first. */
  readonly etaSeconds: number | undefined;
  /** Σ weight × best cost, once every task has a result (seconds per model run). */
  readonly latency: number | undefined;
  /** Σ weight × default-config cost, once every task's default config is measured. */
  readonly untunedLatency: number | undefined;
  readonly tasks: readonly TaskStatus[];
}

export type SchedulerEvent =
  | ({ readonly kind: 'start'; readonly resumed: number; readonly trialsPerRound: number } & SchedulerStatus)
  | ({ readonly kind: 'round'; readonly task: number; readonly measured: number } & SchedulerStatus)
  | ({ readonly kind: 'done'; readonly stoppedBy: SchedulerStopReason } & SchedulerStatus);

export type SchedulerStopReason = 'nTrial' | 'budget' | 'allTasksDone' | 'earlyStopping' | 'signal';

export interface SchedulerTuneOptions {
  /** Total trials over all tasks, resumed ones included. At least one of nTrial and budgetSeconds. */
  readonly nTrial?: number;
  /** Wall-clock budget of this run in seconds; the batch in flight finishes. */
  readonly budgetSeconds?: number;
  readonly measureOption: MeasureBatcher;
  /** Called after every measured batch of any task, as Tuner.tune's callbacks (e.g. logToFile). */
  readonly callbacks?: readonly Callback[];
  readonly onEvent?: (e: SchedulerEvent) => void;
  /** Records of an earlier run of this job (its log, in order): restored, and the schedule continues. */
  readonly resume?: readonly LogRecord[];
  /** Stop when the estimated latency has not improved for this many trials. */
  readonly earlyStopping?: number;
  readonly signal?: AbortSignal;
  readonly batchSize?: number;
  /** Passed to each Tuner.tune (default true: the default config is measured first). */
  readonly measureDefaultFirst?: boolean;
  /**
   * Roofline stop: a task is done (retired, its trials going to the others) once its best reaches `fraction` × its
   * bound, `boundFlops[i]` FLOP/s for task i (autotune/roofline/bound.ts); each round passes it to Tuner.tune's
   * stopAtRoofline, so a round ends at the trial that gets there. RangeError naming a bad fraction or bound.
   */
  readonly roofline?: { readonly fraction: number; readonly boundFlops: readonly number[] };
  /** Clock in milliseconds (tests inject one). */
  readonly now?: () => number;
}

export interface SchedulerSummary extends SchedulerStatus {
  readonly stoppedBy: SchedulerStopReason;
  /** Trials measured by this run. */
  readonly measured: number;
  /** The task of each round this run, in order. */
  readonly schedule: readonly number[];
}
