// tuning-logs/ops.ts — what people do with whole logs: pick the best, merge, summarize, validate.

import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { canonicalTarget } from '../target/index.js';
import { encodeRecord, meanCost, recordWorkloadKey, type LogRecord } from './record.js';
import { recordSkipReason } from './apply_history_best.js';
import { readEntriesSync, type BadLine, type ReadOptions } from './reader.js';
import { groupKey } from './task_key.js';
import { LogWriter } from './writer.js';

/** Says why a record does not fit its template (autotune's `recordChecker()`), undefined when it does. */
export type RecordCheck = (r: LogRecord) => string | undefined;

export interface BestOptions {
  /** Refuses records whose config does not fit their template; the next best record is taken instead. */
  readonly check?: RecordCheck;
  /** Receives each successful record that does not count (invalid, or refused by `check`), with why. */
  readonly onSkip?: (r: LogRecord, reason: string) => void;
}

/**
 * The best record per workload and target: lowest mean cost among the records that count (no
 * error, a valid record, and accepted by `opts.check`). Ties keep the earlier record, so the
 * answer does not depend on later duplicates. Returned in first-seen order of the groups. The
 * same rule as `applyHistoryBest(...).query` with the same check.
 */
export function best(records: Iterable<LogRecord>, opts: BestOptions = {}): LogRecord[] {
  const winners = new Map<string, LogRecord>();
  for (const r of records) {
    if (r.result[1] !== 0) continue;
    const reason = recordSkipReason(r) ?? opts.check?.(r);
    if (reason !== undefined) {
      opts.onSkip?.(r, reason);
      continue;
    }
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
 * file, fsynced once, renamed over `out`, and the folder fsynced (the write–fsync–rename–fsync
 * sequence), so `out` may be one of the inputs and neither a crash nor a power cut leaves half a
 * merge or an empty log in its place.
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
  // The copy's bytes must be on disk before it replaces `out`: a rename can reach the disk before
  // unsynced data does, and `out` may be the only copy of an input (one fsync, not one per record).
  w.sync();
  w.close();
  renameSync(tmp, out);
  syncFolder(dirname(out));
  return { read, written: seen.size, duplicates: read - seen.size };
}

/** fsyncs a folder so a rename in it survives a power cut; skipped where folders cannot be opened or synced (Windows). */
function syncFolder(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // Some platforms refuse fsync on a folder; the data itself is already synced.
  } finally {
    closeSync(fd);
  }
}

export interface WorkloadStats {
  readonly target: string;
  readonly taskName: string;
  readonly workloadKey: string;
  readonly records: number;
  readonly ok: number;
  /** Records without error that do not count: invalid costs (given as objects; the reader skips such lines) or refused by `check`. */
  readonly invalid: number;
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
  /** The template check `best` and builds use: refused records count as `invalid`, never as the best. */
  readonly check?: RecordCheck;
}

/** A summary per (canonical target, workload), in first-seen order; `target` is the canonical string. */
export function stats(records: Iterable<LogRecord>, opts: StatsOptions = {}): WorkloadStats[] {
  interface Acc {
    first: LogRecord;
    n: number;
    ok: number;
    invalid: number;
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
      a = { first: r, n: 0, ok: 0, invalid: 0, errors: {}, best: undefined, bestAt: undefined, spent: 0, t0: Infinity, t1: -Infinity, configs: new Set() };
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
    if ((recordSkipReason(r) ?? opts.check?.(r)) !== undefined) {
      a.invalid++;
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
      invalid: a.invalid,
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
  /** Records that count: valid, and accepted by the check when one was given. */
  readonly records: number;
  /** Malformed lines and records refused by the check (not counting a torn last line), with 1-based line numbers. */
  readonly bad: readonly BadLine[];
  /** Lines in AutoTVM's unsupported v0.1 layout: skipped, as AutoTVM does; reported once. */
  readonly oldFormat: { readonly count: number; readonly first: number; readonly last: number; readonly message: string } | undefined;
  /** The unterminated, unparsable last line a killed job leaves; harmless. */
  readonly tornLastLine: BadLine | undefined;
  /** True when every line but a torn last one, comments and v0.1 lines is a record that counts. */
  readonly ok: boolean;
}

export interface ValidateOptions {
  /** Also checks each record against its template (autotune's `recordChecker()`: entity fits the space, index matches). */
  readonly check?: RecordCheck;
}

/** Reads a whole log and reports every bad line by number. Comment lines ('#') are not records and not bad. */
export function validate(path: string, opts: ValidateOptions = {}): ValidationReport {
  const bad: BadLine[] = [];
  let torn: BadLine | undefined;
  let old: { count: number; first: number; last: number; message: string } | undefined;
  let records = 0;
  const onBadLine = (b: BadLine): void => {
    if (b.kind === 'torn') torn = b;
    else if (b.kind === 'old-format') old = old === undefined ? { count: 1, first: b.line, last: b.line, message: b.message } : { ...old, count: old.count + 1, last: b.line };
    else bad.push(b);
  };
  for (const e of readEntriesSync(path, { onBadLine })) {
    const reason = opts.check?.(e.record);
    if (reason === undefined) records++;
    else bad.push({ file: e.file, line: e.line, message: `config ${e.record.config.index} of ${e.record.input[1]}: ${reason}`, torn: false, kind: 'does-not-fit' });
  }
  bad.sort((a, b) => a.line - b.line);
  return { path, records, bad, oldFormat: old, tornLastLine: torn, ok: bad.length === 0 };
}
