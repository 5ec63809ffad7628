// runtime/module.ts — what every built module offers, whatever its target: run, time, report.

import type { DataType, PrimFunc } from '../tir/nodes.js';
import type { Target } from '../target/index.js';

/** A tensor in host-visible memory (wasm linear memory). `data` is a fresh live view each access. */
export interface NDArrayLike {
  readonly shape: readonly number[];
  readonly dtype: DataType;
  readonly size: number;
  readonly data: Float32Array | Int32Array;
}

/** What a module actually ran on: recorded in modules, tuning records and benchmark output. */
export interface DeviceInfo {
  readonly target: string;
  /** e.g. { v8: '11.3.244.8-node.19', simd: true, threads: 2 } or { vendor, architecture, description }. */
  readonly [key: string]: string | number | boolean;
}

/** TVM's time evaluator options: `number` runs per measurement, `repeat` measurements. */
export interface TimeEvaluatorOptions {
  readonly number?: number;
  readonly repeat?: number;
  /** `number` is raised until one measurement lasts at least this long. */
  readonly minRepeatMs?: number;
  /**
   * What a measurement reads (default 'wall'): 'wall' is elapsed time (`performance.now`, TVM's);
   * 'process-cpu' is the process's CPU time (Node's `process.cpuUsage`, user + system), which does not
   * count the time the OS gave to other processes, so costs stay comparable on a shared, loaded
   * machine. Only for single-threaded wasm modules: it sums every thread's CPU time, so a module with
   * worker threads or a GPU (whose work is not the process's CPU time) refuses it.
   */
  readonly timer?: Timer;
}

/** A measurement's clock: elapsed time, or the process's CPU time (see TimeEvaluatorOptions.timer). */
export type Timer = 'wall' | 'process-cpu';

export interface TimeResult {
  /** Seconds per run, one entry per repeat. */
  readonly results: readonly number[];
  readonly mean: number;
  readonly median: number;
  readonly min: number;
  /** The `number` finally used per repeat. */
  readonly number: number;
}

export interface BuiltModule {
  readonly target: Target;
  readonly func: PrimFunc;
  readonly info: DeviceInfo;
  /** Runs once; checks each argument's shape and dtype against the function's params. */
  run(...args: NDArrayLike[]): Promise<void>;
  timeEvaluator(opts?: TimeEvaluatorOptions): { run(...args: NDArrayLike[]): Promise<TimeResult> };
  dispose(): void;
}
