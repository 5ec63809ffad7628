// tuning-logs/apply_history_best.ts — the dispatch context builds use: best logged config per task.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalTarget, familyOf, parseTarget, webgpuOptions } from '../target/index.js';
import type { ConfigData, DispatchContext, DispatchHit, QueryOptions } from './dispatch_context.js';
import { readEntriesSync, type LogEntry, type ReadOptions } from './reader.js';
import { checkRecord, meanCost, recordWorkloadKey, type LogRecord } from './record.js';
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
  /** Canonical target. */
  readonly target: string;
  /** Order of arrival: earlier records win ties. */
  readonly seq: number;
}

/** A list of candidates kept sorted (lazily) by cost, then target name, then arrival. */
class Ranked {
  private readonly items: Candidate[] = [];
  private sorted = true;

  push(c: Candidate): void {
    this.items.push(c);
    this.sorted = false;
  }

  all(): readonly Candidate[] {
    if (!this.sorted) {
      this.items.sort((a, b) => a.cost - b.cost || (a.target < b.target ? -1 : a.target > b.target ? 1 : 0) || a.seq - b.seq);
      this.sorted = true;
    }
    return this.items;
  }
}

/**
 * Why a record cannot count towards a best config, or undefined when it can: it must be a valid
 * record (checkRecord: finite positive costs, a known error number…) and have no error.
 */
export function recordSkipReason(r: LogRecord): string | undefined {
  try {
    checkRecord(r);
  } catch (e) {
    return (e as Error).message;
  }
  return r.result[1] === 0 ? undefined : `measurement failed (error number ${r.result[1]})`;
}

/**
 * Holds every successful record per (target, workload) and per (target family, workload). A query
 * answers with the lowest mean cost among the records its check accepts; earlier records win ties.
 * The same rule as `logs.best` with the same check, so a build and `tensortune logs best` agree.
 */
export class ApplyHistoryBest implements DispatchContext {
  private readonly exact = new Map<string, Ranked>();
  private readonly byFamily = new Map<string, Map<string, Ranked>>();
  private records = 0;
  private invalid = 0;

  constructor(entries: Iterable<LogEntry | LogRecord>) {
    for (const e of entries) this.add(e);
  }

  /** Adds one record; failed and invalid records are counted but never answer a query. */
  add(entry: LogEntry | LogRecord): void {
    const where = 'record' in entry ? { record: entry.record, file: entry.file, line: entry.line } : { record: entry };
    this.records++;
    const r = where.record;
    if (r.result[1] !== 0) return;
    if (recordSkipReason(r) !== undefined) {
      this.invalid++;
      return;
    }
    const target = canonicalTarget(r.input[0]);
    const c: Candidate = { ...where, cost: meanCost(r), target, seq: this.records };
    const wkey = recordWorkloadKey(r);
    const k = taskKey(target, wkey);
    let list = this.exact.get(k);
    if (list === undefined) this.exact.set(k, (list = new Ranked()));
    list.push(c);
    const fk = JSON.stringify([familyOf(target), wkey]);
    let fam = this.byFamily.get(fk);
    if (fam === undefined) this.byFamily.set(fk, (fam = new Map()));
    let flist = fam.get(target);
    if (flist === undefined) fam.set(target, (flist = new Ranked()));
    flist.push(c);
  }

  /**
   * Number of records read (failed and invalid ones included), of invalid ones given as objects
   * (records read from files were checked by the reader), and of (target, workload) pairs with a
   * successful record.
   */
  get size(): { records: number; workloads: number; invalid: number } {
    return { records: this.records, workloads: this.exact.size, invalid: this.invalid };
  }

  /**
   * The best record for a task that `opts.check` accepts: the exact target first; else the fastest
   * accepted record of the nearest other targets of the same family (e.g. 'wasm -threads=2' for
   * 'wasm -threads=4', before any 'wasm -threads=1' record: see threadDistance; webgpu ones only with the same
   * `-subgroup-size`, and a named `-device`'s only for that device: sameSubgroups, deviceServes), with a note.
   * Refused records go to `opts.onSkip`, best first.
   */
  lookup(target: string, workloadKey: string, opts: QueryOptions = {}): HistoryLookup | undefined {
    const t = canonicalTarget(target);
    const pick = (list: readonly Candidate[]): Candidate | undefined => {
      for (const c of list) {
        const reason = opts.check?.(c.record.config);
        if (reason === undefined) return c;
        opts.onSkip?.({
          config: c.record.config, target: c.record.input[0], reason,
          ...(c.file !== undefined ? { file: c.file } : {}), ...(c.line !== undefined ? { line: c.line } : {}),
        });
      }
      return undefined;
    };
    const hit = pick(this.exact.get(taskKey(t, workloadKey))?.all() ?? []);
    if (hit !== undefined) return this.toLookup(hit, true);
    const family = familyOf(t);
    const fam = this.byFamily.get(JSON.stringify([family, workloadKey]));
    if (fam === undefined) return undefined;
    // Nearest targets first (threadDistance), then the fastest among them.
    const rings: Ranked[] = [new Ranked(), new Ranked(), new Ranked()];
    for (const [other, list] of fam) {
      if (other === t || !sameSubgroups(t, other) || !deviceServes(other, t)) continue;
      for (const c of list.all()) rings[threadDistance(t, other)]!.push(c);
    }
    let best: Candidate | undefined;
    for (const ring of rings) if ((best = pick(ring.all())) !== undefined) break;
    if (best === undefined) return undefined;
    const note = `no record for target '${t}'; using the best record tuned for '${best.target}' (same target family '${family}')`;
    return { ...this.toLookup(best, false), note };
  }

  query(target: string, workloadKey: string, opts: QueryOptions = {}): DispatchHit | undefined {
    const l = this.lookup(target, workloadKey, opts);
    if (l === undefined) return undefined;
    return {
      config: l.config,
      recordTarget: l.record.input[0],
      meanCost: meanCost(l.record),
      ...(l.note !== undefined ? { note: l.note } : {}),
      ...(l.file !== undefined ? { file: l.file } : {}),
      ...(l.line !== undefined ? { line: l.line } : {}),
    };
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

/** A wasm target's `-threads`: its number, 'default' when absent (all cores), undefined for other kinds. */
function threadsAttr(target: string): number | 'default' | undefined {
  try {
    const t = parseTarget(target);
    if (t.kind !== 'wasm') return undefined;
    const n = Number(t.attrs['threads']);
    return t.attrs['threads'] === undefined || !Number.isFinite(n) ? 'default' : n;
  } catch {
    return undefined;
  }
}

/**
 * How near a same-family record's target is to the queried one, for the fallback: 0 = the same
 * `-threads` (or neither a wasm target), 1 = both single-threaded or both multi-threaded (an absent
 * `-threads` means all cores: multi), 2 = one of each. A record tuned on one thread is timed
 * differently (often by CPU time) and usually has `parallel` off, so served to a 2-thread build it
 * halves the speed (C1 on `wasm -threads=2`: 54 → 28 GFLOP/s with `wasm -threads=1`'s record);
 * costs are compared only within the nearest ring that has a record.
 */
function threadDistance(query: string, other: string): number {
  const q = threadsAttr(query);
  const o = threadsAttr(other);
  if (q === o) return 0;
  if (q === undefined || o === undefined) return 0;
  const multi = (x: number | 'default'): boolean => x === 'default' || x > 1;
  return multi(q) === multi(o) ? 1 : 2;
}

/** A webgpu target's `-subgroup-size` (undefined without it, or for another kind, or an unreadable one). */
function subgroupSize(target: string): number | undefined {
  try {
    return parseTarget(target).kind === 'webgpu' ? webgpuOptions(target).subgroupSize : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a same-family record may serve the queried target in the fallback: webgpu targets only with the
 * same `-subgroup-size` (or both without). The gemm and conv2d WebGPU templates have a `warp` knob only on a
 * subgroup target, so the other's records never fit the space; leaving them out keeps a plain `webgpu` build
 * from warning that the subgroup target's shipped records are stale (they are another space, not stale).
 */
function sameSubgroups(query: string, other: string): boolean {
  return subgroupSize(query) === subgroupSize(other);
}

/** A webgpu target's `-device`, lower case (undefined without it, or for another kind, or an unreadable target). */
function webgpuDevice(target: string): string | undefined {
  try {
    return parseTarget(target).kind === 'webgpu' ? webgpuOptions(target).device?.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a record tuned for target `other` may serve `query` in the fallback: a record of a named device
 * (`webgpu -device=llvmpipe`) only the same device; one without `-device` any. The WebGPU templates choose their
 * defaults and spaces by device (ops/templates/webgpu_target.ts: lavapipe reads in place), and a lavapipe record
 * that reads in place ran 30× slower on SwiftShader, so a plain `webgpu` build must not take it.
 */
function deviceServes(other: string, query: string): boolean {
  const d = webgpuDevice(other);
  return d === undefined || d === webgpuDevice(query);
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
