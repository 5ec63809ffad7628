// tests/ops/conv_gemm_im2col_guards.test.ts — the im2col stage of conv2d_gemm and conv2d_gemm_NCHWc guards exactly
// the sides that pad (as padNCHW does): a row read is checked against 0 only when the top pads and against H only
// when the bottom does, a column read likewise with left and right, and an unpadded convolution reads with no
// if_then_else at all. A guard on a side that cannot be crossed costs a compare per copied element and changes no
// value, so the value tests (conv2d_gemm*.test.ts) cannot see it; the stage's expression can.

import { describe, expect, it } from 'vitest';
import { conv2dGemm } from '../../ops/nn/conv2d_gemm.js';
import { conv2dGemmNCHWc } from '../../ops/nn/conv2d_gemm_nchwc.js';
import { inputTensors, placeholder, type Tensor } from '../../schedule/tensor.js';
import { print } from '../../tir/printer.js';

type Pad = [number, number, number, number];

/** Every padding [top, left, bottom, right] with each side 0 or not (1, 2, 3, 1 where not): 16. */
const PADS: Pad[] = Array.from({ length: 16 }, (_, m) => [1, 2, 3, 1].map((v, s) => ((m >> s) & 1 ? v : 0)) as Pad);

/** The guards the im2col stage of Y puts on its read: 'row>=0', 'row<H', 'col>=0', 'col<W' (H, W the input's). */
function guards(Y: Tensor, row: RegExp, col: RegExp): string[] {
  const im2col = inputTensors(Y.op).map((t) => t.op).filter((op) => op.kind === 'compute');
  expect(im2col).toHaveLength(1);
  const body = print(im2col[0]!.body);
  const m = /^tir\.if_then_else\((.*), X\.at\(/.exec(body);
  if (m === null) {
    expect(body.startsWith('X.at(')).toBe(true);
    return [];
  }
  return m[1]!.split(' && ').map((cond) => {
    const axis = row.test(cond) ? 'row' : col.test(cond) ? 'col' : `? ${cond}`;
    const bound = / >= 0$/.test(cond) ? '>=0' : / < \d+$/.test(cond) ? `<${/ < (\d+)$/.exec(cond)![1]}` : `? ${cond}`;
    return `${axis}${bound}`;
  }).sort();
}

/** The guards a padding needs: a lower bound where the top/left pads, an upper one where the bottom/right does. */
function expected([top, left, bottom, right]: Pad, H: number, W: number): string[] {
  return [top > 0 && 'row>=0', bottom > 0 && `row<${H}`, left > 0 && 'col>=0', right > 0 && `col<${W}`].filter((g): g is string => g !== false).sort();
}

describe('im2col guards only the padded sides', () => {
  it('conv2d_gemm (NCHW): each of the 16 paddings, 3×3 and a 2×5 dilated kernel, strides 1 and 2', () => {
    for (const padding of PADS) {
      for (const [KH, KW, strides, dilation] of [[3, 3, [1, 1], [1, 1]], [2, 5, [2, 1], [1, 2]]] as const) {
        const Y = conv2dGemm(placeholder([1, 3, 9, 11], 'float32', 'X'), placeholder([4, 3 * KH * KW], 'float32', 'W'), { kernelSize: [KH, KW], padding, strides: [...strides], dilation: [...dilation] });
        // The row index is built from p // OW, the column index from p % OW.
        expect(guards(Y, /^p \/\/ /, /^p % /), `padding ${padding} kernel ${KH}×${KW}`).toEqual(expected(padding, 9, 11));
      }
    }
  });

  it('conv2d_gemm_NCHWc: each of the 16 paddings, 3×3 and a 2×5 dilated kernel, strides 1 and 2', () => {
    for (const padding of PADS) {
      for (const [KH, KW, strides, dilation] of [[3, 3, [1, 1], [1, 1]], [2, 5, [2, 1], [1, 2]]] as const) {
        const Y = conv2dGemmNCHWc(placeholder([1, 2, 9, 11, 4], 'float32', 'X'), placeholder([3, 8 * KH * KW, 2], 'float32', 'W'), { kernelSize: [KH, KW], padding, strides: [...strides], dilation: [...dilation] });
        // Y is the product's view; the im2col is the product's input. Rows of A are the image's pixels p = oh·OW + ow
        // (session 17), so the row index is built from p // OW, the column index from p % OW, as conv2d_gemm's.
        const product = inputTensors(Y.op).find((t) => t.op.kind === 'compute')!;
        expect(guards(product, /^p \/\/ /, /^p % /), `padding ${padding} kernel ${KH}×${KW}`).toEqual(expected(padding, 9, 11));
      }
    }
  });
});
