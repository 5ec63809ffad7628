// tests/codegen/wgsl/launch_config_fold.test.ts — launchConfig's exact folded dispatch (worked out by
// hand from the rule: x = min(total, limit), y = min(⌈total / x⌉, limit), z = ⌈⌈total / x⌉ / y⌉), the
// limit itself not folded, the i32 and "too large" refusals with their numbers, the largest extent
// of a tag winning, vthread loops not counted; splitKernels' per-statement refusal and its no-op filter.

import { describe, expect, it } from 'vitest';
import { launchConfig, splitKernels } from '../../../codegen/wgsl/launch_config.js';
import * as T from '../../../tir/nodes.js';
import { storeG as store, threadNest } from './tir_shapes.js';

const nest = threadNest;

describe('launchConfig folding, exactly', () => {
  it('a grid of exactly the limit per dimension is dispatched as is', () => {
    const c = launchConfig(nest([['blockIdx.x', 8], ['blockIdx.y', 8], ['threadIdx.x', 2]]), 8);
    expect(c).toEqual({ workgroupSize: [2, 1, 1], grid: [8, 8, 1], dispatch: [8, 8, 1], folded: false });
  });

  it('one past the limit folds into (limit, ⌈total/limit⌉, …)', () => {
    // 9 × 1 × 1 = 9 blocks, limit 8: x = 8, ⌈9/8⌉ = 2 → y = 2, z = 1.
    expect(launchConfig(nest([['blockIdx.x', 9], ['threadIdx.x', 4]]), 8).dispatch).toEqual([8, 2, 1]);
    // 10 × 7 = 70 blocks, limit 8: x = 8, ⌈70/8⌉ = 9 → y = 8, z = ⌈9/8⌉ = 2.
    expect(launchConfig(nest([['blockIdx.x', 10], ['blockIdx.y', 7], ['threadIdx.x', 2]]), 8).dispatch).toEqual([8, 8, 2]);
    // 3 × 2 × 20 = 120 blocks, limit 16 (z passes it): x = 16, ⌈120/16⌉ = 8 → y = 8, z = 1.
    const c = launchConfig(nest([['blockIdx.x', 3], ['blockIdx.y', 2], ['blockIdx.z', 20], ['threadIdx.x', 2]]), 16);
    expect(c).toEqual({ workgroupSize: [2, 1, 1], grid: [3, 2, 20], dispatch: [16, 8, 1], folded: true });
    // Exactly limit³ blocks fits (64 = 4·4·4 with limit 4); one more row does not.
    expect(launchConfig(nest([['blockIdx.x', 64], ['threadIdx.x', 1]]), 4).dispatch).toEqual([4, 4, 4]);
    expect(() => launchConfig(nest([['blockIdx.x', 65], ['threadIdx.x', 1]]), 4))
      .toThrow('webgpu: grid 65x1x1 is too large to dispatch even folded');
  });

  it('a grid whose blocks do not fit an i32 index is refused with its count', () => {
    // 65536 · 32768 = 2³¹ blocks: one more than an i32 holds.
    expect(() => launchConfig(nest([['blockIdx.x', 65536], ['blockIdx.y', 32768], ['threadIdx.x', 1]])))
      .toThrow('webgpu: grid 65536x32768x1 has 2147483648 workgroups, more than fit an i32 index');
    // 2³¹ − 1 blocks fit the index (and fold: 65535 × 32769 × 1).
    const c = launchConfig(nest([['blockIdx.x', 2 ** 31 - 1], ['threadIdx.x', 1]]));
    expect(c.dispatch).toEqual([65535, 32769, 1]);
  });

  it('takes the largest extent of a tag bound twice, and ignores vthread loops', () => {
    const [a, b, v] = [T.variable('a'), T.variable('b'), T.variable('v')];
    const two = T.seq([
      T.forLoop(a, 0, 3, 'threadBinding', store(a), { threadTag: 'threadIdx.x' }),
      T.forLoop(b, 0, 7, 'threadBinding', store(b), { threadTag: 'threadIdx.x' }),
    ]);
    const inV = T.forLoop(v, 0, 5, 'threadBinding', two, { threadTag: 'vthread' });
    expect(launchConfig(inV).workgroupSize).toEqual([7, 1, 1]);
    expect(launchConfig(inV).grid).toEqual([1, 1, 1]);
    // The larger one first: still 7 (the largest, not the last).
    const rev = T.seq([
      T.forLoop(b, 0, 7, 'threadBinding', store(b), { threadTag: 'threadIdx.y' }),
      T.forLoop(a, 0, 3, 'threadBinding', store(a), { threadTag: 'threadIdx.y' }),
    ]);
    expect(launchConfig(rev).workgroupSize).toEqual([1, 7, 1]);
    // A nest of only a vthread loop binds nothing.
    const only = T.forLoop(v, 0, 5, 'threadBinding', store(v), { threadTag: 'vthread' });
    expect(() => splitKernels(only, false)).toThrow('bind at least one axis');
  });
});

describe('splitKernels, statement by statement', () => {
  it('names the top-level statement that binds nothing, and drops no-op statements first', () => {
    const i = T.variable('i');
    const serial = T.forLoop(i, 0, 8, 'serial', store(i));
    const k = nest([['threadIdx.x', 8]]);
    expect(() => splitKernels(T.seq([k, serial]), false))
      .toThrow('webgpu: top-level statement 1 binds no loop; bind at least one axis');
    // With single invocation the unbound statement is a kernel of its own.
    expect(splitKernels(T.seq([k, serial]), true).kernels).toEqual([k, serial]);
    // evaluate(0) between kernels is no statement at all.
    const k2 = nest([['blockIdx.x', 2], ['threadIdx.x', 4]]);
    const { scratch, kernels } = splitKernels({ kind: 'SeqStmt', seq: [k, T.evaluate(T.intImm(0)), k2, T.evaluate(T.floatImm(1))] }, false);
    expect(scratch).toEqual([]);
    expect(kernels).toEqual([k, k2]);
  });

  it('scratch buffers are the leading global allocations only, in order', () => {
    const [s1, s2] = [T.buffer('s1', [4], 'float32'), T.buffer('s2', [4], 'float32')];
    const sh = T.buffer('sh', [4], 'float32', 'shared');
    const k = nest([['threadIdx.x', 8]]);
    const body = T.allocate(s1, T.allocate(s2, T.allocate(sh, k)));
    const out = splitKernels(body, false);
    expect(out.scratch).toEqual([s1, s2]);
    expect(out.kernels).toEqual([T.allocate(sh, k)]);
  });
});
