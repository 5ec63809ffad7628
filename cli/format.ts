// cli/format.ts — human-readable pieces shared by the commands: shapes, times, rates, tables.

import type { WorkloadArg } from '../tuning-logs/workload_key.js';

function isTensorArg(a: WorkloadArg): a is readonly ['TENSOR', readonly number[], string] {
  return Array.isArray(a) && a.length === 3 && a[0] === 'TENSOR';
}

/** [["TENSOR",[1,1024],"float32"], …] → '1x1024, 1000x1024' (dtype shown only when not float32). */
export function formatArgs(args: readonly WorkloadArg[]): string {
  return args
    .map((a) => {
      if (isTensorArg(a)) return a[1].join('x') + (a[2] === 'float32' ? '' : ` ${a[2]}`);
      return JSON.stringify(a);
    })
    .join(', ');
}

/** Seconds → '0.412 ms' / '12.3 µs' / '1.25 s'. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '—';
  if (s === 0) return '0 s';
  if (s >= 1) return `${s.toPrecision(3)} s`;
  if (s >= 1e-3) return `${(s * 1e3).toPrecision(3)} ms`;
  return `${(s * 1e6).toPrecision(3)} µs`;
}

export function formatGflops(g: number | undefined): string {
  return g === undefined || !Number.isFinite(g) ? '—' : `${g.toFixed(g >= 100 ? 0 : g >= 10 ? 1 : 2)} GFLOP/s`;
}

/** Left-aligned columns separated by two spaces. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  return all.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')).join('\n');
}
