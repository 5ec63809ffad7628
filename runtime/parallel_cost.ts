// runtime/parallel_cost.ts — how many threads a parallel loop is worth: each loop's first calls run
// on the calling thread and are timed; from the best time per iteration, Eigen's TensorCostModel
// rule (which onnxruntime's thread pool also follows) gives the thread count, so a loop too small
// to pay for handing work to a worker keeps running on the calling thread; a loop under RACE_BELOW_NS
// is then timed on the workers (awake) and on the caller once, and keeps the faster way.

/**
 * The cost model's constants, in nanoseconds of single-thread work: a loop needs startupNs + 1.1 × perThreadNs
 * of work before a second thread is used, and perThreadNs more per further thread.
 */
export interface ParallelCostModel {
  /** Work below which a loop always runs on the calling thread. */
  readonly startupNs: number;
  /** Work each further thread must bring. */
  readonly perThreadNs: number;
}

/**
 * Eigen's constants (unsupported/Eigen/CXX11/src/Tensor/TensorCostModel.h: kStartupCycles = kPerThreadCycles =
 * 100000 cycles) at ~3.3 GHz: a second thread from 30 µs + 1.1 × 30 µs = 63 µs of work, 30 µs more per further
 * thread. The default until session 12: it kept MM-128's 50 µs product loop on one thread, where onnxruntime-web
 * uses both (MLAS adds a thread per 64K multiply-adds, MLAS_SGEMM_THREAD_COMPLEXITY: ≈ 6 µs of work).
 */
export const EIGEN_COST_MODEL: ParallelCostModel = Object.freeze({ startupNs: 30_000, perThreadNs: 30_000 });

/**
 * The default: a second thread from 10 µs + 1.1 × 10 µs = 21 µs of work. A hand-off to a spinning worker costs
 * ~5 µs on an idle machine (docs/wasm.md); every loop from here to RACE_BELOW_NS is raced with the workers
 * awake (LoopCosts), so a busy machine, where a hand-off costs more, is caught by the race, not by these
 * constants. (On the 2-core machine at load ~10 a tiny parallel kernel took 0.4–1.7 ms with the workers: a
 * 16-element reshape, 426 µs vs 0.2 µs on the caller, docs/relay.md — far below either threshold.)
 */
export const WASM_COST_MODEL: ParallelCostModel = Object.freeze({ startupNs: 10_000, perThreadNs: 10_000 });

/** Every parallel loop on every thread from its first call, however small (the behaviour before the model). */
export const ALWAYS_PARALLEL: ParallelCostModel = Object.freeze({ startupNs: 0, perThreadNs: 0 });

/** Calls of each parallel loop run alone and timed before its thread count is decided (the best counts: tier-up, preemption). */
export const SAMPLE_CALLS = 3;

/** A monotonic clock in milliseconds. */
export type Clock = () => number;

let model: ParallelCostModel = WASM_COST_MODEL;
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
 * Worker calls a race spends to get SAMPLE_CALLS timed ones: at least WORKER_TRIES, more while its worker calls
 * have lasted under WAKE_WAIT_MS in all, at most MAX_WORKER_TRIES. A worker call counts only if every worker ran
 * its part of it and of the loop's previous worker call (so it was awake, spinning, when the call came): the
 * first hand-off to a parked worker measures its wake-up (0.1–1 ms, 1.7 ms at worst measured on the loaded
 * machine: longer than a whole 0.1–0.3 ms loop, so two such calls in a median of three could decide DENSE-fc's
 * race for the caller). With fewer counted by then the workers do not come in time on this machine now (a busy
 * one: at load 17 they missed 9 of 9 calls of MM-skinny, MM-128 and DENSE-fc), and the loop stays on the caller.
 */
export const WORKER_TRIES = 3 * SAMPLE_CALLS;
export const MAX_WORKER_TRIES = 8 * SAMPLE_CALLS;
export const WAKE_WAIT_MS = 2;

/** What a loop's race saw (LoopCosts.race): worker calls made, those counted, and the medians each way. */
export interface RaceRecord {
  /** Worker calls made while sampling, and the ones timed into the decision (the workers were awake). */
  readonly workerCalls: number;
  readonly counted: number;
  /** Median ns per iteration on the workers and on the caller (NaN where not measured). */
  readonly parallelNs: number;
  readonly serialNs: number;
}

/**
 * Per wasm module: the measured cost of each outlined loop and the choice of threads for a call.
 * A loop's first SAMPLE_CALLS calls run on the calling thread, timed (the first of them often on
 * V8's baseline tier). If the cost model then gives it more than one thread and its work is under
 * RACE_BELOW_NS, it is raced: its next calls go to the workers until SAMPLE_CALLS of them are timed
 * with the workers awake (WORKER_TRIES…MAX_WORKER_TRIES calls), the SAMPLE_CALLS after them run on this thread,
 * timed, and the loop keeps whichever way was faster per iteration (median), once: on a machine whose
 * cores are busy with other work a hand-off can cost more than the cost model assumes. The worker
 * calls come back to back, as in a timing loop or a model run. Larger loops go to the workers at once.
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
  /** Per loop while racing: worker calls made, their wall time (ms), and whether the workers ran their part of the last one. */
  private readonly workerCalls: number[] = [];
  private readonly workerMs: number[] = [];
  private readonly joined: boolean[] = [];
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
    if (firstNs * iterations >= RACE_BELOW_NS) return this.decide(fn, firstNs, true, t);
    const parallel = this.parallel[fn] ?? [];
    if (parallel.length < SAMPLE_CALLS) {
      const tries = this.workerCalls[fn] ?? 0;
      const more = tries < WORKER_TRIES || (tries < MAX_WORKER_TRIES && (this.workerMs[fn] ?? 0) < WAKE_WAIT_MS);
      return more ? -t : this.decide(fn, firstNs, false, t);
    }
    const serial = this.serial[fn] ?? [];
    if (serial.length < SAMPLE_CALLS) return 0;
    return this.decide(fn, median(serial), median(parallel) < median(serial), t);
  }

  private decide(fn: number, serialNs: number, workers: boolean, t: number): number {
    this.serialNs[fn] = serialNs;
    this.useWorkers[fn] = workers;
    return workers ? t : 1;
  }

  /**
   * Runs `run` (one call of loop `fn` over `iterations`, on this thread alone or on `threads` threads), timing it.
   * `run` returns the hand-offs taken back (ThreadPool.parallelFor: workers that missed the call), if any.
   */
  sample(fn: number, iterations: number, threads: number, run: () => number | void): void {
    this.samples++;
    const t0 = clock();
    const missed = run() ?? 0;
    const ms = clock() - t0;
    const ns = (ms * 1e6) / Math.max(1, iterations);
    const first = (this.first[fn] ??= []);
    if (threads > 1) {
      this.workerCalls[fn] = (this.workerCalls[fn] ?? 0) + 1;
      this.workerMs[fn] = (this.workerMs[fn] ?? 0) + ms;
      const awake = this.joined[fn] === true;
      this.joined[fn] = missed === 0;
      if (missed === 0 && awake) (this.parallel[fn] ??= []).push(ns);
      return;
    }
    (first.length < SAMPLE_CALLS ? first : (this.serial[fn] ??= [])).push(ns);
    if (first.length === SAMPLE_CALLS) this.firstNs[fn] ??= Math.min(...first);
  }

  /** Whether loop `fn` was found to run faster on the workers (undefined while undecided). */
  usesWorkers(fn: number): boolean | undefined {
    return this.useWorkers[fn];
  }

  /** What loop `fn`'s race saw so far (bench/threads.ts prints it): counts, so they mean the same on a busy machine. */
  race(fn: number): RaceRecord {
    const p = this.parallel[fn] ?? [];
    const s = this.serial[fn] ?? [];
    return { workerCalls: this.workerCalls[fn] ?? 0, counted: p.length, parallelNs: p.length ? median(p) : NaN, serialNs: s.length ? median(s) : NaN };
  }
}
