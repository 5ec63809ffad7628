// autotune/measure/measure.ts — measuring candidates: builder + runner paired into a MeasureOption, GFLOP/s,
// and the public face of the measurement types (AutoTVM's autotvm.measure).

import { meanOfCosts } from '../../tuning-logs/record.js';
import type { Task } from '../task.js';
import {
  type Builder, type MeasureInput, type MeasureResult, type Runner,
} from './measure_types.js';

export {
  MeasureErrorNo, errorName, unixNow,
  type BuildResult, type Builder, type MeasureInput, type MeasureResult, type Runner,
} from './measure_types.js';
export { localBuilder, type LocalBuilderOptions } from './local_builder.js';
export { localRunner, type LocalRunnerOptions } from './local_runner.js';

export interface MeasureOption {
  readonly builder: Builder;
  readonly runner: Runner;
  /** Builds the whole batch (in parallel) first, then times its candidates one after another. */
  measureBatch(inputs: readonly MeasureInput[]): Promise<MeasureResult[]>;
  /** Stops the builder's and runner's workers. */
  close(): Promise<void>;
}

export function measureOption(opts: { builder: Builder; runner: Runner }): MeasureOption {
  const { builder, runner } = opts;
  return {
    builder,
    runner,
    async measureBatch(inputs) {
      if (inputs.length === 0) return [];
      // Sequential on purpose: no build may run while a candidate is being timed.
      const builds = await builder.build(inputs);
      if (builds.length !== inputs.length) {
        throw new Error(`builder returned ${builds.length} results for ${inputs.length} inputs`);
      }
      const results = await runner.run(inputs, builds);
      if (results.length !== inputs.length) {
        throw new Error(`runner returned ${results.length} results for ${inputs.length} inputs`);
      }
      return results;
    },
    async close() {
      await Promise.all([builder.close(), runner.close()]);
    },
  };
}

/** Mean cost over the repeats, in seconds (Infinity for a failed measurement). */
export function meanCost(result: MeasureResult): number {
  return meanOfCosts(result.costs, result.errorNo);
}

/** Throughput of a measured candidate in GFLOP/s from the task's FLOP count; 0 when it failed. */
export function gflops(task: Pick<Task, 'flop'>, result: MeasureResult): number {
  const t = meanCost(result);
  return Number.isFinite(t) && t > 0 ? task.flop / t / 1e9 : 0;
}
