// tests/tir/dtype.test.ts — the dtype strings of the IR (tir/dtype.ts): which strings are dtypes
// (scalar or `xN` vectors, as TVM writes them), the error that names where a bad one came from,
// and the lane/element/byte arithmetic, checked against values written out by hand.

import { describe, expect, it } from 'vitest';
import { bytesOf, checkDType, elementType, isBool, isFloat, isInt, isScalarType, lanesOf, withLanes, type DataType } from '../../tir/dtype.js';
import * as T from '../../tir/nodes.js';

describe('checkDType', () => {
  it('accepts the scalar types and their vectors, returning the string unchanged', () => {
    for (const d of ['float32', 'float16', 'int32', 'bool', 'float32x4', 'int32x16', 'boolx2', 'float16x8', 'float32x1']) {
      expect(checkDType(d)).toBe(d);
    }
    // A bool vector (a vectorized comparison's mask) is a dtype too: 'boolx4' is bool × 4, not 'boolx' 4.
    expect(T.variable('mask', 'boolx4').dtype).toBe('boolx4');
  });

  it('refuses anything else, naming where it came from and the dtypes it knows', () => {
    for (const d of ['float64', 'int64', 'uint8', 'Float32', 'float', 'float32x0', 'float32x', 'xfloat32', 'float32x4x2', ' float32', 'float32 ', 'afloat32', 'float32xa', 'int32x-4', '']) {
      expect(() => checkDType(d), d).toThrow(TypeError);
      expect(() => checkDType(d, 'buffer A'), d).toThrow(`buffer A: unknown dtype '${d}' (expected one of float32, float16, int32, bool, optionally with xN lanes)`);
    }
    expect(() => checkDType('float64')).toThrow(/^dtype: unknown dtype 'float64'/);
    // Where the IR builders call it, the error names the variable.
    expect(() => T.variable('n', 'int64' as 'int32')).toThrow("variable n: unknown dtype 'int64'");
  });

  it('knows exactly the four scalar types', () => {
    expect(['float32', 'float16', 'int32', 'bool', 'float32x4', 'float64', ''].map(isScalarType)).toEqual([true, true, true, true, false, false, false]);
  });
});

describe('lanes and element types', () => {
  const cases: [DataType, string, number, number][] = [
    // dtype, element type, lanes, bytes
    ['float32', 'float32', 1, 4],
    ['int32', 'int32', 1, 4],
    ['float16', 'float16', 1, 2],
    ['bool', 'bool', 1, 1],
    ['float32x4', 'float32', 4, 16],
    ['int32x8', 'int32', 8, 32],
    ['float16x8', 'float16', 8, 16],
    ['boolx4', 'bool', 4, 4],
    ['float32x16', 'float32', 16, 64],
  ];
  it.each(cases)('%s: element %s, %i lanes, %i bytes', (d, e, lanes, bytes) => {
    expect(elementType(d)).toBe(e);
    expect(lanesOf(d)).toBe(lanes);
    expect(bytesOf(d)).toBe(bytes);
  });

  it('withLanes makes a vector of the element type, and 1 lane the scalar', () => {
    expect(withLanes('float32', 4)).toBe('float32x4');
    expect(withLanes('int32x4', 8)).toBe('int32x8');
    expect(withLanes('float32x4', 1)).toBe('float32');
    expect(withLanes('bool', 1)).toBe('bool');
    expect(withLanes('boolx2', 16)).toBe('boolx16');
  });

  it('classifies by element type, vectors included', () => {
    const all: DataType[] = ['float32', 'float16', 'int32', 'bool', 'float32x4', 'float16x2', 'int32x4', 'boolx4'];
    expect(all.map(isFloat)).toEqual([true, true, false, false, true, true, false, false]);
    expect(all.map(isInt)).toEqual([false, false, true, false, false, false, true, false]);
    expect(all.map(isBool)).toEqual([false, false, false, true, false, false, false, true]);
  });
});
