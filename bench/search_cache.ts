// bench/search_cache.ts — the search bench's measurement cache: every tuner and seed of one bench run that
// proposes the same config of the same task gets the same measured cost (measured once), so tuners are
// compared on the same noise and the whole experiment fits on a shared 2-core machine. Optionally kept in a
// tuning log (AutoTVM records), so an interrupted run resumes and the log doubles as a transfer source.

import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MeasureOption } from '../autotune/measure/measure.js';
import type { MeasureInput, MeasureResult } from '../autotune/measure/measure_types.js';
import type { HistoryRecord, MeasureBatcher } from '../autotune/tuner.js';
import type { Task } from '../autotune/task.js';
import { loadRecordsSync } from '../tuning-logs/reader.js';
import { toLogRecord } from '../tuning-logs/record.js';
import { groupKey, taskKey } from '../tuning-logs/task_key.js';
import { appendRecord } from '../tuning-logs/writer.js';
import { recordToHistory } from '../autotune/history.js';
import { createTask } from '../autotune/task.js';

/** What the cache counted: real measurements (this process), hits, and seconds spent measuring. */
export interface CacheStats {
  measured: number;
  hits: number;
  /** Records read from the cache log at start (measured by an earlier run). */
  loaded: number;
  measureSeconds: number;
  /** Seconds per config of each real batch (the first batch of a task also builds its reference). */
  batchRates: number[];
}

/**
 * A MeasureBatcher over `inner` that measures each (task, config index) once. Results are keyed by the
 * canonical task key (template, args, target) and the config index; `logPath`, when given, is read at start
 * (records of any task) and every new measurement is appended to it.
 */
export class MeasureCache implements MeasureBatcher {
  private readonly results = new Map<string, Map<number, MeasureResult>>();
  private readonly perTask = new Map<string, CacheStats>();
  readonly nParallel: number | undefined;

  /**
   * `statistic` 'min' hands tuners the fastest repeat as the one cost of a config (the least disturbed
   * figure on a shared machine), 'mean' the repeats as measured (what a tuning job uses). The log keeps all repeats.
   */
  constructor(private readonly inner: MeasureOption & { readonly nParallel?: number }, private readonly logPath?: string, private readonly statistic: 'min' | 'mean' = 'mean') {
    this.nParallel = inner.nParallel;
    // A cache in a folder not made yet (bench/out/ in a fresh clone): made here, not an ENOENT at the first record.
    if (logPath !== undefined) mkdirSync(dirname(logPath), { recursive: true });
    if (logPath !== undefined && existsSync(logPath)) {
      for (const r of loadRecordsSync(logPath)) {
        const key = groupKey(r);
        let task: Task;
        try {
          task = createTask(r.input[1], r.input[2], r.input[0]);
        } catch {
          continue; // A template this build no longer has.
        }
        const h = recordToHistory(task, r);
        if (h === undefined) continue;
        const m = this.mapOf(key);
        if (m.has(h.input.config.index)) continue;
        m.set(h.input.config.index, this.view(h.result));
        this.statsOf(key).loaded++;
      }
    }
  }

  private mapOf(key: string): Map<number, MeasureResult> {
    let m = this.results.get(key);
    if (m === undefined) this.results.set(key, (m = new Map()));
    return m;
  }

  private statsOf(key: string): CacheStats {
    let s = this.perTask.get(key);
    if (s === undefined) this.perTask.set(key, (s = { measured: 0, hits: 0, loaded: 0, measureSeconds: 0, batchRates: [] }));
    return s;
  }

  /** Cached results where known; the rest measured in one batch through the inner measure option. */
  async measureBatch(inputs: readonly MeasureInput[]): Promise<MeasureResult[]> {
    const out: (MeasureResult | undefined)[] = inputs.map((inp) => this.mapOf(taskKey(inp.task.target, inp.task.workloadKey)).get(inp.config.index));
    const todo: MeasureInput[] = [];
    const seen = new Set<string>();
    inputs.forEach((inp, k) => {
      const key = taskKey(inp.task.target, inp.task.workloadKey);
      if (out[k] !== undefined) { this.statsOf(key).hits++; return; }
      const id = `${key}#${inp.config.index}`;
      if (!seen.has(id)) { seen.add(id); todo.push(inp); }
    });
    if (todo.length > 0) {
      const t0 = performance.now();
      const res = await this.inner.measureBatch(todo);
      const seconds = (performance.now() - t0) / 1000;
      const rated = new Set<string>();
      todo.forEach((inp, k) => {
        const key = taskKey(inp.task.target, inp.task.workloadKey);
        const r = res[k]!;
        this.mapOf(key).set(inp.config.index, this.view(r));
        const s = this.statsOf(key);
        s.measured++;
        s.measureSeconds += seconds / todo.length;
        if (!rated.has(key)) { rated.add(key); s.batchRates.push(seconds / todo.length); }
        if (this.logPath !== undefined) appendRecord(this.logPath, toLogRecord(inp, r, { target: inp.task.target }));
        // A failed measurement says why on stderr (the log record keeps only its error number).
        if (r.errorNo !== 0) process.stderr.write(`   config ${inp.config.index} failed: error ${r.errorNo}: ${String(r.errorMsg ?? '').slice(0, 300)}\n`);
      });
      inputs.forEach((inp, k) => { out[k] ??= this.mapOf(taskKey(inp.task.target, inp.task.workloadKey)).get(inp.config.index); });
    }
    return out.map((r) => r!);
  }

  private view(r: MeasureResult): MeasureResult {
    return this.statistic === 'min' && r.errorNo === 0 && r.costs.length > 1 ? { ...r, costs: [Math.min(...r.costs)] } : r;
  }

  /** The cached result of one config of `task`, if any. */
  get(task: Task, index: number): MeasureResult | undefined {
    return this.results.get(taskKey(task.target, task.workloadKey))?.get(index);
  }

  /** Every cached result of `task` as (input, result) history, in insertion order. */
  history(task: Task): HistoryRecord[] {
    const m = this.results.get(taskKey(task.target, task.workloadKey));
    if (m === undefined) return [];
    return [...m].map(([index, result]) => ({ input: { task, config: task.space.entityAt(index) }, result }));
  }

  /** Counters of `task` (zeros when it was never seen). */
  stats(task: Task): CacheStats {
    const s = this.statsOf(taskKey(task.target, task.workloadKey));
    return { ...s, batchRates: [...s.batchRates] };
  }

  /**
   * Measures configs again outside the cache, side by side: each round builds them together and times them
   * one after another, so they share the machine's load (the cache keeps its first costs). Returns the
   * GFLOP/s per config per round (0 for a failed measurement).
   */
  async sideBySide(task: Task, indices: readonly number[], rounds: number): Promise<number[][]> {
    const out = indices.map(() => [] as number[]);
    for (let r = 0; r < rounds; r++) {
      const res = await this.inner.measureBatch(indices.map((i) => ({ task, config: task.space.entityAt(i) })));
      res.forEach((m, k) => {
        const v = this.view(m);
        out[k]!.push(v.errorNo === 0 ? task.flop / (v.costs.reduce((a, b) => a + b, 0) / v.costs.length) / 1e9 : 0);
      });
    }
    return out;
  }
}
