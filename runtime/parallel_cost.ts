// runtime/parallel_cost.ts — how many threads a parallel loop is worth: each loop's first calls run
// on the calling thread and are timed; from the best time per iteration, Eigen's TensorCostModel
// rule (which onnxruntime's thread pool also follows) gives the thread count, so a loop too small
// to pay for handing work to a worker keeps running on the calling thread.

/**
 * The cost model's constants, in nanoseconds of single-thread work. The defaults are Eigen's
 * (unsupported/Eigen/CXX11/src/Tensor/TensorCostModel.h: kStartupCycles = kPerThreadCycles =
 * 100000 cycles) at ~3.3 GHz: a loop needs 30 µs + 1.1 × 30 µs = 63 µs of work before a second
 * thread is used, and 30 µs more per further thread. A hand-off to a spinning worker costs ~5 µs
 * on an idle machine (docs/wasm.md); on the 2-core machine at load ~10 a tiny parallel kernel took
 * 0.4–1.7 ms with the workers (a 16-element reshape: 426 µs, vs 0.2 µs on the caller; docs/relay.md).
 */
export interface ParallelCostModel {
  /** Work below which a loop always runs on the calling thread. */
  readonly startupNs: number;
  /** Work each further thread must bring. */
  readonly perThreadNs: number;
}

export const EIGEN_COST_MODEL: ParallelCostModel = Object.freeze({ startupNs: 30_000, perThreadNs: 30_000 });

/** Every parallel loop on every thread from its first call, however small (the behaviour before the model). */
export const ALWAYS_PARALLEL: ParallelCostModel = Object.freeze({ startupNs: 0, perThreadNs: 0 });

/** Calls of each parallel loop run alone and timed before its thread count is decided (the best counts: tier-up, preemption). */
export const SAMPLE_CALLS = 3;

/** A monotonic clock in milliseconds. */
export type Clock = () => number;

let model: ParallelCostModel = EIGEN_COST_MODEL;
let clock: Clock = () => performance.now();

/**
 * Replaces the cost model for every wasm module (those already loaded too). Benchmarks compare
 * settings; tests force the workers with ALWAYS_PARALLEL. Returns the previous model.
 * Throws RangeError for a negative or non-finite constant.
 */
export function setParallelCostModel(m: ParallelCostModel): ParallelCostModel {
  for (const k of ['startupNs', 'perThreadNs'] as const) {
    const v = m[k];
    if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`parallel cost model: ${k} must be a finite number ≥ 0, got ${v}`);
  }
  const prev = model;
  model = { startupNs: m.startupNs, perThreadNs: m.perThreadNs };
  return prev;
}

export function parallelCostModel(): ParallelCostModel {
  return model;
}

/** Replaces the clock that times the sample calls (tests make the decision deterministic); returns the previous one. */
export function setParallelClock(c: Clock): Clock {
  const prev = clock;
  clock = c;
  return prev;
}

/** True while the model sends every loop to every thread (no sampling). */
export function alwaysParallel(): boolean {
  return model.startupNs === 0 && model.perThreadNs === 0;
}

/**
 * Threads in [1, maxThreads] for `workNs` of single-thread work, as Eigen's
 * `TensorCostModel::numThreads`: ⌊(work − startup) / perThread + 0.9⌋, clamped.
 */
export function parallelThreads(workNs: number, maxThreads: number): number {
  if (maxThreads <= 1) return 1;
  const { startupNs, perThreadNs } = model;
  if (perThreadNs === 0) return workNs >= startupNs ? maxThreads : 1;
  const t = Math.floor((workNs - startupNs) / perThreadNs + 0.9);
  return Math.min(maxThreads, Math.max(1, t));
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/**
 * Work (single-thread ns) from which a loop goes to the workers on the cost model's word alone, without
 * timing both ways. Below it the hand-off can cost as much as it brings (a worker parked in waitAsync
 * wakes in 0.1–1 ms, 1.7 ms at worst measured on the loaded 2-core machine); above it the pool's work
 * stealing bounds the loss (thread_pool.ts: the caller runs the chunks of a worker that has not woken and
 * takes its hand-off back), while a timed race decided by noise sent loops of 3–30 ms to the caller alone
 * in some runs (MM-512 on 2 threads at 0.76× onnxruntime-web instead of 1.46×: docs/wasm.md, "Threads").
 */
export const RACE_BELOW_NS = 2_000_000;

/**
 * Per wasm module: the measured cost of each outlined loop and the choice of threads for a call.
 * A loop's first SAMPLE_CALLS calls run on the calling thread, timed (the first of them often on
 * V8's baseline tier). If the cost model then gives it more than one thread and its work is under
 * RACE_BELOW_NS, its next SAMPLE_CALLS calls run on the workers and the SAMPLE_CALLS after them on this
 * thread, timed, and the loop keeps whichever way was faster per iteration (median): on a machine
 * whose cores are busy with other work a hand-off can cost more than the cost model assumes. The
 * worker calls come back to back, as in a timing loop or a model run, so only the first of them
 * finds the worker parked (alternating with caller calls, every one did, which priced small loops
 * at a wake-up each). Larger loops go to the workers at once.
 */
export class LoopCosts {
  private readonly first: number[][] = [];
  private readonly serial: number[][] = [];
  private readonly parallel: number[][] = [];
  /** Per loop, once its first SAMPLE_CALLS calls are timed: the best ns per iteration. */
  private readonly firstNs: number[] = [];
  /** Per loop, once decided: median serial ns per iteration, and whether the workers paid off. */
  private readonly serialNs: number[] = [];
  private readonly useWorkers: boolean[] = [];
  private samples = 0;

  /**
   * Sample calls so far (calls run through `sample`, timed for the decision). A caller that times
   * the kernel (runtime/time_evaluator.ts) warms it up until a whole run adds none, so every timed
   * run uses settled decisions instead of mixing caller and worker runs.
   */
  get sampledCalls(): number {
    return this.samples;
  }

  /**
   * Threads for a call of loop `fn` over `iterations`: 1 (run it here), t > 1 (hand it to t threads),
   * 0 (sample it here: run it through `sample(fn, iterations, 1, …)`), or −t (sample it on t
   * threads: `sample(fn, iterations, t, …)`).
   */
  plan(fn: number, iterations: number, maxThreads: number): number {
    if (maxThreads <= 1) return 1;
    if (alwaysParallel()) return maxThreads;
    const decided = this.useWorkers[fn];
    if (decided !== undefined) return decided ? parallelThreads(this.serialNs[fn]! * iterations, maxThreads) : 1;
    const firstNs = this.firstNs[fn];
    if (firstNs === undefined) return 0;
    const t = parallelThreads(firstNs * iterations, maxThreads);
    if (t === 1) return 1; // not decided for good: another call may bring more iterations
    if (firstNs * iterations >= RACE_BELOW_NS) {
      this.serialNs[fn] = firstNs;
      this.useWorkers[fn] = true;
      return t;
    }
    const serial = this.serial[fn] ?? [];
    const parallel = this.parallel[fn] ?? [];
    if (parallel.length < SAMPLE_CALLS) return -t;
    if (serial.length < SAMPLE_CALLS) return 0;
    this.serialNs[fn] = median(serial);
    this.useWorkers[fn] = median(parallel) < median(serial);
    return this.useWorkers[fn] ? t : 1;
  }

  /** Runs `run` (one call of loop `fn` over `iterations`, on this thread alone or on `threads` threads), timing it. */
  sample(fn: number, iterations: number, threads: number, run: () => void): void {
    this.samples++;
    const t0 = clock();
    run();
    const ns = ((clock() - t0) * 1e6) / Math.max(1, iterations);
    const first = (this.first[fn] ??= []);
    const into = threads > 1 ? this.parallel : first.length < SAMPLE_CALLS ? this.first : this.serial;
    (into[fn] ??= []).push(ns);
    if (first.length === SAMPLE_CALLS) this.firstNs[fn] ??= Math.min(...first);
  }

  /** Whether loop `fn` was found to run faster on the workers (undefined while undecided). */
  usesWorkers(fn: number): boolean | undefined {
    return this.useWorkers[fn];
  }
}
