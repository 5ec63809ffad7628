// tuning-logs/apply_history_best.ts — the dispatch context builds use: best logged config per task.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalTarget, familyOf } from '../target/index.js';
import type { ConfigData, DispatchContext, DispatchHit } from './dispatch_context.js';
import { readEntriesSync, type LogEntry, type ReadOptions } from './reader.js';
import { meanCost, recordWorkloadKey, type LogRecord } from './record.js';
import { taskKey } from './task_key.js';

/** What a lookup found, with where the record came from (for "config 12 from dense.jsonl:40"). */
export interface HistoryLookup {
  readonly record: LogRecord;
  readonly config: ConfigData;
  readonly file?: string;
  readonly line?: number;
  /** True when the record's target is the queried one (after canonicalization). */
  readonly exact: boolean;
  /** Set when the record came from another target of the same family. */
  readonly note?: string;
}

interface Candidate {
  readonly record: LogRecord;
  readonly file?: string;
  readonly line?: number;
  readonly cost: number;
}

/**
 * Holds the best record per (target, workload) and per (target family, workload). Only records
 * without error count; the lowest mean cost wins, earlier records win ties.
 */
export class ApplyHistoryBest implements DispatchContext {
  private readonly exact = new Map<string, Candidate>();
  private readonly byFamily = new Map<string, Map<string, Candidate>>();
  private records = 0;

  constructor(entries: Iterable<LogEntry | LogRecord>) {
    for (const e of entries) this.add(e);
  }

  /** Adds one record (a later, better record replaces the current best). */
  add(entry: LogEntry | LogRecord): void {
    const c: Candidate = 'record' in entry ? { record: entry.record, file: entry.file, line: entry.line, cost: meanCost(entry.record) } : { record: entry, cost: meanCost(entry) };
    this.records++;
    if (!Number.isFinite(c.cost)) return;
    const target = canonicalTarget(c.record.input[0]);
    const wkey = recordWorkloadKey(c.record);
    const k = taskKey(target, wkey);
    const cur = this.exact.get(k);
    if (cur === undefined || c.cost < cur.cost) this.exact.set(k, c);
    const fk = JSON.stringify([familyOf(target), wkey]);
    let fam = this.byFamily.get(fk);
    if (fam === undefined) this.byFamily.set(fk, (fam = new Map()));
    const fcur = fam.get(target);
    if (fcur === undefined || c.cost < fcur.cost) fam.set(target, c);
  }

  /** Number of records read (with errors) and of (target, workload) pairs with a best config. */
  get size(): { records: number; workloads: number } {
    return { records: this.records, workloads: this.exact.size };
  }

  /**
   * The best record for a task: the exact target first; else the fastest record of another
   * target of the same family (e.g. 'wasm -threads=2' for 'wasm -threads=4'), with a note.
   */
  lookup(target: string, workloadKey: string): HistoryLookup | undefined {
    const t = canonicalTarget(target);
    const hit = this.exact.get(taskKey(t, workloadKey));
    if (hit !== undefined) return this.toLookup(hit, true);
    const family = familyOf(t);
    const fam = this.byFamily.get(JSON.stringify([family, workloadKey]));
    if (fam === undefined) return undefined;
    let bestTarget: string | undefined;
    let bestC: Candidate | undefined;
    // Sorted so that equal costs pick the same target every time.
    for (const other of [...fam.keys()].sort()) {
      const c = fam.get(other)!;
      if (bestC === undefined || c.cost < bestC.cost) {
        bestC = c;
        bestTarget = other;
      }
    }
    if (bestC === undefined) return undefined;
    const note = `no record for target '${t}'; using the best record tuned for '${bestTarget}' (same target family '${family}')`;
    return { ...this.toLookup(bestC, false), note };
  }

  query(target: string, workloadKey: string): DispatchHit | undefined {
    const l = this.lookup(target, workloadKey);
    if (l === undefined) return undefined;
    return l.note === undefined ? { config: l.config } : { config: l.config, note: l.note };
  }

  private toLookup(c: Candidate, exact: boolean): HistoryLookup {
    return {
      record: c.record,
      config: c.record.config,
      exact,
      ...(c.file !== undefined ? { file: c.file } : {}),
      ...(c.line !== undefined ? { line: c.line } : {}),
    };
  }
}

function isRecordList(v: readonly string[] | readonly LogRecord[]): v is readonly LogRecord[] {
  return v.length > 0 && typeof v[0] !== 'string';
}

/**
 * A dispatch context from log files (streamed; bad lines warned and skipped) or from records.
 * Push it around a build: `withDispatchContext(logs.applyHistoryBest('dense.jsonl'), () => …)`.
 */
export function applyHistoryBest(source: string | readonly string[] | readonly LogRecord[], opts: ReadOptions = {}): ApplyHistoryBest {
  if (typeof source === 'string') return new ApplyHistoryBest(readEntriesSync(source, opts));
  if (isRecordList(source)) return new ApplyHistoryBest(source);
  const ctx = new ApplyHistoryBest([]);
  for (const p of source as readonly string[]) for (const e of readEntriesSync(p, opts)) ctx.add(e);
  return ctx;
}

/**
 * The folder of logs shipped with the package. Sources run from the repo keep them beside this
 * file; the compiled dist/tuning-logs/ finds them two levels up, in the package root.
 */
export function tophubDir(): string | undefined {
  const candidates = [new URL('./tophub/', import.meta.url), new URL('../../tuning-logs/tophub/', import.meta.url)];
  for (const c of candidates) {
    const p = fileURLToPath(c);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** The shipped log files (tuning-logs/tophub/*.jsonl), sorted by name. */
export function tophubFiles(): string[] {
  const dir = tophubDir();
  if (dir === undefined) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * The shipped logs as a dispatch context, as TVM's TopHub: used when the user gives no log.
 * With a target, only records of that target's family are kept.
 */
export function loadTophub(target?: string, opts: ReadOptions = {}): ApplyHistoryBest {
  const family = target === undefined ? undefined : familyOf(target);
  const ctx = new ApplyHistoryBest([]);
  for (const f of tophubFiles()) {
    for (const e of readEntriesSync(f, opts)) {
      if (family === undefined || familyOf(e.record.input[0]) === family) ctx.add(e);
    }
  }
  return ctx;
}
