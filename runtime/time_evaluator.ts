// runtime/time_evaluator.ts — TVM's time evaluator: one warm-up run, then `repeat` measurements
// of `number` runs each, `number` raised until a measurement lasts `minRepeatMs`; seconds per run.
// A runtime that decides things during its first runs (parallel_cost.ts) is warmed up until it settled.

import { mean, median, min } from 'simple-statistics';
import type { Timer, TimeEvaluatorOptions, TimeResult } from './module.js';
import { MAX_WORKER_TRIES, SAMPLE_CALLS } from './parallel_cost.js';
import { parseTarget, wasmOptions, type Target } from '../target/index.js';

function checkCount(name: string, v: number, least: number): number {
  if (!Number.isInteger(v) || v < least) throw new RangeError(`timeEvaluator: ${name} must be an integer ≥ ${least}, got ${v}`);
  return v;
}

/** A monotonic clock in milliseconds; `performance.now` unless a test gives a fake one. */
export type Clock = () => number;

/** The device name of Mesa's lavapipe (llvmpipe) software WebGPU adapter, as in target strings. */
export const LAVAPIPE_DEVICE = 'llvmpipe';

const systemClock: Clock = () => performance.now();

/** The process's CPU time (user + system) in milliseconds; microsecond resolution (getrusage). */
export const processCpuClock: Clock = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * The clock of a timer name: 'wall' (default) → performance.now; 'process-cpu' → processCpuClock.
 * Throws RangeError for another name, and Error for 'process-cpu' where Node's process.cpuUsage is missing (a browser).
 */
export function clockOf(timer: Timer | undefined): Clock {
  if (timer === undefined || timer === 'wall') return systemClock;
  if (timer !== 'process-cpu') throw new RangeError(`timeEvaluator: timer must be 'wall' or 'process-cpu', got '${String(timer)}'`);
  if (typeof process === 'undefined' || typeof process.cpuUsage !== 'function') {
    throw new Error("timeEvaluator: timer 'process-cpu' needs Node's process.cpuUsage (not available here, e.g. in a browser); use 'wall'");
  }
  return processCpuClock;
}

/**
 * Why timer 'process-cpu' cannot time kernels of `target`, or undefined when it can: CPU time is the run's
 * time only when the work runs on this process's CPU threads. That holds for `wasm -threads=1` (one
 * thread does all of it) and for WebGPU on Mesa's lavapipe (`webgpu -device=llvmpipe`, or `webgpu` with
 * no device named: the module then checks the adapter it got), whose shaders run on the driver's threads
 * inside this process. There CPU time is the kernel's total work over lavapipe's threads: on a loaded
 * machine that is what the wall time follows, but a grid of fewer workgroups than lavapipe has threads
 * reads cheaper than its latency (bench/webgpu_tiles.ts times the same way). Refused: `wasm -threads=N>1`
 * (the threads' CPU time adds up where their wall time overlaps) and a named GPU device.
 */
export function processCpuTimerRefusal(target: string | Target): string | undefined {
  const t = parseTarget(target);
  if (t.kind === 'webgpu') {
    const device = t.attrs['device'];
    return device === undefined || device === LAVAPIPE_DEVICE ? undefined
      : `a GPU's work is not this process's CPU time (only the lavapipe software adapter, -device=${LAVAPIPE_DEVICE}, runs kernels on this process's threads), got -device=${device}`;
  }
  return wasmOptions(t).threads > 1 ? 'more than one thread (their CPU time adds up); use -threads=1' : undefined;
}

/**
 * Refuses timer 'process-cpu' for a module whose work is not the calling thread's CPU time alone
 * (`why`: worker threads, a GPU), naming the module.
 */
export function checkTimerFor(opts: TimeEvaluatorOptions, module: string, why: string | undefined): void {
  if (opts.timer === 'process-cpu' && why !== undefined) {
    throw new RangeError(`timeEvaluator: timer 'process-cpu' cannot time ${module}: ${why}; use timer 'wall'`);
  }
}

/**
 * Most warm-up runs spent waiting for the runtime to settle. A wasm kernel's parallel loops settle
 * within SAMPLE_CALLS + MAX_WORKER_TRIES + SAMPLE_CALLS calls each (runtime/parallel_cost.ts: first calls
 * timed on the caller, the race's worker calls, its caller calls), one run more shows it, and one is spare
 * (32 with today's constants); a loop called several times per run settles sooner. Past this limit the
 * timing goes ahead (it cannot hang on a runtime that never settles).
 */
export const MAX_SETTLE_RUNS = SAMPLE_CALLS + MAX_WORKER_TRIES + SAMPLE_CALLS + 2;

/**
 * Times `runOnce` (awaited each call; it should resolve when the work is complete), following
 * TVM's `time_evaluator` (src/runtime/profiling.cc, `WrapTimeEvaluator`): one warm-up call,
 * then `repeat` measurements of `number` calls each, `number` raised (by at least 1.618×) until
 * one measurement lasts `minRepeatMs`. Results are seconds per call. `clock` (milliseconds) is
 * injectable so the counting can be tested without depending on the machine's speed; without it,
 * `opts.timer` picks the clock (clockOf: wall time, or the process's CPU time).
 * `sampledCalls`, when given, counts the runtime's still-deciding calls (LoopCosts.sampledCalls: parallel
 * loops timed on the caller or the workers to choose between them): the warm-up is repeated while a
 * run adds to it (at most MAX_SETTLE_RUNS runs), so the timed runs all use one decision per loop
 * and a config's repeats do not mix caller and worker runs.
 * Throws RangeError for a non-integer or too-small `number`/`repeat`, a negative `minRepeatMs` or an unknown `timer`.
 */
export async function timeRuns(
  runOnce: () => Promise<void> | void, opts: TimeEvaluatorOptions = {}, clockArg?: Clock, sampledCalls?: () => number,
): Promise<TimeResult> {
  const clock = clockArg ?? clockOf(opts.timer);
  let number = checkCount('number', opts.number ?? 1, 1);
  const repeat = checkCount('repeat', opts.repeat ?? 3, 1);
  const minRepeatMs = opts.minRepeatMs ?? 0;
  if (!(minRepeatMs >= 0)) throw new RangeError(`timeEvaluator: minRepeatMs must be ≥ 0, got ${minRepeatMs}`);
  // Warm-up: lazy compilation, first-touch of memory and the runtime's dispatch decisions are not measured.
  for (let w = 0; w < MAX_SETTLE_RUNS; w++) {
    const before = sampledCalls?.();
    await runOnce();
    if (sampledCalls === undefined || sampledCalls() === before) break;
  }
  const results: number[] = [];
  for (let r = 0; r < repeat; r++) {
    for (;;) {
      const t0 = clock();
      for (let i = 0; i < number; i++) {
        const p = runOnce();
        if (p !== undefined) await p; // a synchronous run is not charged a microtask per call
      }
      const ms = clock() - t0;
      // A measurement the clock did not see (0 ms: too short for its resolution, e.g. a browser's
      // coarsened clock) is no time: raise number as for a short one. Costs are always positive.
      if (ms > 0 && ms >= minRepeatMs) {
        results.push(ms / 1000 / number);
        break;
      }
      // As TVM: aim straight for minRepeatMs, growing by at least the golden ratio.
      const perRun = Math.max(ms / number, 1e-6);
      number = Math.max(Math.ceil(minRepeatMs / perRun) + 1, Math.ceil(number * 1.618));
    }
  }
  return { results, mean: mean(results), median: median(results), min: min(results), number };
}
