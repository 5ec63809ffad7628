// tests/relay/transform/fold_constant.test.ts — FoldConstant: calls on constants evaluated (checked
// against hand-computed numpy results), calls reading variables kept, unchanged modules returned as is.

import { describe, expect, it } from 'vitest';
import { call, constant, func, irModule, variable, type Expr } from '../../../relay/nodes.js';
import { FoldConstant } from '../../../relay/transform/fold_constant.js';
import { InferType } from '../../../relay/transform/infer_type.js';
import { tensorType } from '../../../relay/ty.js';

const i32 = (xs: number[], shape = [xs.length]): Expr => constant(Int32Array.from(xs), shape);
const f32 = (xs: number[], shape = [xs.length]): Expr => constant(Float32Array.from(xs), shape);

function fold(body: Expr, params = [] as ReturnType<typeof variable>[]): Expr {
  return FoldConstant.run(irModule(func(params, body))).main.body;
}

function values(e: Expr): number[] {
  if (e.kind !== 'Constant') throw new Error(`expected a constant, got ${e.kind}`);
  return [...e.data.values];
}

describe('FoldConstant', () => {
  it('folds a shape subgraph: take, expand_dims, concatenate', () => {
    const shape = i32([2, 3, 4]);
    const n = call('expand_dims', [call('take', [shape, i32([0], [])], { axis: 0 })], { axis: 0 });
    const out = fold(call('concatenate', [n, i32([-1])], { axis: 0 }));
    expect(values(out)).toEqual([2, -1]);
  });

  it('folds broadcasting arithmetic as numpy does', () => {
    const a = f32([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = f32([10, 20, 30], [3]);
    expect(values(fold(call('add', [a, b])))).toEqual([11, 22, 33, 14, 25, 36]);
    expect(values(fold(call('subtract', [a, f32([1], [])])))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('folds transpose, strided_slice with a negative step, and mean over an axis', () => {
    const a = f32([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(values(fold(call('transpose', [a], { axes: [1, 0] })))).toEqual([1, 4, 2, 5, 3, 6]);
    expect(values(fold(call('strided_slice', [a], { begin: [-1], end: [-10], strides: [-2], axes: [1] })))).toEqual([3, 1, 6, 4]);
    expect(values(fold(call('mean', [a], { axis: [1], keepdims: false })))).toEqual([2, 5]);
  });

  it('keeps calls that read a variable', () => {
    const x = variable('x', tensorType([3]));
    const out = fold(call('add', [x, call('multiply', [f32([1, 2, 3]), f32([2], [])])]), [x]);
    expect(out.kind).toBe('Call');
    expect(values((out as Extract<Expr, { kind: 'Call' }>).args[1]!)).toEqual([2, 4, 6]);
  });

  it('returns the same module when nothing folds', () => {
    const x = variable('x', tensorType([3]));
    const m = InferType.run(irModule(func([x], call('nn.relu', [x]))));
    expect(FoldConstant.run(m)).toBe(m);
  });
});
