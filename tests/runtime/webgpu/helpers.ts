// tests/runtime/webgpu/helpers.ts — small NDArrayLike arrays and a seeded filler for the WebGPU tests.

// hostArray and seeded are shared with the benchmarks, so they live in bench/.
export { hostArray, seeded } from '../../../bench/bench_util.js';

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
