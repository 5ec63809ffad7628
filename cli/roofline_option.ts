// cli/roofline_option.ts — `tensortune tune --roofline-stop <fraction>`: the machine's peak (cached), each task's
// roofline bound, and the words the closing line and --json use for them.

import type { Task } from '../autotune/task.js';
import { checkRooflineFraction, taskRooflineBound, type RooflineBound } from '../autotune/roofline/bound.js';
import type { MachinePeak } from '../autotune/roofline/peak.js';
import { parseTarget } from '../target/index.js';
import { UsageError } from './errors.js';
import { formatGflops } from './format.js';

/** `--roofline-stop <x>`: a number in (0, 1]; a UsageError naming the option otherwise. */
export function parseRooflineStop(v: string): number {
  try {
    return checkRooflineFraction(v.trim() === '' ? NaN : Number(v), '--roofline-stop');
  } catch (e) {
    throw new UsageError(`--roofline-stop '${v}': ${e instanceof Error ? e.message.replace(/^--roofline-stop /, '') : String(e)}`);
  }
}

export interface TaskRoofline {
  readonly peak: MachinePeak;
  readonly fromCache: boolean;
  readonly bounds: readonly RooflineBound[];
}

/**
 * The peak of the tasks' target (from the cache, or measured and cached: --remeasure-peak measures again) and each
 * task's bound. Says on `say` where the peak came from. UsageError for a non-wasm target (no measured peak yet).
 */
export async function taskRooflines(tasks: readonly Task[], remeasure: boolean, say: (m: string) => void): Promise<TaskRoofline> {
  const target = tasks[0]!.target;
  if (parseTarget(target).kind !== 'wasm') throw new UsageError(`--roofline-stop: the machine's peak is measured for wasm targets only so far, not '${target}'`);
  if (!remeasure) say(`roofline: reading or measuring this machine's peak for '${target}' (10–60 s the first time)…`);
  // Loaded here, not at the top: the peak kernels compile through binaryen, whose load (~25 s under tsx) every
  // `tensortune` start would pay through tune_args.ts otherwise, --help included.
  const { machinePeak } = await import('../autotune/roofline/peak_cache.js');
  const { peak, fromCache, note } = await machinePeak(target, { remeasure });
  if (note !== undefined) say(`roofline: ${note}`);
  say(`roofline: peak ${formatGflops(peak.gflops)} (${peak.kernel}), bandwidth ${peak.gbps.toFixed(1)} GB/s on ${peak.threads} thread${peak.threads === 1 ? '' : 's'}, ` +
    `${fromCache ? `cached from ${peak.measuredAt}` : 'measured now'} (${peak.cpuModel})`);
  return { peak, fromCache, bounds: tasks.map((t) => taskRooflineBound(t, peak)) };
}

/** One task's bound in words: 'bound 41.6 GFLOP/s (compute-bound, 85.3 FLOP/B)'. */
export function boundText(b: RooflineBound): string {
  return `bound ${formatGflops(b.boundFlops / 1e9)} (${b.limitedBy}-bound, ${b.intensity.toFixed(1)} FLOP/B)`;
}

/** What --json reports of a task's roofline: the bound, the best's share of it, whether the stop ended the task. */
export function rooflineJson(b: RooflineBound, fraction: number, peak: MachinePeak, bestFlops: number, stopped: boolean): Record<string, unknown> {
  return {
    fraction, boundGflops: b.boundFlops / 1e9, limitedBy: b.limitedBy, intensity: b.intensity,
    peakGflops: peak.gflops, peakGbps: peak.gbps, bestShare: bestFlops / b.boundFlops, stopped,
  };
}
