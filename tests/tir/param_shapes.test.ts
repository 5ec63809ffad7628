// tests/tir/param_shapes.test.ts — paramShapes/constShape (tir/param_shapes.ts), the logical shape
// of each parameter that wasm and WGSL code generators and runtimes use: the parameters' own
// constant shapes, or attrs.argShapes (set by lowering when it flattens parameters), checked
// entry by entry with errors that name the function, parameter, dimension and buffer.

import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { constShape, paramShapes } from '../../tir/param_shapes.js';

const n = t.variable('n');
const A = t.buffer('A', [2, 3], 'float32');
const B = t.buffer('B', [6], 'float32');
const flatA = t.buffer('A', [6], 'float32');
const V = t.buffer('V', [4, n], 'float32');
const body = t.evaluate(t.intImm(0));
const fn = (params: t.Buffer[], attrs: Record<string, unknown> = {}): t.PrimFunc => t.primFunc('f', params, body, attrs);

describe('paramShapes', () => {
  it("gives the parameters' own constant shapes when lowering set no argShapes", () => {
    expect(paramShapes(fn([A, B]), 'wasm codegen')).toEqual([[2, 3], [6]]);
    expect(paramShapes(fn([]), 'wasm codegen')).toEqual([]);
    expect(constShape(A, 'x')).toEqual([2, 3]);
  });

  it('refuses a parameter with a non-constant dimension, naming parameter, buffer and dimension', () => {
    expect(() => paramShapes(fn([A, V]), 'wasm codegen')).toThrow('wasm codegen: f: parameter 1: buffer V dimension 1 is not a constant');
    expect(() => constShape(V, 'webgpu')).toThrow('webgpu: buffer V dimension 1 is not a constant');
  });

  it('gives attrs.argShapes for flattened parameters (element counts equal)', () => {
    expect(paramShapes(fn([flatA, B], { argShapes: [[2, 3], [3, 2]] }), 'wasm codegen')).toEqual([[2, 3], [3, 2]]);
    expect(paramShapes(fn([B], { argShapes: [[1, 6, 1]] }), 'w')).toEqual([[1, 6, 1]]);
    // A parameter with a symbolic dimension takes the given shape as is (no count to compare).
    expect(paramShapes(fn([V], { argShapes: [[4, 5]] }), 'w')).toEqual([[4, 5]]);
  });

  it('refuses argShapes that is not one list per parameter', () => {
    const msg = 'wasm codegen: f: attrs.argShapes must list one shape per parameter (2)';
    expect(() => paramShapes(fn([A, B], { argShapes: [[2, 3]] }), 'wasm codegen')).toThrow(msg);
    expect(() => paramShapes(fn([A, B], { argShapes: [[2, 3], [6], [1]] }), 'wasm codegen')).toThrow(msg);
    expect(() => paramShapes(fn([A, B], { argShapes: 'x' }), 'wasm codegen')).toThrow(msg);
  });

  it('refuses an entry that is not a list of non-negative integers, naming its index', () => {
    for (const bad of [[2, -3], [2.5, 2], 'six', [2, '3']]) {
      expect(() => paramShapes(fn([A, B], { argShapes: [[2, 3], bad] }), 'webgpu'), JSON.stringify(bad))
        .toThrow('webgpu: f: attrs.argShapes[1] is not a list of non-negative integers');
    }
    expect(paramShapes(fn([t.buffer('Z', [0], 'float32')], { argShapes: [[0, 4]] }), 'w')).toEqual([[0, 4]]);
  });

  it("refuses a shape whose element count differs from its parameter's", () => {
    expect(() => paramShapes(fn([A, B], { argShapes: [[2, 3], [2, 2]] }), 'wasm codegen'))
      .toThrow('wasm codegen: f: argShapes[1] (2x2) has 4 elements but buffer B has 6');
    expect(() => paramShapes(fn([A, B], { argShapes: [[7], [6]] }), 'wasm codegen'))
      .toThrow('wasm codegen: f: argShapes[0] (7) has 7 elements but buffer A has 6');
  });
});
