// tests/runtime/graph_executor.test.ts — the graph executor's pieces below relay: NDArray views over
// one planned buffer, and plan checks that name the bad field.

import { describe, expect, it } from 'vitest';
import { checkPlan, type GraphPlan } from '../../runtime/graph_plan.js';
import { NDArray } from '../../runtime/ndarray.js';

describe('NDArray.view', () => {
  it('shares memory with its base under another shape and dtype', () => {
    const base = new NDArray([8], 'float32');
    base.copyFrom(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
    const v = base.view([2, 3]);
    expect([...v.data]).toEqual([1, 2, 3, 4, 5, 6]);
    v.data[0] = 42;
    expect(base.data[0]).toBe(42);
    expect(base.view([2], 'int32').dtype).toBe('int32');
    expect(() => base.view([3, 3])).toThrow(/needs 9 elements, the array has 8/);
    v.free(); // frees nothing
    expect(base.data[0]).toBe(42);
    base.free();
    expect(v.freed).toBe(true);
    expect(() => v.byteOffset).toThrow(/used after free/);
  });
});

describe('checkPlan', () => {
  const plan: GraphPlan = {
    format: 'tensortune-graph-plan', version: 1, target: 'wasm', storages: [16, 8],
    inputs: [{ name: 'x', storage: 0, shape: [4], dtype: 'float32' }], outputs: [{ name: 'y', storage: 1, shape: [2], dtype: 'float32' }],
    constants: [], kernels: [],
  };
  it('accepts a consistent plan', () => {
    expect(() => checkPlan(plan)).not.toThrow();
  });
  it('names a tensor that does not fit its storage, a missing storage, and a foreign format', () => {
    expect(() => checkPlan({ ...plan, outputs: [{ name: 'y', storage: 1, shape: [3], dtype: 'float32' }] })).toThrow(/output 'y': needs 12 bytes, storage 1 has 8/);
    expect(() => checkPlan({ ...plan, inputs: [{ name: 'x', storage: 5, shape: [1], dtype: 'float32' }] })).toThrow(/input 'x': storage 5 does not exist/);
    expect(() => checkPlan({ ...plan, format: 'other' } as unknown as GraphPlan)).toThrow(/format is "other"/);
  });
});
