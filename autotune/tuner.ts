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
import { checkRooflineFraction } from './roofline/bound.js';
import type { Task } from './task.js';
import { warmStartConfigs, type WarmStartOptions, type WarmStartPlan } from './warm_start.js';

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
  /**
   * Warm start (autotune/warm_start.ts): the first trials are the template's default config (unless
   * measureDefaultFirst is false; with a warm start also on a resumed job that lacks it) and then the best
   * configs of `records` transferred to this task, each measured once — a config the log being resumed holds
   * is not measured again. The search starts from them: GATuner's first population holds them, a model-based
   * tuner fits its model once they are measured and starts its SA walkers (and incumbent mutation) at them.
   * Default: no warm start (only the default config first, on a fresh job).
   */
  readonly warmStart?: WarmStartOptions;
  /**
   * Roofline stop (CubeCL's autotune; autotune/roofline/): end the job at the first trial whose best reaches
   * `fraction` × `boundFlops` (FLOP/s; e.g. taskRooflineBound(task, peak).boundFlops), checked after each batch and
   * before the first (a resumed best may already be there). `fraction` in (0, 1] (RangeError naming it otherwise);
   * `boundFlops` finite and positive. Default: no roofline stop.
   */
  readonly stopAtRoofline?: { readonly fraction: number; readonly boundFlops: number };
}

export interface TuneSummary {
  /** Trials this task has had, resumed ones included. */
  readonly trials: number;
  /** Trials measured by this call. */
  readonly measured: number;
  readonly errors: number;
  readonly bestFlops: number;
  readonly bestConfig: ConfigEntity | undefined;
  /** 'roofline': the best reached stopAtRoofline's fraction of its bound. */
  readonly stoppedBy: 'nTrial' | 'earlyStopping' | 'spaceExhausted' | 'signal' | 'roofline';
  /** With TuneOptions.warmStart: configs it queued, how many came from the records, records skipped and why. */
  readonly warmStart?: { readonly configs: number; readonly transferred: number; readonly otherTemplate: number; readonly invalid: number };
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

  /**
   * Called once per tune() with the warm-start configs (measured first by the tune loop, before any
   * nextBatch proposal), so a tuner can start its search from them. Default: nothing.
   */
  protected seedSearch(_configs: readonly ConfigEntity[]): void {}

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
    const roof = opts.stopAtRoofline;
    if (roof !== undefined) {
      checkRooflineFraction(roof.fraction, 'tune: option stopAtRoofline.fraction');
      if (!(Number.isFinite(roof.boundFlops) && roof.boundFlops > 0)) throw new RangeError(`tune: option stopAtRoofline.boundFlops (FLOP/s) must be a finite positive number, got ${roof.boundFlops}`);
    }
    const atRoofline = (): boolean => roof !== undefined && this.bestFlops >= roof.fraction * roof.boundFlops;
    this.nTrial = nTrial;
    this.stopRequested = false;
    this.errorCount = 0;
    if (opts.resume !== undefined) await this.resumeFrom(opts.resume);
    const startTrials = this.trials;
    let stoppedBy: TuneSummary['stoppedBy'] = 'nTrial';
    this.ttl = Math.min(earlyStopping + Math.max(this.bestIter, 0), nTrial) - this.trials;
    const warm = this.warmQueue(opts);
    while (this.trials < nTrial) {
      if (this.trials - Math.max(this.bestIter, 0) >= earlyStopping && this.bestIter >= 0) { stoppedBy = 'earlyStopping'; break; }
      if (this.stopRequested || opts.signal?.aborted) { stoppedBy = 'signal'; break; }
      if (atRoofline()) { stoppedBy = 'roofline'; break; }
      const queued = warm.queue.filter((c) => !this.measured.has(c.index));
      if (queued.length === 0 && !this.hasNext()) { stoppedBy = 'spaceExhausted'; break; }
      const want = Math.min(batchSize, nTrial - this.trials);
      const configs = this.fillBatch(queued.slice(0, want), want);
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
    if (atRoofline() && stoppedBy !== 'signal') stoppedBy = 'roofline';
    else if (this.trials >= nTrial) stoppedBy = 'nTrial';
    return {
      trials: this.trials,
      measured: this.trials - startTrials,
      errors: this.errorCount,
      bestFlops: this.bestFlops,
      bestConfig: this.bestConfig,
      stoppedBy,
      ...(warm.plan !== undefined ? {
        warmStart: { configs: warm.plan.configs.length, transferred: warm.plan.transferred, otherTemplate: warm.plan.otherTemplate, invalid: warm.plan.invalid },
      } : {}),
    };
  }

  /**
   * The configs this tune() call measures first: the warm start's (the default on a resumed job too), else
   * just the default on a fresh job (AutoTVM leaves it to luck; so a tuned result is never slower than what
   * a build without a log gets). Hands a warm start's to seedSearch.
   */
  private warmQueue(opts: TuneOptions): { queue: readonly ConfigEntity[]; plan?: WarmStartPlan } {
    const wantDefault = opts.measureDefaultFirst !== false && (opts.warmStart !== undefined || this.trials === 0);
    const def = wantDefault ? this.task.defaultConfig?.() : undefined;
    if (opts.warmStart === undefined) {
      // Without a warm start the search itself is not seeded: plans stay exactly as before warm starts existed.
      return { queue: def && this.task.space.isIndexValid(def.index) ? [def] : [] };
    }
    const plan = warmStartConfigs(this.task, def, opts.warmStart);
    this.seedSearch(plan.configs);
    return { queue: plan.configs, plan };
  }

  /**
   * A batch of `want`: the queued warm-start configs, then the tuner's proposals. A proposal that is one of the
   * queued configs is dropped and the tuner asked again (a tuner never proposes a config twice, so this ends).
   */
  private fillBatch(queued: readonly ConfigEntity[], want: number): ConfigEntity[] {
    const out = [...queued];
    const inBatch = new Set(out.map((c) => c.index));
    while (out.length < want && this.hasNext()) {
      const more = this.nextBatch(want - out.length);
      if (more.length === 0) break;
      for (const c of more) if (!inBatch.has(c.index)) { inBatch.add(c.index); out.push(c); }
    }
    return out;
  }
}
