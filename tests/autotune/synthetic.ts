// tests/autotune/synthetic.ts — a real ConfigSpace with a synthetic throughput function, shared by the search tests.

import type { CostModel } from '../../autotune/cost_model.js';
import type { ModelOptimizer } from '../../autotune/model_based_tuner.js';
import { ConfigSpace } from '../../autotune/space.js';
import type { Task } from '../../autotune/task.js';
import type { MeasureBatcher, TuneInput, TuneResult } from '../../autotune/tuner.js';

/** A matmul-like space: 3-way split of 512, 2-way of 256 and 128, loop order, unroll knob (≈ 500k configs). */
export function syntheticSpace(): ConfigSpace {
  const s = new ConfigSpace();
  s.defineSplit('tile_y', 512, { numOutputs: 3 });
  s.defineSplit('tile_x', 256, { numOutputs: 3 });
  s.defineSplit('tile_k', 128);
  s.defineReorder('order', ['a', 'b', 'c'], 'all');
  s.defineKnob('unroll', [0, 8, 16, 64]);
  return s;
}

const sq = (x: number) => x * x;

/** GFLOP/s of a config: one optimum (y inner 8 × 4, x inner 16 × 4, k 16, order 2, unroll 16), smooth around it, with interactions. */
export function syntheticGflops(space: ConfigSpace, index: number): number {
  const c = space.get(index);
  const y = c.getSplit('tile_y').size;
  const x = c.getSplit('tile_x').size;
  const k = c.getSplit('tile_k').size;
  const order = space.pointToKnobs(index)[3]!;
  const unroll = c.getKnob('unroll').val as number;
  const l = Math.log2;
  const err = sq(l(y[2]!) - 2) + sq(l(y[1]!) - 3) + sq(l(x[2]!) - 4) + sq(l(x[1]!) - 2) + sq(l(k[1]!) - 4)
    + 0.5 * sq(l(y[2]! * x[2]!) - 6) + (order === 2 ? 0 : 1.5) + (unroll === 16 ? 0 : unroll === 8 ? 0.5 : 1);
  return 100 * Math.exp(-err / 6);
}

export function syntheticOptimum(space: ConfigSpace): number {
  let best = -1;
  let bestV = -Infinity;
  for (let i = 0; i < space.length; i++) {
    const v = syntheticGflops(space, i);
    if (v > bestV) { bestV = v; best = i; }
  }
  return best;
}

/** A task over the synthetic space (1 GFLOP per run); nothing to instantiate. */
export function syntheticTask(space = syntheticSpace()): Task {
  return {
    name: 'synthetic.test', args: [], target: 'wasm', workloadKey: '["synthetic.test",[]]', flop: 1e9, space,
    outputIndices: [2],
    instantiate: () => { throw new Error('synthetic task: nothing to instantiate'); },
    naive: () => { throw new Error('synthetic task: nothing to instantiate'); },
  };
}

/** A measureOption that "runs" configs by the synthetic function; configs in `failing` report errorNo 4. */
export class FakeMeasure implements MeasureBatcher {
  readonly seen: number[] = [];
  readonly nParallel = 8;
  constructor(
    private readonly failing: ReadonlySet<number> = new Set(),
    private readonly gflops: (task: Task, index: number) => number = (task, i) => syntheticGflops(task.space, i),
  ) {}

  measureBatch(inputs: TuneInput[]): Promise<TuneResult[]> {
    return Promise.resolve(inputs.map((inp) => {
      const i = inp.config.index;
      this.seen.push(i);
      if (this.failing.has(i)) return { costs: [1e9], errorNo: 4, allCost: 0, timestamp: 1, errorMsg: 'fake runtime error' };
      const secs = inp.task.flop / (this.gflops(inp.task, i) * 1e9);
      return { costs: [secs, secs], errorNo: 0, allCost: 2 * secs, timestamp: 1763942400 };
    }));
  }
}

/** A cost model that scores config i by −i (lower indices predicted faster) and counts as trained once fitted. */
export function indexScoreModel(): CostModel {
  return {
    trained: false,
    predict: (idx) => Float32Array.from(idx, (i) => -i),
    async fit() { (this as { trained: boolean }).trained = true; },
    fitHistory: async () => false,
  };
}

/** An optimizer that plans the `num` lowest unvisited indices the task's space accepts, handing each plan to `onPlan`. */
export function lowestIndexOptimizer(task: Task, onPlan: (plan: readonly number[]) => void = () => {}): ModelOptimizer {
  return {
    findMaximums(_m, num, excl) {
      const out: number[] = [];
      for (let i = 0; out.length < num; i++) if (!excl.has(i) && task.space.isIndexValid(i)) out.push(i);
      onPlan(out);
      return out;
    },
  };
}
