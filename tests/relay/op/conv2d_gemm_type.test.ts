// tests/relay/op/conv2d_gemm_type.test.ts — the type relation of nn.contrib_conv2d_gemm_without_weight_transform
// (relay/op/conv2d_gemm.ts): its output is nn.conv2d's on the OIHW weight the [O, C·KH·KW] rows were reshaped from,
// over strides, padding, dilation and sizes no window divides; and each bad input, one part changed at a time from a
// good one, is the op's own error naming what is wrong — a data or weight of another rank where the other checks
// would pass, a row length that is not C·KH·KW, a non-float32 dtype, groups, a kernel_size of one value, an empty
// output. (Mutation sample, session 16: the rank and row checks and their message survived the tests that reach it.)

import { describe, expect, it } from 'vitest';
import { GEMM_CONV } from '../../../relay/op/conv2d_gemm.js';
import { opDef } from '../../../relay/op/registry.js';
import { tensorType } from '../../../relay/ty.js';

const gemm = opDef(GEMM_CONV);
const conv = opDef('nn.conv2d');

/** The conv output size by the textbook formula, written out here: ⌊(H + pads − d·(K − 1) − 1) / s⌋ + 1. */
const outSize = (h: number, k: number, s: number, p0: number, p1: number, d: number): number => Math.floor((h + p0 + p1 - d * (k - 1) - 1) / s) + 1;

describe(`${GEMM_CONV} type`, () => {
  it("is nn.conv2d's output on the OIHW weight, and the textbook size, for strides, pads, dilations and odd sizes", () => {
    const cases = [
      // [N, C, H, W, O, KH, KW, strides, padding, dilation]
      [1, 3, 20, 70, 8, 3, 3, [2, 2], [1, 1, 1, 1], [1, 1]],
      [2, 5, 17, 13, 7, 5, 3, [3, 2], [2, 0, 1, 1], [1, 2]],
      [1, 1, 9, 31, 4, 1, 7, [1, 4], [0, 3, 0, 2], [2, 1]],
      [3, 2, 11, 11, 6, 3, 3, [2, 3], [0, 0, 0, 0], [2, 2]],
    ] as const;
    for (const [N, C, H, W, O, KH, KW, strides, padding, dilation] of cases) {
      const attrs = { strides: [...strides], padding: [...padding], dilation: [...dilation], kernel_size: [KH, KW] };
      const x = tensorType([N, C, H, W]);
      const got = gemm.inferType([x, tensorType([O, C * KH * KW])], attrs);
      const viaConv = conv.inferType([x, tensorType([O, C, KH, KW])], { strides: [...strides], padding: [...padding], dilation: [...dilation], groups: 1 });
      const want = [N, O, outSize(H, KH, strides[0], padding[0], padding[2], dilation[0]), outSize(W, KW, strides[1], padding[1], padding[3], dilation[1])];
      expect(got.shape, `${[N, C, H, W]} kernel ${KH}×${KW}`).toEqual(want);
      expect(viaConv.shape).toEqual(want);
      expect(got.dtype).toBe('float32');
    }
  });

  describe('bad inputs, one part changed from data [1, 3, 20, 20] and weight [8, 27] for a 3×3 kernel', () => {
    const attrs = { strides: [2, 2], padding: [1, 1, 1, 1], dilation: [1, 1], kernel_size: [3, 3] };
    const type = (x: readonly number[], w: readonly number[], a: Record<string, unknown> = attrs, dtype = 'float32') =>
      () => gemm.inferType([tensorType(x, dtype as 'float32'), tensorType(w)], a as typeof attrs);
    const shapes = (x: string, w: string): RegExp => new RegExp(
      `^${GEMM_CONV.replace(/\./g, '\\.')}: needs data \\[N, C, H, W\\] and a weight \\[O, C·KH·KW\\][^,]*= 27 for kernel 3×3, got ${x} and ${w}$`);

    it('the good one types', () => {
      expect(type([1, 3, 20, 20], [8, 27])().shape).toEqual([1, 8, 10, 10]);
    });
    it('data of rank 3 or 5 whose C·KH·KW still matches the rows', () => {
      expect(type([1, 3, 20], [8, 27])).toThrow(RangeError);
      expect(type([1, 3, 20], [8, 27])).toThrow(shapes('\\[1, 3, 20\\]', '\\[8, 27\\]'));
      expect(type([1, 3, 20, 20, 1], [8, 27])).toThrow(shapes('\\[1, 3, 20, 20, 1\\]', '\\[8, 27\\]'));
    });
    it('a weight of rank 1 or 3 whose second extent is still 27', () => {
      expect(type([1, 3, 20, 20], [8, 27, 1])).toThrow(shapes('\\[1, 3, 20, 20\\]', '\\[8, 27, 1\\]'));
      expect(type([1, 3, 20, 20], [27])).toThrow(RangeError);
    });
    it('rows of 26 or 28 (not C·KH·KW)', () => {
      expect(type([1, 3, 20, 20], [8, 26])).toThrow(shapes('\\[1, 3, 20, 20\\]', '\\[8, 26\\]'));
      expect(type([1, 3, 20, 20], [8, 28])).toThrow(shapes('\\[1, 3, 20, 20\\]', '\\[8, 28\\]'));
      // The same rows read as 1×9 over 3 channels do match.
      expect(type([1, 3, 20, 20], [8, 27], { ...attrs, kernel_size: [1, 9] })().shape).toEqual([1, 8, 11, 7]);
    });
    it('int32 data, groups 2, a kernel_size of one value, an empty output', () => {
      expect(type([1, 3, 20, 20], [8, 27], attrs, 'int32')).toThrow(TypeError);
      expect(type([1, 3, 20, 20], [8, 27], attrs, 'int32')).toThrow(/data and weight must be float32, got int32 and float32/);
      expect(type([1, 3, 20, 20], [8, 27], { ...attrs, groups: 2 })).toThrow(/groups must be 1, got 2/);
      expect(type([1, 3, 20, 20], [8, 27], { ...attrs, kernel_size: [9] })).toThrow(/kernel_size must be \[KH, KW\], got \[9\]/);
      expect(type([1, 3, 2, 20], [8, 27], { ...attrs, padding: [0, 0, 0, 0] })).toThrow(/the output \[1, 8, 0, 9\] is empty/);
    });
  });
});
