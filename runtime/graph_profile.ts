// runtime/graph_profile.ts — a per-kernel profile of a graph executor run, as TVM's debug_executor
// (python/tvm/contrib/debugger) and onnxruntime's session profiling: every fused kernel of the plan
// timed where it runs in the model (its inputs left in cache by the kernel before, as in a real run),
// median and mean over many runs, beside whole runs without the per-kernel clock reads.

import type { GraphPlan } from './graph_plan.js';
import type { Timer } from './module.js';
import { clockOf, MAX_SETTLE_RUNS, processCpuTimerRefusal, type Clock } from './time_evaluator.js';

export interface ProfileOptions {
  /** Profiled runs (each kernel timed once per run); default 50. Integer ≥ 1. */
  readonly runs?: number;
  /** Untimed runs first (V8 tiers wasm up from Liftoff to TurboFan over the first calls); default 10. Integer ≥ 0. */
  readonly warmupRuns?: number;
  /** 'wall' (default) or 'process-cpu' (the process's CPU time; single-threaded wasm only). */
  readonly timer?: Timer;
}

/** One kernel of the plan (one call of a fused function) as profiled. Times in seconds. */
export interface KernelProfile {
  /** Position in the plan's execution order. */
  readonly index: number;
  /** The fused function's name ('fused_nn_conv2d_add_nn_relu'). */
  readonly name: string;
  /** The operators fused into it, in order ('nn.conv2d', 'add', 'nn.relu'); from the name for plans without them. */
  readonly ops: readonly string[];
  /** Argument shapes: inputs in order, the output last. */
  readonly shapes: readonly (readonly number[])[];
  readonly median: number;
  readonly mean: number;
  readonly min: number;
  /** The median's share of the sum of all kernels' medians, in percent. */
  readonly percent: number;
}

export interface GraphProfile {
  readonly timer: Timer;
  readonly runs: number;
  /** In plan order; every kernel of the plan exactly once. */
  readonly kernels: readonly KernelProfile[];
  /** Sum of the kernels' medians (seconds). */
  readonly sumOfMedians: number;
  /** Median and mean of a profiled run from the first kernel's start to the last one's end (the mean equals the sum of the kernels' means). */
  readonly profiledRun: { readonly median: number; readonly mean: number };
  /** Median of whole runs without per-kernel clock reads, interleaved with the profiled ones (seconds): what the model costs. */
  readonly wholeRun: number;
}

/** What the profiler needs of a loaded plan's backend: run every kernel, calling `stamp(i)` before kernel i and `stamp(n)` after the last. */
export interface StampedRunner {
  runKernels(): void;
  runStamped(stamp: (i: number) => void): void;
  sampledCalls?(): number;
}

function count(name: string, v: number, least: number): number {
  if (!Number.isInteger(v) || v < least) throw new RangeError(`profile: ${name} must be an integer ≥ ${least}, got ${v}`);
  return v;
}

/** Checks the options for `plan` (counts, timer) and fills in the defaults; throws RangeError naming the bad one. */
export function checkProfileOptions(plan: GraphPlan, opts: ProfileOptions): { runs: number; warmupRuns: number; timer: Timer } {
  const runs = count('runs', opts.runs ?? 50, 1);
  const warmupRuns = count('warmupRuns', opts.warmupRuns ?? 10, 0);
  const timer = opts.timer ?? 'wall';
  if (timer !== 'wall' && timer !== 'process-cpu') throw new RangeError(`profile: timer must be 'wall' or 'process-cpu', got '${String(timer)}'`);
  if (timer === 'process-cpu') {
    const why = processCpuTimerRefusal(plan.target);
    if (why !== undefined) throw new RangeError(`profile: timer 'process-cpu' cannot time '${plan.target}': ${why}; use timer 'wall'`);
  }
  return { runs, warmupRuns, timer };
}

function medianOf(xs: Float64Array): number {
  const s = Float64Array.from(xs).sort();
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * The operators of a kernel in a plan that does not list them (written by hand, or by a build before plans had
 * them): the name without FuseOps' 'fused_' prefix, as one entry ('fused_nn_conv2d_add' → 'nn_conv2d_add'; the
 * underscores of op names and of the join cannot be told apart).
 */
function opsFromName(name: string): string[] {
  return [name.replace(/^fused_/, '')];
}

/**
 * Profiles `runner` (a loaded plan's backend): `warmupRuns` untimed runs, repeated until the parallel loops'
 * dispatch settled (as timeRuns), then `runs` profiled runs, each followed by one whole run timed alone.
 * `clock` (milliseconds) is injectable for tests; otherwise `opts.timer` picks it.
 * Throws RangeError for bad counts, an unknown timer, or 'process-cpu' on a target whose work is not this
 * thread's CPU time (`wasm -threads=N>1`, a GPU).
 */
export function profileRuns(plan: GraphPlan, runner: StampedRunner, opts: ProfileOptions = {}, clockArg?: Clock): GraphProfile {
  const { runs, warmupRuns, timer } = checkProfileOptions(plan, opts);
  const clock = clockArg ?? clockOf(timer);
  for (let w = 0; w < warmupRuns; w++) runner.runKernels();
  for (let w = 0; w < MAX_SETTLE_RUNS; w++) {
    const before = runner.sampledCalls?.();
    runner.runKernels();
    if (runner.sampledCalls === undefined || runner.sampledCalls() === before) break;
  }
  const n = plan.kernels.length;
  const per = plan.kernels.map(() => new Float64Array(runs));
  const profiled = new Float64Array(runs);
  const whole = new Float64Array(runs);
  const stamps = new Float64Array(n + 1);
  const stamp = (i: number): void => {
    stamps[i] = clock();
  };
  for (let r = 0; r < runs; r++) {
    runner.runStamped(stamp);
    for (let i = 0; i < n; i++) per[i]![r] = (stamps[i + 1]! - stamps[i]!) / 1000;
    profiled[r] = (stamps[n]! - stamps[0]!) / 1000;
    const t0 = clock();
    runner.runKernels();
    whole[r] = (clock() - t0) / 1000;
  }
  const medians = per.map(medianOf);
  const sumOfMedians = medians.reduce((a, b) => a + b, 0);
  const kernels = plan.kernels.map((k, i): KernelProfile => ({
    index: i, name: k.name, ops: k.ops ?? opsFromName(k.name), shapes: k.args.map((a) => a.shape),
    median: medians[i]!, mean: per[i]!.reduce((a, b) => a + b, 0) / runs, min: Math.min(...per[i]!),
    percent: sumOfMedians > 0 ? (100 * medians[i]!) / sumOfMedians : 0,
  }));
  return {
    timer, runs, kernels, sumOfMedians,
    profiledRun: { median: medianOf(profiled), mean: profiled.reduce((a, b) => a + b, 0) / runs },
    wholeRun: medianOf(whole),
  };
}

export interface FormatProfileOptions {
  /** Rows by time, slowest first ('time', default) or in plan order ('order'). */
  readonly sort?: 'time' | 'order';
  /** Show only the first `top` rows (default all); the totals always cover every kernel. */
  readonly top?: number;
  /** The schedule a kernel ran: config index and source, or 'default'; a column only when given. */
  readonly config?: (k: KernelProfile) => string;
}

const us = (s: number): string => (s * 1e6).toFixed(1);
const shape = (s: readonly number[]): string => `[${s.join(',')}]`;

/** The profile as a text table (µs, % of the sum of medians, fused ops, shapes in → out, config) and totals. */
export function formatProfile(p: GraphProfile, o: FormatProfileOptions = {}): string {
  const rows = o.sort === 'order' ? [...p.kernels] : [...p.kernels].sort((a, b) => b.median - a.median);
  const shown = o.top === undefined ? rows : rows.slice(0, o.top);
  const head = ['#', 'median µs', 'mean µs', '%', 'cum %', 'ops', 'shapes (inputs → output)', ...(o.config ? ['config'] : [])];
  let cum = 0;
  const body = shown.map((k) => {
    cum += k.percent;
    const ins = k.shapes.slice(0, -1).map(shape).join(' ');
    return [String(k.index), us(k.median), us(k.mean), k.percent.toFixed(1), o.sort === 'order' ? '' : cum.toFixed(1), k.ops.join('+'), `${ins} → ${shape(k.shapes[k.shapes.length - 1] ?? [])}`, ...(o.config ? [o.config(k)] : [])];
  });
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((r) => r[c]!.length)));
  const line = (r: string[]): string => r.map((x, c) => (c <= 4 ? x.padStart(widths[c]!) : x.padEnd(widths[c]!))).join('  ').trimEnd();
  const out = [line(head), ...body.map(line)];
  if (shown.length < rows.length) out.push(`… ${rows.length - shown.length} more kernels`);
  out.push(`${p.kernels.length} kernels, ${p.runs} runs, timer ${p.timer}: sum of kernel medians ${us(p.sumOfMedians)} µs; ` +
    `profiled run median ${us(p.profiledRun.median)} µs (mean ${us(p.profiledRun.mean)}); whole run without per-kernel clocks ${us(p.wholeRun)} µs`);
  return out.join('\n');
}
