// autotune/roofline/peak_cache.ts — a machine's measured peak per host and target, kept in a small JSON file
// (default ~/.cache/tensortune/peak.json) so a tuning run measures it once, not each time.

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, homedir, hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { parseTarget } from '../../target/index.js';
import { measureWasmPeak, type MachinePeak } from './peak.js';

/** The cache file: $TENSORTUNE_PEAK_CACHE, else ~/.cache/tensortune/peak.json. */
export function defaultPeakCacheFile(): string {
  return process.env.TENSORTUNE_PEAK_CACHE ?? join(homedir(), '.cache', 'tensortune', 'peak.json');
}

/** What identifies a measurement: host name, CPU model, Node (V8 decides the code) and the canonical target. */
export function peakCacheKey(target: string): string {
  return `${hostname()}|${cpus()[0]?.model.trim() ?? 'unknown'}|node ${process.versions.node}|${parseTarget(target).str}`;
}

interface CacheFile {
  readonly version: 1;
  readonly peaks: Record<string, MachinePeak>;
}

function isPeak(x: unknown): x is MachinePeak {
  if (typeof x !== 'object' || x === null) return false;
  const p = x as Record<string, unknown>;
  return typeof p['target'] === 'string' && typeof p['kernel'] === 'string' && typeof p['measuredAt'] === 'string' && typeof p['cpuModel'] === 'string' &&
    [p['threads'], p['gflops'], p['gbps']].every((v) => typeof v === 'number' && Number.isFinite(v) && v > 0);
}

/**
 * Reads the cache file. Returns its peaks, or `problem` saying why the file cannot be used (not JSON, another
 * version, a malformed entry) — never throws for a bad file; a missing file is an empty cache.
 */
export function readPeakCache(file: string): { peaks: Record<string, MachinePeak>; problem?: string } {
  if (!existsSync(file)) return { peaks: {} };
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { peaks: {}, problem: `peak cache '${file}' is not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  const d = data as Partial<CacheFile> | null;
  if (typeof d !== 'object' || d === null || d.version !== 1 || typeof d.peaks !== 'object' || d.peaks === null) {
    return { peaks: {}, problem: `peak cache '${file}' is not a version-1 cache ({ "version": 1, "peaks": { … } })` };
  }
  for (const [key, p] of Object.entries(d.peaks)) {
    if (!isPeak(p)) return { peaks: {}, problem: `peak cache '${file}': entry '${key}' lacks a finite positive gflops, gbps or threads` };
  }
  return { peaks: d.peaks };
}

/** Writes `peak` under `key`, keeping the file's other entries (a bad file is replaced); atomic by rename. */
export function writePeakCache(file: string, key: string, peak: MachinePeak): void {
  const { peaks } = readPeakCache(file);
  const out: CacheFile = { version: 1, peaks: { ...peaks, [key]: peak } };
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(out, null, 2) + '\n');
  renameSync(tmp, file);
}

export interface MachinePeakOptions {
  /** The cache file (default defaultPeakCacheFile()). */
  readonly cacheFile?: string;
  /** Measure again even when the cache has this host and target; the entry keeps the higher of each roof (higherPeak). */
  readonly remeasure?: boolean;
  /** The measurement (default measureWasmPeak with its defaults); tests inject a fake. */
  readonly measure?: (target: string) => Promise<MachinePeak>;
}

/**
 * The higher of two measurements of one host and target, roof by roof (with the newer date): a roofline is a ceiling,
 * and other work on the machine only ever makes a measurement read lower (session 19: 29–36 GFLOP/s at load 13–16
 * against 43 at load 5), so re-measuring on a busy machine never lowers the bound and stops a tuning run too early.
 */
export function higherPeak(a: MachinePeak, b: MachinePeak): MachinePeak {
  const compute = b.gflops >= a.gflops ? b : a;
  return { ...b, gflops: compute.gflops, kernel: compute.kernel, gbps: Math.max(a.gbps, b.gbps) };
}

/**
 * This machine's peak for `target`: from the cache when it holds this host and target, else measured and cached.
 * A cache file that cannot be read is reported in `note` and rewritten with the new measurement (never a crash).
 * `fromCache` says which. Throws what the measurement throws (measureWasmPeak: a non-wasm target).
 */
export async function machinePeak(target: string, opts: MachinePeakOptions = {}): Promise<{ peak: MachinePeak; fromCache: boolean; note?: string }> {
  const file = opts.cacheFile ?? defaultPeakCacheFile();
  const key = peakCacheKey(target);
  const { peaks, problem } = readPeakCache(file);
  const hit = peaks[key];
  if (hit !== undefined && opts.remeasure !== true) return { peak: hit, fromCache: true };
  const measured = await (opts.measure ?? ((t: string) => measureWasmPeak(t)))(target);
  const peak = hit === undefined ? measured : higherPeak(hit, measured);
  writePeakCache(file, key, peak);
  return { peak, fromCache: false, ...(problem !== undefined ? { note: `${problem}; measured again and rewrote it` } : {}) };
}
