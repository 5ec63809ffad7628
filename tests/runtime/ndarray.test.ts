// tests/runtime/ndarray.test.ts — nd.array / nd.empty, copies in and out, dtype and shape checks.

import { describe, expect, it } from 'vitest';
import { nd } from '../../runtime/index.js';

describe('nd arrays', () => {
  it('creates arrays from typed arrays and number lists with the right dtype', () => {
    const a = nd.array(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3]);
    expect(a.shape).toEqual([2, 3]);
    expect(a.dtype).toBe('float32');
    expect(a.size).toBe(6);
    expect(Array.from(a.toArray())).toEqual([1, 2, 3, 4, 5, 6]);
    const b = nd.array(Int32Array.of(7, 8));
    expect(b.dtype).toBe('int32');
    const c = nd.array([1.5, 2.5], [2], 'int32');
    expect(Array.from(c.data)).toEqual([1, 2]);
    a.free();
    b.free();
    c.free();
  });

  it('copies in and out, and data is a live view', () => {
    const a = nd.empty([4]);
    expect(Array.from(a.data)).toEqual([0, 0, 0, 0]);
    a.copyFrom([1, 2, 3, 4]);
    a.data[0] = 9;
    const copy = a.toArray();
    a.data[1] = 0;
    expect(Array.from(copy)).toEqual([9, 2, 3, 4]);
    const b = nd.empty([4]).copyFrom(a);
    expect(Array.from(b.data)).toEqual([9, 0, 3, 4]);
    a.free();
    b.free();
  });

  it('explains wrong sizes, shapes, dtypes and use after free', () => {
    expect(() => nd.array([1, 2, 3], [2, 2])).toThrow(/3 values do not fill shape \[2, 2\]/);
    expect(() => nd.empty([2, -1])).toThrow(/shape\[1\] = -1/);
    expect(() => nd.empty([2], 'bool')).toThrow(/dtype 'bool' is not supported/);
    const a = nd.empty([2]);
    expect(() => a.copyFrom([1])).toThrow(/source has 1 elements/);
    a.free();
    expect(() => a.data).toThrow(/after free/);
  });
});
