// tests/schedule/tensor.test.ts — placeholder/compute/reduceAxis construction and checks, and
// FLOP counts (multiply-add = 2).

import { describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import { conv2d, data, matmul, run } from './helpers.js';

describe('tensors', () => {
  it('compute takes any rank and names axes after the function parameters', () => {
    const A = te.placeholder([2, 3, 4, 5, 6], 'float32', 'A');
    const B = te.compute([2, 3, 4, 5, 6], (a, b, c, d, e) => A.at(a, b, c, d, e).mul(2), 'B');
    expect(B.dims).toEqual([2, 3, 4, 5, 6]);
    expect((B.op as te.ComputeOp).axis.map((x) => x.variable.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(B.shape.map((d) => d.kind)).toEqual(['IntImm', 'IntImm', 'IntImm', 'IntImm', 'IntImm']);
  });

  it('names default as in TVM (placeholder, compute), and such tensors lower and run (plain JS)', () => {
    const A = te.placeholder([6]);
    const B = te.compute([6], (i) => A.at(i).mul(2).add(1));
    expect(A.op.name).toBe('placeholder');
    expect(B.op.name).toBe('compute');
    const a = data(6, 1); // what run feeds its first input
    expect(Array.from(run(te.createSchedule([B]), [A, B]))).toEqual(Array.from(a, (v) => Math.fround(Math.fround(v * 2) + 1)));
  });

  it('reduceAxis takes an extent or [min, extent]', () => {
    expect(te.reduceAxis(5, 'k').dom.extent).toMatchObject({ value: 5 });
    expect(te.reduceAxis([2, 3], 'k').dom.min).toMatchObject({ value: 2 });
    expect(() => te.reduceAxis(0, 'k')).toThrow(/te.reduceAxis k: needs an integer min and a positive integer extent/);
  });

  it('bad shapes, names, arity and nested reducers are errors', () => {
    expect(() => te.placeholder([2, 0], 'float32', 'A')).toThrow(/te.placeholder A: dimension 1 must be a positive integer, got 0/);
    expect(() => te.placeholder([2], 'float32', '1A')).toThrow(/name '1A' must be an identifier/);
    const A = te.placeholder([2, 2], 'float32', 'A');
    expect(() => te.compute([2], (i) => A.at(i), 'B')).toThrow(/tensor A: accessed with 1 indices but has 2 dimensions/);
    const k = te.reduceAxis(2, 'k');
    expect(() => te.compute([2], (i) => te.sum(A.at(i, k), [k]).add(1), 'C')).toThrow(/te.compute C: a reducer \(te.sum\) must be the whole body/);
    expect(() => te.compute([2], (i) => A.at(i, 0).gt(0), 'D')).toThrow(/te.compute D: body is bool/);
  });

  it('reducer over a data axis is an error', () => {
    const A = te.placeholder([2, 2], 'float32', 'A');
    const B = te.compute([2], (i) => A.at(i, 0), 'B');
    const dataAxis = (B.op as te.ComputeOp).axis[0]!;
    expect(() => te.sum(A.at(0, dataAxis), [dataAxis])).toThrow(/sum: axis i is not a reduce axis/);
  });
});

describe('flopCount', () => {
  it('matmul is 2·M·N·K', () => {
    expect(te.flopCount(matmul(8, 6, 5).out)).toBe(2 * 8 * 6 * 5);
  });

  it('conv2d counts 2 per multiply-add plus the pad stage comparisons', () => {
    const w = conv2d(1, 3, 8, 8, 4, 3, 1);
    const macs = 1 * 4 * 8 * 8 * 3 * 3 * 3;
    const conv = te.opFlops(w.out.op);
    expect(conv).toBe(2 * macs);
    expect(te.flopCount(w.out)).toBe(conv + te.opFlops(w.pad.op));
  });

  it('an elementwise op with an intrinsic counts each operation once', () => {
    const A = te.placeholder([10], 'float32', 'A');
    const B = te.compute([10], (i) => te.exp(A.at(i).mul(2)).add(1), 'B');
    expect(te.flopCount([B])).toBe(30);
  });
});
