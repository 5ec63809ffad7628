// tests/relay/op/conv2d_gemm_nchwc_type.test.ts — the type relation of nn.contrib_conv2d_gemm_NCHWc (relay/op/
// conv2d_gemm.ts, the packed form): data [N, C/icb, H, W, icb] and a weight [O/ocb, C·KH·KW, ocb] give
// [N, O/ocb, OH, OW, ocb], OH and OW the textbook size, over strides, pads, dilations and odd sizes; each bad input,
// one part changed at a time from a good one, is the op's own error with the packed layouts it needs (not the NCHW
// form's). conv2d_gemm_type.test.ts does the same for the NCHW op.

import { describe, expect, it } from 'vitest';
import { GEMM_CONV_NCHWC } from '../../../relay/op/conv2d_gemm.js';
import { opDef } from '../../../relay/op/registry.js';
import { tensorType } from '../../../relay/ty.js';

const gemm = opDef(GEMM_CONV_NCHWC);

/** The conv output size by the textbook formula: ⌊(H + pads − d·(K − 1) − 1) / s⌋ + 1. */
const outSize = (h: number, k: number, s: number, p0: number, p1: number, d: number): number => Math.floor((h + p0 + p1 - d * (k - 1) - 1) / s) + 1;

describe(`${GEMM_CONV_NCHWC} type`, () => {
  it('is [N, O/ocb, OH, OW, ocb] with the textbook OH, OW, for blocks, strides, pads, dilations and odd sizes', () => {
    const cases = [
      // [N, C, H, W, O, KH, KW, icb, ocb, strides, padding, dilation]
      [1, 16, 20, 70, 8, 3, 3, 8, 8, [2, 2], [1, 1, 1, 1], [1, 1]],
      [2, 6, 17, 13, 12, 5, 3, 2, 4, [3, 2], [2, 0, 1, 1], [1, 2]],
      [1, 3, 9, 31, 5, 1, 7, 1, 1, [1, 4], [0, 3, 0, 2], [2, 1]],
    ] as const;
    for (const [N, C, H, W, O, KH, KW, icb, ocb, strides, padding, dilation] of cases) {
      const attrs = { strides: [...strides], padding: [...padding], dilation: [...dilation], kernel_size: [KH, KW] };
      const got = gemm.inferType([tensorType([N, C / icb, H, W, icb]), tensorType([O / ocb, C * KH * KW, ocb])], attrs);
      const want = [N, O / ocb, outSize(H, KH, strides[0], padding[0], padding[2], dilation[0]), outSize(W, KW, strides[1], padding[1], padding[3], dilation[1]), ocb];
      expect(got.shape, `${[N, C, H, W]} kernel ${KH}×${KW} icb ${icb} ocb ${ocb}`).toEqual(want);
      expect(got.dtype).toBe('float32');
    }
  });

  describe('bad inputs, one part changed from data [1, 2, 20, 20, 4] and weight [3, 72, 2] for a 3×3 kernel', () => {
    const attrs = { strides: [2, 2], padding: [1, 1, 1, 1], dilation: [1, 1], kernel_size: [3, 3] };
    const type = (x: readonly number[], w: readonly number[], a: Record<string, unknown> = attrs) =>
      () => gemm.inferType([tensorType(x), tensorType(w)], a as typeof attrs);
    const shapes = (k: number, x: string, w: string): RegExp => new RegExp(
      `^${GEMM_CONV_NCHWC.replace(/\./g, '\\.')}: needs data \\[N, C/icb, H, W, icb\\] and a weight \\[O/ocb, C·KH·KW, ocb\\] with C·KH·KW = ${k} for kernel 3×3, got ${x} and ${w}$`);

    it('the good one types', () => {
      expect(type([1, 2, 20, 20, 4], [3, 72, 2])().shape).toEqual([1, 3, 10, 10, 2]);
    });
    it('NCHW data or a 2-D weight (the unpacked op\'s ranks)', () => {
      expect(type([1, 8, 20, 20], [3, 72, 2])).toThrow(RangeError);
      expect(type([1, 8, 20, 20], [3, 72, 2])).toThrow(shapes(72, '\\[1, 8, 20, 20\\]', '\\[3, 72, 2\\]'));
      expect(type([1, 2, 20, 20, 4], [6, 72])).toThrow(shapes(72, '\\[1, 2, 20, 20, 4\\]', '\\[6, 72\\]'));
    });
    it('rows that are not C·KH·KW = (C/icb)·icb·9', () => {
      expect(type([1, 2, 20, 20, 4], [3, 71, 2])).toThrow(shapes(72, '\\[1, 2, 20, 20, 4\\]', '\\[3, 71, 2\\]'));
      expect(type([1, 2, 20, 20, 3], [3, 72, 2])).toThrow(shapes(54, '\\[1, 2, 20, 20, 3\\]', '\\[3, 72, 2\\]'));
    });
  });
});
