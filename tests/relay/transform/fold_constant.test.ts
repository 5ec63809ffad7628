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

describe('FoldConstant of layout_transform (packed constants, TVM: AlterOpLayout then FoldConstant)', () => {
  /** Plain-JS NCHW{b}c: out[n][cb][h][w][l] = x[n][cb·b + l][h][w], written as loops over the packed shape. */
  function packRef(x: Float32Array, [N, C, H, W]: number[], b: number): number[] {
    const out: number[] = [];
    for (let n = 0; n < N!; n++) for (let cb = 0; cb < C! / b; cb++) for (let h = 0; h < H!; h++) for (let w = 0; w < W!; w++) {
      for (let l = 0; l < b; l++) out.push(x[((n * C! + cb * b + l) * H! + h) * W! + w]!);
    }
    return out;
  }

  for (const [shape, b] of [[[1, 8, 1, 1], 8], [[2, 8, 3, 5], 4], [[1, 6, 7, 3], 2], [[1, 3, 2, 2], 1], [[3, 16, 2, 1], 8]] as [number[], number][]) {
    it(`packs [${shape.join(', ')}] into NCHW${b}c and unpacks it back`, () => {
      const x = Float32Array.from({ length: shape.reduce((a, d) => a * d, 1) }, (_, i) => i * 0.5 - 3);
      const packed = fold(call('layout_transform', [f32([...x], shape)], { src_layout: 'NCHW', dst_layout: `NCHW${b}c` }));
      expect(packed.kind === 'Constant' && packed.data.shape).toEqual([shape[0], shape[1]! / b, shape[2], shape[3], b]);
      expect(values(packed)).toEqual(packRef(x, shape, b));
      const back = fold(call('layout_transform', [packed], { src_layout: `NCHW${b}c`, dst_layout: 'NCHW' }));
      expect(back.kind === 'Constant' && back.data.shape).toEqual(shape);
      expect(values(back)).toEqual([...x]);
    });
  }

  it('names the op when a constant cannot be packed', () => {
    expect(() => fold(call('layout_transform', [f32([1, 2, 3], [1, 3, 1, 1])], { src_layout: 'NCHW', dst_layout: 'NCHW2c' }))).toThrow('layout_transform: cannot pack [1, 3, 1, 1] into NCHW2c');
  });
});
