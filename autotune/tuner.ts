// autotune/tuner.ts — the base Tuner and its tune loop (AutoTVM's Tuner.tune): ask the tuner for a batch,
// measure it, keep the best, feed results back, call callbacks; resume from a log; early stopping.

import { availableParallelism } from 'node:os';
import { loadRecords } from '../tuning-logs/reader.js';
import { meanOfCosts, type LogRecord } from '../tuning-logs/record.js';
import { isRecordOf } from '../tuning-logs/task_key.js';
import { recordToHistory, type HistoryRecord } from './history.js';
import { localBuilder, localRunner, measureOption as makeMeasureOption } from './measure/measure.js';
import type { Builder, MeasureInput, MeasureResult, Runner } from './measure/measure_types.js';
import type { ConfigEntity } from './space.js';
import type { Task } from './task.js';

/** What is measured: a config of a task. */
export type TuneInput = MeasureInput;
/** A measurement; errorNo 0 means success. */
export type TuneResult = MeasureResult;

/** What the tune loop needs of measure.ts's MeasureOption (anything with measureBatch will do). */
export interface MeasureBatcher {
  measureBatch(inputs: readonly TuneInput[]): Promise<readonly TuneResult[]>;
  /** Candidates built in parallel per batch; the tuner asks for this many configs at a time. */
  readonly nParallel?: number;
}

export type Callback = (tuner: Tuner, inputs: readonly TuneInput[], results: readonly TuneResult[]) => void | Promise<void>;

export interface TuneOptions {
  /** Trials to run (required), resumed ones included: a non-negative integer. */
  readonly nTrial: number;
  /** Stop when the best has not improved for this many trials (default: never). */
  readonly earlyStopping?: number;
  /**
   * How candidates are built and timed: `autotune.measureOption({ builder, runner })`, or just
   * `{ builder, runner }`. Default: `measureOption({ builder: localBuilder(), runner: localRunner() })`
   * — builds in one worker per core with a 10 s timeout, runs checked against the reference and
   * timed with number 4, repeat 3, minRepeatMs 0, a 10 s timeout — created for this call and
   * closed when it ends (a measure option you pass stays open: close it yourself).
   */
  readonly measureOption?: MeasureBatcher | { readonly builder: Builder; readonly runner: Runner };
  readonly callbacks?: readonly Callback[];
  /** A log to resume from: its records of this task count as trials and are never measured again. */
  readonly resume?: string;
  /** Configs per batch (default: measureOption.nParallel, else the number of cores). */
  readonly batchSize?: number;
  /** Stops the job after the batch in flight (its results are kept and reported). */
  readonly signal?: AbortSignal;
  /**
   * Measure the template's default config first on a fresh job (default true), so a tuned result
   * is never slower than an untuned build. Benchmarks comparing search algorithms turn it off.
   */
  readonly measureDefaultFirst?: boolean;
}

export interface TuneSummary {
  /** Trials this task has had, resumed ones included. */
  readonly trials: number;
  /** Trials measured by this call. */
  readonly measured: number;
  readonly errors: number;
  readonly bestFlops: number;
  readonly bestConfig: ConfigEntity | undefined;
  readonly stoppedBy: 'nTrial' | 'earlyStopping' | 'spaceExhausted' | 'signal';
}

/** A MeasureOption as given, or one made from a bare { builder, runner } pair (as AutoTVM's measure_option). */
function toBatcher(m: MeasureBatcher | { readonly builder: Builder; readonly runner: Runner }): MeasureBatcher {
  if ('measureBatch' in m && typeof m.measureBatch === 'function') return m;
  if ('builder' in m && 'runner' in m && m.builder !== undefined && m.runner !== undefined) return makeMeasureOption({ builder: m.builder, runner: m.runner });
  throw new TypeError('tune: option measureOption must be autotune.measureOption({ builder, runner }) or { builder, runner } (or left out for the local defaults)');
}

/** Throughput of a result in FLOP/s; 0 for a failed measurement. */
export function resultFlops(task: Task, r: TuneResult): number {
  const mean = meanOfCosts(r.costs, r.errorNo);
  return Number.isFinite(mean) && mean > 0 ? task.flop / mean : 0;
}

export type { HistoryRecord } from './history.js';

export abstract class Tuner {
  bestConfig: ConfigEntity | undefined;
  bestFlops = 0;
  /** Trial number (0-based, resumed ones included) of the best result. */
  bestIter = -1;
  /** Trials done for this task (resumed ones included). */
  trials = 0;
  /** Failed measurements since tune() started. */
  errorCount = 0;
  /** Trials left before nTrial or early stopping ends the job (AutoTVM's ttl). */
  ttl = 0;
  nTrial = 0;
  /** Configs measured (or restored from a log): never proposed again. */
  protected readonly measured = new Set<number>();
  private stopRequested = false;

  constructor(readonly task: Task) {}

  /** The next configs to measure; fewer than `n` only when the space runs out. Never measured ones. */
  abstract nextBatch(n: number): ConfigEntity[];

  /** Whether any config remains to be proposed (measured ones may include invalid ones restored from a log). */
  hasNext(): boolean {
    return this.measured.size < this.task.space.length && this.task.space.validLength !== 0;
  }

  /** Learns from measured configs (model-based tuners retrain here). */
  update(_inputs: readonly TuneInput[], _results: readonly TuneResult[]): void | Promise<void> {}

  /**
   * Transfer learning from records of other tasks of the same template (AutoTVM's load_history).
   * Only model-based tuners use it; the others ignore it and return false.
   */
  loadHistory(_records: readonly HistoryRecord[], _opts?: { minSeedRecords?: number }): Promise<boolean> {
    return Promise.resolve(false);
  }

  /** Configs a tuner may propose: the space's valid count (its length when too large to count). */
  protected validCount(): number {
    return this.task.space.validLength ?? this.task.space.length;
  }

  /** Whether a config was measured already (or restored). */
  isMeasured(index: number): boolean {
    return this.measured.has(index);
  }

  /** Ends a running tune() after the batch in flight. */
  stop(): void {
    this.stopRequested = true;
  }

  /**
   * Restores this task's records from a log: marks them measured, counts them as trials, keeps the
   * best and feeds them to update() (so a model-based tuner retrains). Returns how many were restored.
   */
  async resumeFrom(logPath: string): Promise<number> {
    const records = await loadRecords(logPath);
    return this.restore(records);
  }

  /** The same as resumeFrom for records already in memory. */
  async restore(records: readonly LogRecord[]): Promise<number> {
    const inputs: TuneInput[] = [];
    const results: TuneResult[] = [];
    const seen = new Set<number>();
    for (const r of records) {
      if (!isRecordOf(r, this.task)) continue;
      const h = recordToHistory(this.task, r);
      if (h === undefined) continue; // Another template version, or an index that disagrees with its entity (configProblem).
      // A config measured twice (two jobs on one log) counts once, its first record.
      const index = h.input.config.index;
      if (this.measured.has(index) || seen.has(index)) continue;
      seen.add(index);
      inputs.push(h.input);
      results.push(h.result);
    }
    if (inputs.length === 0) return 0;
    this.record(inputs, results);
    await this.update(inputs, results);
    return inputs.length;
  }

  /** Marks results measured, counts trials and errors, tracks the best. */
  private record(inputs: readonly TuneInput[], results: readonly TuneResult[]): void {
    inputs.forEach((inp, k) => {
      const res = results[k]!;
      this.measured.add(inp.config.index);
      const flops = resultFlops(this.task, res);
      if (res.errorNo !== 0) this.errorCount++;
      if (flops > this.bestFlops) {
        this.bestFlops = flops;
        this.bestConfig = inp.config;
        this.bestIter = this.trials + k;
      }
    });
    this.trials += inputs.length;
  }

  /**
   * Runs the tuning loop (AutoTVM's Tuner.tune); see TuneOptions for each option and its default.
   * Resolves with what happened. Throws RangeError naming the option when nTrial, earlyStopping
   * or batchSize is missing or out of range.
   */
  async tune(opts: TuneOptions): Promise<TuneSummary> {
    if (typeof opts !== 'object' || opts === null) throw new TypeError('tune: expected options { nTrial, measureOption?, callbacks?, … }');
    const { nTrial } = opts;
    if (!Number.isInteger(nTrial) || nTrial < 0) {
      throw new RangeError(`tune: option nTrial (trials to run) must be a non-negative integer, got ${nTrial === undefined ? 'nothing' : String(nTrial)}`);
    }
    if (opts.measureOption !== undefined) return this.tuneWith(opts, toBatcher(opts.measureOption));
    // No measure option: the local builder and runner with their defaults, for this call only.
    const own = makeMeasureOption({ builder: localBuilder(), runner: localRunner() });
    try {
      return await this.tuneWith(opts, own);
    } finally {
      await own.close();
    }
  }

  private async tuneWith(opts: TuneOptions, measureOption: MeasureBatcher): Promise<TuneSummary> {
    const { nTrial } = opts;
    const earlyStopping = opts.earlyStopping ?? Infinity;
    if (!(earlyStopping > 0)) throw new RangeError(`tune: option earlyStopping must be positive, got ${earlyStopping}`);
    const batchSize = opts.batchSize ?? measureOption.nParallel ?? availableParallelism();
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`tune: option batchSize must be a positive integer, got ${batchSize}`);
    this.nTrial = nTrial;
    this.stopRequested = false;
    this.errorCount = 0;
    if (opts.resume !== undefined) await this.resumeFrom(opts.resume);
    const startTrials = this.trials;
    let stoppedBy: TuneSummary['stoppedBy'] = 'nTrial';
    this.ttl = Math.min(earlyStopping + Math.max(this.bestIter, 0), nTrial) - this.trials;
    while (this.trials < nTrial) {
      if (this.trials - Math.max(this.bestIter, 0) >= earlyStopping && this.bestIter >= 0) { stoppedBy = 'earlyStopping'; break; }
      if (this.stopRequested || opts.signal?.aborted) { stoppedBy = 'signal'; break; }
      if (!this.hasNext()) { stoppedBy = 'spaceExhausted'; break; }
      const want = Math.min(batchSize, nTrial - this.trials);
      // A fresh job measures the template's default config first, so a tuned result is never
      // slower than what a build without a log gets (AutoTVM leaves this to luck).
      const seed = this.trials === 0 && opts.measureDefaultFirst !== false ? this.task.defaultConfig?.() : undefined;
      const seeded = seed && !this.measured.has(seed.index) && this.task.space.isIndexValid(seed.index) ? [seed] : [];
      const configs = [...seeded, ...this.nextBatch(want - seeded.length).filter((c) => c.index !== seed?.index)];
      if (configs.length === 0) { stoppedBy = 'spaceExhausted'; break; }
      for (const c of configs) {
        if (this.measured.has(c.index)) throw new Error(`tuner bug: ${this.constructor.name} proposed config ${c.index}, which was measured already`);
        if (!this.task.space.isIndexValid(c.index)) throw new Error(`tuner bug: ${this.constructor.name} proposed config ${c.index}, which the template's multiFilter rejects`);
      }
      const inputs = configs.map((config) => ({ task: this.task, config }));
      const results = await measureOption.measureBatch(inputs);
      if (results.length !== inputs.length) throw new Error(`measureBatch returned ${results.length} results for ${inputs.length} inputs`);
      this.record(inputs, results);
      this.ttl = Math.min(earlyStopping + this.bestIter, nTrial) - this.trials;
      await this.update(inputs, results);
      for (const cb of opts.callbacks ?? []) await cb(this, inputs, results);
    }
    if (this.trials >= nTrial) stoppedBy = 'nTrial';
    return {
      trials: this.trials,
      measured: this.trials - startTrials,
      errors: this.errorCount,
      bestFlops: this.bestFlops,
      bestConfig: this.bestConfig,
      stoppedBy,
    };
  }
}
