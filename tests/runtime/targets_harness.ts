// tests/runtime/targets_harness.ts — runs one lowered PrimFunc in the interpreter, on wasm and on
// WebGPU with the same inputs, for tests that check every target against a plain-JS reference.

import { buildWebGPU } from '../../runtime/webgpu/build_webgpu.js';
import { interpret } from '../../tir/interpreter.js';
import type { PrimFunc } from '../../tir/nodes.js';
import { runWasm, type Data } from '../codegen/wasm/wasm_harness.js';

/** All arguments after the function ran under `target` ('interpret', a wasm or a webgpu target string). */
export async function runOn(f: PrimFunc, inputs: readonly Data[], target: string): Promise<Data[]> {
  if (target === 'interpret') {
    const bufs = inputs.map((x) => x.slice());
    interpret(f, bufs);
    return bufs;
  }
  if (target.startsWith('wasm')) return runWasm(f, inputs, target);
  const shapes = f.attrs['argShapes'] as number[][] | undefined;
  const args = inputs.map((x, i) => {
    const data = x.slice();
    return { shape: shapes?.[i] ?? [x.length], dtype: data instanceof Int32Array ? 'int32' as const : 'float32' as const, size: data.length, data };
  });
  const mod = await buildWebGPU(f, target);
  try {
    await mod.run(...args);
  } finally {
    mod.dispose();
  }
  return args.map((a) => a.data);
}

/** Index of the first element where `got` and `want` differ (NaN equals NaN; +0 equals -0), or -1. */
export function firstMismatch(got: ArrayLike<number>, want: ArrayLike<number>, tol = 0): number {
  if (got.length !== want.length) return 0;
  for (let i = 0; i < got.length; i++) {
    const a = got[i]!, b = want[i]!;
    if (Number.isNaN(a) || Number.isNaN(b)) {
      if (Number.isNaN(a) !== Number.isNaN(b)) return i;
      continue;
    }
    if (a === b) continue;
    if (!Number.isFinite(a) || !Number.isFinite(b) || Math.abs(a - b) > tol * Math.max(1, Math.abs(b))) return i;
  }
  return -1;
}
