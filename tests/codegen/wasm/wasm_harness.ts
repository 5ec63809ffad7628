// tests/codegen/wasm/wasm_harness.ts — runs a PrimFunc through wasm under several targets on
// copies of the inputs; tests compare the outputs with plain-JS references (never with the
// interpreter of the same IR, which would share a lowering fault).

import type { PrimFunc } from '../../../tir/nodes.js';
import { build, nd } from '../../../runtime/index.js';
import { ALWAYS_PARALLEL, setParallelCostModel } from '../../../runtime/parallel_cost.js';

/** SIMD on/off × 1/2 threads: what every equivalence test runs through. */
export const CONFIGS = ['wasm -simd=1 -threads=1', 'wasm -simd=0 -threads=1', 'wasm -simd=1 -threads=2', 'wasm -simd=0 -threads=2'];

export type Data = Float32Array | Int32Array;

/**
 * Outputs of the wasm build of `f` for `target` on copies of `inputs`. Parallel loops go to the
 * workers however small (the runtime's cost model would run these test-sized loops on the caller;
 * tests/runtime/parallel_dispatch.test.ts covers that path).
 */
export async function runWasm(f: PrimFunc, inputs: readonly Data[], target: string): Promise<Data[]> {
  const shapes = f.attrs['argShapes'] as number[][] | undefined;
  const arrays = inputs.map((x, i) => nd.array(x, shapes?.[i] ?? [x.length]));
  const mod = await build(f, target);
  const prev = setParallelCostModel(ALWAYS_PARALLEL);
  try {
    await mod.run(...arrays);
    return arrays.map((a) => a.toArray());
  } finally {
    setParallelCostModel(prev);
    mod.dispose();
    for (const a of arrays) a.free();
  }
}

/** Largest |a - b| / max(1, |b|) over all elements (NaN where exactly one side is NaN). */
export function maxRelErr(a: Data, b: Data): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (Number.isNaN(x) !== Number.isNaN(y)) return NaN;
      continue;
    }
    if (x === y) continue;
    worst = Math.max(worst, Math.abs(x - y) / Math.max(1, Math.abs(y)));
  }
  return worst;
}

export function seededFloats(n: number, seed: number, lo = -2, hi = 2): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((s >>> 8) / 0x1000000) * (hi - lo);
  }
  return out;
}

export function seededInts(n: number, seed: number, lo = -100, hi = 100): Int32Array {
  const f = seededFloats(n, seed, 0, 1);
  return Int32Array.from(f, (x) => lo + Math.floor(x * (hi - lo + 1)));
}
