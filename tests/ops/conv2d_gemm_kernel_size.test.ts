// tests/ops/conv2d_gemm_kernel_size.test.ts — conv2dGemm and conv2dGemmNCHWc take the kernel size their 2-D / 3-D
// weight views hide as opts.kernelSize: exactly two positive integers. Each bad form alone — missing, a number, one
// value, three, a zero, a negative, a fraction, a string, NaN — is refused with the op's message and the value as
// given (not a crash in the compute, nor a row-length error about a kernel that was never given); and the good forms
// (1×1, 3×3, 5×3, 1×7) build, with the compute's rows C·KH·KW.

import { describe, expect, it } from 'vitest';
import { conv2dGemm } from '../../ops/nn/conv2d_gemm.js';
import { conv2dGemmNCHWc } from '../../ops/nn/conv2d_gemm_nchwc.js';
import { placeholder } from '../../schedule/tensor.js';

const BAD: readonly unknown[] = [undefined, 3, [3], [3, 3, 3], [0, 3], [3, 0], [-1, 3], [3, 1.5], ['3', 3], [3, Number.NaN], []];

describe('kernelSize', () => {
  it('conv2dGemm: each bad form alone is the op\'s error with the value', () => {
    const X = placeholder([1, 4, 8, 8], 'float32', 'X');
    const W = placeholder([6, 36], 'float32', 'W');
    for (const ks of BAD) {
      expect(() => conv2dGemm(X, W, { kernelSize: ks as never }), JSON.stringify(ks) ?? 'undefined').toThrow(RangeError);
      expect(() => conv2dGemm(X, W, { kernelSize: ks as never })).toThrow(`conv2dGemm: kernelSize must be [KH, KW], positive integers, got ${JSON.stringify(ks)}`);
    }
  });

  it('conv2dGemmNCHWc: each bad form alone is the op\'s error with the value', () => {
    const Xp = placeholder([1, 2, 8, 8, 4], 'float32', 'X');
    const Wp = placeholder([3, 72, 2], 'float32', 'W');
    for (const ks of BAD) {
      expect(() => conv2dGemmNCHWc(Xp, Wp, { kernelSize: ks as never }), JSON.stringify(ks) ?? 'undefined').toThrow(RangeError);
      expect(() => conv2dGemmNCHWc(Xp, Wp, { kernelSize: ks as never })).toThrow(`conv2dGemmNCHWc: kernelSize must be [KH, KW], positive integers, got ${JSON.stringify(ks)}`);
    }
  });

  it('the good forms build: 1×1, 3×3, 5×3, 1×7 (rows C·KH·KW; output by the textbook size)', () => {
    for (const [KH, KW] of [[1, 1], [3, 3], [5, 3], [1, 7]] as const) {
      const Y = conv2dGemm(placeholder([1, 4, 9, 9], 'float32', 'X'), placeholder([6, 4 * KH * KW], 'float32', 'W'), { kernelSize: [KH, KW] });
      expect(Y.dims, `${KH}×${KW}`).toEqual([1, 6, (9 - KH + 1) * (9 - KW + 1)]);
      const Yp = conv2dGemmNCHWc(placeholder([1, 2, 9, 9, 4], 'float32', 'X'), placeholder([3, 8 * KH * KW, 2], 'float32', 'W'), { kernelSize: [KH, KW] });
      expect(Yp.dims, `${KH}×${KW} NCHWc`).toEqual([1, 3, 9 - KH + 1, 9 - KW + 1, 2]);
    }
  });
});
