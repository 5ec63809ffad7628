// tuning-logs/ops.ts — what people do with whole logs: pick the best, merge, summarize, validate.

import { renameSync, rmSync } from 'node:fs';
import { canonicalTarget } from '../target/index.js';
import { encodeRecord, meanCost, recordWorkloadKey, type LogRecord } from './record.js';
import { readEntriesSync, type BadLine, type ReadOptions } from './reader.js';
import { groupKey } from './task_key.js';
import { LogWriter } from './writer.js';


/**
 * The best record per workload and canonical target (groupKey, as builds look records up):
 * lowest mean cost among records without error.
 * Ties keep the earlier record, so the answer does not depend on later duplicates.
 * Returned in first-seen order of the groups.
 */
export function best(records: Iterable<LogRecord>): LogRecord[] {
  const winners = new Map<string, LogRecord>();
  for (const r of records) {
    if (r.result[1] !== 0) continue;
    const k = groupKey(r);
    const cur = winners.get(k);
    if (cur === undefined || meanCost(r) < meanCost(cur)) winners.set(k, r);
  }
  return [...winners.values()];
}

export interface MergeReport {
  readonly read: number;
  readonly written: number;
  /** Exact duplicates dropped (the same line in two inputs, or a log merged with itself). */
  readonly duplicates: number;
}

/**
 * Concatenates logs into `out` in input order, dropping exact duplicates. Written to a temporary
 * file and renamed, so `out` may be one of the inputs and a crash never leaves half a merge.
 */
export function merge(paths: readonly string[], out: string, opts: ReadOptions = {}): MergeReport {
  if (paths.length === 0) throw new Error('merge: no input logs given');
  const tmp = `${out}.merge-${process.pid}.tmp`;
  const seen = new Set<string>();
  let read = 0;
  const w = new LogWriter(tmp, { fsync: false });
  try {
    for (const p of paths) {
      for (const { record } of readEntriesSync(p, opts)) {
        read++;
        const line = encodeRecord(record);
        if (seen.has(line)) continue;
        seen.add(line);
        w.write(record);
      }
    }
  } catch (e) {
    w.close();
    rmSync(tmp, { force: true });
    throw e;
  }
  w.close();
  renameSync(tmp, out);
  return { read, written: seen.size, duplicates: read - seen.size };
}

export interface WorkloadStats {
  readonly target: string;
  readonly taskName: string;
  readonly workloadKey: string;
  readonly records: number;
  readonly ok: number;
  /** Error number → count, for records with an error. */
  readonly errors: Readonly<Record<number, number>>;
  /** Mean cost of the best record in seconds, Infinity when none succeeded. */
  readonly bestCost: number;
  readonly bestIndex: number | undefined;
  /** 1-based position of the best record among this workload's records (how long the search took to find it). */
  readonly bestAtTrial: number | undefined;
  /** GFLOP/s of the best record, when `flopOf` knows the workload's FLOP count. */
  readonly bestGflops: number | undefined;
  readonly flop: number | undefined;
  /** Sum of the records' total seconds (build + run time spent). */
  readonly secondsSpent: number;
  readonly firstTimestamp: number;
  readonly lastTimestamp: number;
  readonly distinctConfigs: number;
}

export interface StatsOptions {
  /** FLOP count of a workload (e.g. from `autotune.createTask`), for GFLOP/s; undefined when unknown. */
  readonly flopOf?: (taskName: string, args: LogRecord['input'][2], target: string) => number | undefined;
}

/** A summary per (canonical target, workload), in first-seen order; `target` is the canonical string. */
export function stats(records: Iterable<LogRecord>, opts: StatsOptions = {}): WorkloadStats[] {
  interface Acc {
    first: LogRecord;
    n: number;
    ok: number;
    errors: Record<number, number>;
    best: LogRecord | undefined;
    bestAt: number | undefined;
    spent: number;
    t0: number;
    t1: number;
    configs: Set<number>;
  }
  const groups = new Map<string, Acc>();
  for (const r of records) {
    const k = groupKey(r);
    let a = groups.get(k);
    if (a === undefined) {
      a = { first: r, n: 0, ok: 0, errors: {}, best: undefined, bestAt: undefined, spent: 0, t0: Infinity, t1: -Infinity, configs: new Set() };
      groups.set(k, a);
    }
    a.n++;
    a.spent += r.result[2];
    a.t0 = Math.min(a.t0, r.result[3]);
    a.t1 = Math.max(a.t1, r.result[3]);
    a.configs.add(r.config.index);
    const errorNo = r.result[1];
    if (errorNo !== 0) {
      a.errors[errorNo] = (a.errors[errorNo] ?? 0) + 1;
      continue;
    }
    a.ok++;
    if (a.best === undefined || meanCost(r) < meanCost(a.best)) {
      a.best = r;
      a.bestAt = a.n;
    }
  }
  return [...groups.values()].map((a) => {
    const [target, taskName, args] = a.first.input;
    const flop = opts.flopOf?.(taskName, args, target);
    const bestCost = a.best === undefined ? Infinity : meanCost(a.best);
    return {
      target: canonicalTarget(target),
      taskName,
      workloadKey: recordWorkloadKey(a.first),
      records: a.n,
      ok: a.ok,
      errors: a.errors,
      bestCost,
      bestIndex: a.best?.config.index,
      bestAtTrial: a.bestAt,
      bestGflops: flop !== undefined && Number.isFinite(bestCost) ? flop / bestCost / 1e9 : undefined,
      flop,
      secondsSpent: a.spent,
      firstTimestamp: a.t0,
      lastTimestamp: a.t1,
      distinctConfigs: a.configs.size,
    };
  });
}

export interface ValidationReport {
  readonly path: string;
  readonly records: number;
  /** Malformed lines (not counting a torn last line), with 1-based line numbers. */
  readonly bad: readonly BadLine[];
  /** The unterminated, unparsable last line a killed job leaves; harmless. */
  readonly tornLastLine: BadLine | undefined;
  /** True when every line but a torn last one is a valid record. */
  readonly ok: boolean;
}

/** Reads a whole log and reports every bad line by number. */
export function validate(path: string): ValidationReport {
  const bad: BadLine[] = [];
  let torn: BadLine | undefined;
  let records = 0;
  const onBadLine = (b: BadLine): void => {
    if (b.torn) torn = b;
    else bad.push(b);
  };
  for (const _ of readEntriesSync(path, { onBadLine })) records++;
  return { path, records, bad, tornLastLine: torn, ok: bad.length === 0 };
}
