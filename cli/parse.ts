// cli/parse.ts — turns option text into checked values; every failure is a UsageError naming the option.

import { existsSync } from 'node:fs';
import { parseTarget } from '../target/index.js';
import { UsageError } from './errors.js';

/** '1,1024,1000' → [1, 1024, 1000]; positive integers only. */
export function parseShape(text: string, option = '--shape'): number[] {
  const parts = text.split(/[,x×]/).map((p) => p.trim());
  const dims = parts.map(Number);
  if (parts.some((p) => p === '') || dims.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new UsageError(`${option} '${text}': expected positive integers separated by commas, e.g. 1,1024,1000`);
  }
  return dims;
}

export function parseIntOption(text: string, option: string, min = 0): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < min) throw new UsageError(`${option} '${text}': expected an integer ≥ ${min}`);
  return n;
}

/** The canonical target string ('wasm  -threads=2' → 'wasm -threads=2'); bad targets are usage errors. */
export function parseTargetOption(text: string): string {
  try {
    return parseTarget(text).str;
  } catch (e) {
    throw new UsageError(`--target: ${(e as Error).message}`);
  }
}

/** Checks that every given log file exists before any work starts. */
export function requireFiles(paths: readonly string[], what = 'log file'): void {
  for (const p of paths) if (!existsSync(p)) throw new UsageError(`${what} '${p}' does not exist`);
}

export function oneOf<T extends string>(text: string, choices: readonly T[], option: string): T {
  if (!(choices as readonly string[]).includes(text)) throw new UsageError(`${option} '${text}': expected one of ${choices.join(', ')}`);
  return text as T;
}

/**
 * Log files from repeated `--log` options, each of which may also be a comma list
 * (`--log a.jsonl --log b.jsonl` or `--log a.jsonl,b.jsonl`); each must exist. Order is kept
 * (a later log's record wins only when strictly faster, so the order never changes a build).
 */
export function parseLogList(values: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const v of values ?? []) {
    const parts = v.split(',').map((p) => p.trim());
    if (parts.some((p) => p === '')) throw new UsageError(`--log '${v}': empty file name in the list; separate log files with single commas`);
    out.push(...parts);
  }
  requireFiles(out);
  return out;
}

/** '30m', '1h30m', '90s', '2h', '45' (seconds) → seconds. */
export function parseDuration(text: string, option = '--budget'): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(t);
  if (!m || t === '' || (m[1] === undefined && m[2] === undefined && m[3] === undefined)) {
    throw new UsageError(`${option} '${text}': expected a duration like 30m, 1h30m, 90s or a number of seconds`);
  }
  const s = Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  if (!(s > 0)) throw new UsageError(`${option} '${text}': must be longer than 0`);
  return s;
}
