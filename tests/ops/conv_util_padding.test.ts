// tests/ops/conv_util_padding.test.ts — ops/nn/conv_util.ts's padding: padding4 takes a number, [h, w] or
// [top, left, bottom, right] of non-negative integers and names the op and the value otherwise (each bad entry alone,
// in each form); padNCHW returns X itself when no side pads (no copy stage) and otherwise a 'injective,pad' stage of
// the padded shape for every padding with one or more sides set (NCHW and NCHW[x]c), whatever the other sides are.

import { describe, expect, it } from 'vitest';
import { padding4, padNCHW } from '../../ops/nn/conv_util.js';
import { placeholder } from '../../schedule/tensor.js';

describe('padding4', () => {
  it('a number pads every side, [h, w] both sides of each axis, four numbers as given; undefined is none', () => {
    expect(padding4('op', undefined)).toEqual([0, 0, 0, 0]);
    expect(padding4('op', 2)).toEqual([2, 2, 2, 2]);
    expect(padding4('op', [1, 3])).toEqual([1, 3, 1, 3]);
    expect(padding4('op', [0, 1, 2, 3])).toEqual([0, 1, 2, 3]);
  });

  it('a negative or non-integer entry, in each form and each place, is a RangeError naming the op and the value', () => {
    const bad: (number | number[])[] = [-1, 1.5, Number.NaN, [-1, 0], [0, 0.5], [-2, 0, 0, 0], [0, 1.5, 0, 0], [0, 0, -1, 0], [0, 0, 0, 2.5], [0, 0, 0, Number.POSITIVE_INFINITY]];
    for (const v of bad) {
      const text = JSON.stringify(v).replace(/[[\]().+]/g, '\\$&');
      expect(() => padding4('conv2dX', v), text).toThrow(new RegExp(`^conv2dX: padding must be non-negative integers, got ${text}$`));
      expect(() => padding4('conv2dX', v), text).toThrow(RangeError);
    }
    // A string entry is not an integer either.
    expect(() => padding4('conv2dX', [0, '1', 0, 0] as never)).toThrow(/^conv2dX: padding must be non-negative integers, got \[0,"1",0,0\]$/);
  });
});

describe('padNCHW', () => {
  it('no side pads: X itself, no copy stage', () => {
    const X = placeholder([1, 3, 5, 7], 'float32', 'X');
    expect(padNCHW(X, [0, 0, 0, 0])).toBe(X);
    const Xp = placeholder([1, 2, 5, 7, 4], 'float32', 'Xp');
    expect(padNCHW(Xp, [0, 0, 0, 0])).toBe(Xp);
  });

  it('every padding with a side set (each of the 15, sides 1, 2, 3, 1): a pad stage of the padded shape', () => {
    for (let m = 1; m < 16; m++) {
      const [top, left, bottom, right] = [1, 2, 3, 1].map((v, s) => ((m >> s) & 1 ? v : 0)) as [number, number, number, number];
      const pad = [top, left, bottom, right] as const;
      const Y = padNCHW(placeholder([1, 3, 5, 7], 'float32', 'X'), pad);
      expect(Y.dims, `${pad}`).toEqual([1, 3, 5 + top + bottom, 7 + left + right]);
      expect(Y.op.kind === 'compute' && Y.op.tag, `${pad}`).toBe('injective,pad');
      const Yp = padNCHW(placeholder([1, 2, 5, 7, 4], 'float32', 'Xp'), pad);
      expect(Yp.dims, `${pad} packed`).toEqual([1, 2, 5 + top + bottom, 7 + left + right, 4]);
    }
  });
});
