// tests/codegen/wgsl/launch_config.test.ts — kernel splitting, workgroup sizes and grid folding.

import { describe, expect, it } from 'vitest';
import { launchConfig, splitKernels } from '../../../codegen/wgsl/launch_config.js';
import * as T from '../../../tir/nodes.js';
import { storeG as store, threadNest } from './tir_shapes.js';

const nest = threadNest;

describe('launchConfig', () => {
  it('takes the workgroup size from threadIdx extents and the grid from blockIdx extents', () => {
    const c = launchConfig(nest([['blockIdx.y', 3], ['blockIdx.x', 5], ['threadIdx.y', 4], ['threadIdx.x', 16]]));
    expect(c.workgroupSize).toEqual([16, 4, 1]);
    expect(c.grid).toEqual([5, 3, 1]);
    expect(c.dispatch).toEqual([5, 3, 1]);
    expect(c.folded).toBe(false);
  });

  it('folds a grid past the per-dimension limit without losing a block', () => {
    const c = launchConfig(nest([['blockIdx.x', 70000], ['threadIdx.x', 1]]));
    expect(c.folded).toBe(true);
    expect(c.dispatch.every((d) => d <= 65535)).toBe(true);
    expect(c.dispatch[0] * c.dispatch[1] * c.dispatch[2]).toBeGreaterThanOrEqual(70000);
    const small = launchConfig(nest([['blockIdx.x', 10], ['blockIdx.y', 7], ['threadIdx.x', 2]]), 5);
    expect(small.dispatch.every((d) => d <= 5)).toBe(true);
    expect(small.dispatch[0] * small.dispatch[1] * small.dispatch[2]).toBeGreaterThanOrEqual(70);
    expect(() => launchConfig(nest([['blockIdx.x', 10], ['blockIdx.y', 7], ['threadIdx.x', 2]]), 4)).toThrow(/too large/);
  });

  it('refuses a thread extent that is not a constant', () => {
    const n = T.variable('n');
    const tx = T.variable('tx');
    const s = T.forLoop(tx, 0, n, 'threadBinding', store(tx), { threadTag: 'threadIdx.x' });
    expect(() => launchConfig(s)).toThrow(/non-constant extent/);
  });
});

describe('splitKernels', () => {
  it('makes one kernel per top-level thread-bound nest and scratch buffers of global allocations', () => {
    const tmp = T.buffer('tmp', [8], 'float32');
    const body = T.allocate(tmp, T.seq([nest([['threadIdx.x', 8]]), nest([['blockIdx.x', 2], ['threadIdx.x', 4]])]));
    const { scratch, kernels } = splitKernels(body, false);
    expect(scratch).toEqual([tmp]);
    expect(kernels).toHaveLength(2);
  });

  it('says to bind an axis when nothing is bound, unless single invocation is opted into', () => {
    const i = T.variable('i');
    const serial = T.forLoop(i, 0, 8, 'serial', store(i));
    expect(() => splitKernels(serial, false)).toThrow('bind at least one axis to blockIdx/threadIdx for webgpu');
    expect(splitKernels(serial, true).kernels).toEqual([serial]);
  });
});
