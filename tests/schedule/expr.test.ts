// tests/schedule/expr.test.ts — tensor expressions: methods and functions build the right tir
// nodes, numbers adopt the other operand's dtype, and mistakes are clear errors.

import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as te from '../../schedule/index.js';
import { interpret } from '../../tir/interpreter.js';
import { cpuBackend, data, expectClose, run } from './helpers.js';

beforeAll(cpuBackend);

describe('Expr', () => {
  it('numbers take the dtype of the other operand', () => {
    const A = te.placeholder([4], 'float32', 'A');
    const e = A.at(0).add(1);
    expect(e.node.kind).toBe('BinaryOp');
    expect(e.dtype).toBe('float32');
    const I = te.placeholder([4], 'int32', 'I');
    expect(I.at(1).mul(3).dtype).toBe('int32');
    expect(te.floordiv(7, I.at(0)).dtype).toBe('int32');
  });

  it('comparisons are bool and combine with and/or/not', () => {
    const A = te.placeholder([4], 'float32', 'A');
    const c = A.at(0).gt(0).and(A.at(1).le(2)).or(A.at(2).eq(A.at(3)).not());
    expect(c.dtype).toBe('bool');
  });

  it('a fractional number against an int32 is an error', () => {
    const I = te.placeholder([4], 'int32', 'I');
    expect(() => I.at(0).add(0.5)).toThrow(/the number 0.5 is not an integer but the other operand is int32/);
  });

  it('mixing dtypes needs a cast', () => {
    const A = te.placeholder([4], 'float32', 'A');
    const I = te.placeholder([4], 'int32', 'I');
    expect(() => A.at(0).add(I.at(0))).toThrow(/operand dtypes differ \(float32 vs int32\)/);
    expect(A.at(0).add(te.cast('float32', I.at(0))).dtype).toBe('float32');
  });

  it('te.max/te.min are elementwise with two values and reducers with an axis list', () => {
    const A = te.placeholder([4], 'float32', 'A');
    expect(te.max(A.at(0), A.at(1)).node.kind).toBe('BinaryOp');
    const k = te.reduceAxis(4, 'k');
    expect(te.max(A.at(k), [k]).node.kind).toBe('Reduce');
    expect(te.min(A.at(k), k).node.kind).toBe('Reduce');
  });

  it('te.const and dtype checks', () => {
    expect(te.const(2, 'int32').node).toMatchObject({ kind: 'IntImm', value: 2 });
    expect(te.const(1.5).node).toMatchObject({ kind: 'FloatImm', value: 1.5 });
    expect(te.const(1, 'float16').dtype).toBe('float16');
    expect(() => te.const(1, 'float64' as 'float32')).toThrow(/te.const: unknown dtype 'float64'/);
  });
});

describe('elementwise intrinsics through the interpreter', () => {
  it('exp, log, sqrt, tanh, sigmoid, abs, pow, floor, ceil, select match tfjs', () => {
    const n = 12;
    const A = te.placeholder([n], 'float32', 'A');
    const fns: [string, (x: te.Expr) => te.Expr, (t: tf.Tensor) => tf.Tensor][] = [
      ['exp', (x) => te.exp(x), (t) => tf.exp(t)],
      ['log', (x) => te.log(te.abs(x).add(0.5)), (t) => tf.log(tf.add(tf.abs(t), 0.5))],
      ['sqrt', (x) => te.sqrt(te.abs(x)), (t) => tf.sqrt(tf.abs(t))],
      ['tanh', (x) => te.tanh(x), (t) => tf.tanh(t)],
      ['sigmoid', (x) => te.sigmoid(x), (t) => tf.sigmoid(t)],
      ['pow', (x) => te.pow(te.abs(x), 1.5), (t) => tf.pow(tf.abs(t), 1.5)],
      ['floor', (x) => te.floor(x.mul(3)), (t) => tf.floor(tf.mul(t, 3))],
      ['ceil', (x) => te.ceil(x.mul(3)), (t) => tf.ceil(tf.mul(t, 3))],
      ['select', (x) => te.select(x.gt(0), x, x.mul(0.1)), (t) => tf.leakyRelu(t, 0.1)],
      ['erf', (x) => te.erf(x), (t) => tf.erf(t)],
    ];
    for (const [name, f, ref] of fns) {
      const B = te.compute([n], (i) => f(A.at(i)), `B_${name}`);
      const got = run(te.createSchedule([B]), [A, B]);
      expectClose(got, ref(tf.tensor1d(data(n, 1))).dataSync() as Float32Array, 1e-5);
    }
  });

  it('int32 floordiv/floormod follow Python semantics', () => {
    const I = te.placeholder([6], 'int32', 'I');
    const Q = te.compute([6], (i) => te.floordiv(I.at(i), 4).mul(10).add(te.floormod(I.at(i), 4)), 'Q');
    const f = te.scheduleOps(te.createSchedule([Q]), [I, Q], 'q');
    const out = new Int32Array(6);
    interpret(f, [Int32Array.from([-7, -4, -1, 0, 5, 9]), out]);
    expect([...out]).toEqual([-20 + 1, -10, -10 + 3, 0, 10 + 1, 20 + 1]);
  });
});
