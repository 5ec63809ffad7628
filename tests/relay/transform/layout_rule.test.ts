// tests/relay/transform/layout_rule.test.ts — gemmConvAuto (relay/transform/layout_rule.ts), AlterOpLayout 'auto''s
// choice of the im2col + gemm conv, on hand-made conv calls, each part changed alone: NCHW takes the gemm conv exactly
// when a stride (either axis) is above 1; packed, when also the weight is a constant whose input channels pack in
// blocks of at least GEMM_NCHWC_MIN_IC_BLOCK (= 4; blocks 8, 4, 2 or 1 by ops' nchwcBlocks: C divisible by 8, else 4,
// else 2). A runtime weight (nothing to pack at build time) keeps conv2d_NCHWc. conv_gemm_rule.test.ts runs the
// rule on models end to end.

import { describe, expect, it } from 'vitest';
import { call, constant, variable, type Attrs, type Call } from '../../../relay/nodes.js';
import { tensorType } from '../../../relay/ty.js';
import { GEMM_NCHWC_MIN_IC_BLOCK, gemmConvAuto } from '../../../relay/transform/layout_rule.js';

/** An nn.conv2d call on data [1, C, 14, 14] and an OIHW 3×3 weight [O, C, 3, 3] (a constant unless `runtimeWeight`). */
function conv(C: number, O: number, strides: readonly number[] | undefined, runtimeWeight = false): Call {
  const x = variable('x', tensorType([1, C, 14, 14]));
  const w = runtimeWeight ? variable('w', tensorType([O, C, 3, 3])) : constant(new Float32Array(O * C * 9), [O, C, 3, 3]);
  const attrs: Attrs = strides === undefined ? { padding: [1, 1, 1, 1] } : { strides: strides as number[], padding: [1, 1, 1, 1] };
  return call('nn.conv2d', [x, w], attrs);
}

describe('gemmConvAuto', () => {
  it('NCHW: the gemm conv when either stride is above 1', () => {
    const table: [readonly number[] | undefined, boolean][] = [
      [[1, 1], false], [[2, 2], true], [[1, 2], true], [[2, 1], true], [[3, 3], true], [[1, 4], true], [undefined, false],
    ];
    for (const [strides, want] of table) {
      expect(gemmConvAuto(conv(8, 16, strides)), `strides ${JSON.stringify(strides)}`).toBe(want);
      // The default of `packed` is NCHW.
      expect(gemmConvAuto(conv(8, 16, strides), false), `strides ${JSON.stringify(strides)}`).toBe(want);
    }
    // `packed` left out is NCHW: a strided conv that the packed rule refuses (block 2, a runtime weight) is taken.
    expect(gemmConvAuto(conv(2, 16, [2, 2]))).toBe(true);
    expect(gemmConvAuto(conv(8, 16, [2, 2], true))).toBe(true);
  });

  it('packed: strided, a constant weight and input-channel blocks of at least 4', () => {
    expect(GEMM_NCHWC_MIN_IC_BLOCK).toBe(4);
    // [C, its block by nchwcBlocks, taken]
    const table: [number, number, boolean][] = [[8, 8, true], [16, 8, true], [4, 4, true], [12, 4, true], [20, 4, true], [2, 2, false], [6, 2, false], [3, 1, false], [5, 1, false]];
    for (const [C, block, want] of table) {
      for (const strides of [[2, 2], [1, 2], [2, 1]]) {
        expect(gemmConvAuto(conv(C, 16, strides), true), `C ${C} (block ${block}) strides ${strides}`).toBe(want);
      }
      // The output channels do not matter.
      expect(gemmConvAuto(conv(C, 3, [2, 2]), true), `C ${C} O 3`).toBe(want);
    }
  });

  it('packed: a runtime weight keeps conv2d_NCHWc, however it would block', () => {
    for (const C of [8, 4, 16]) {
      expect(gemmConvAuto(conv(C, 16, [2, 2], true), true), `C ${C}`).toBe(false);
      // NCHW does not pack the weight: a runtime one is as good there.
      expect(gemmConvAuto(conv(C, 16, [2, 2], true), false), `C ${C} NCHW`).toBe(true);
    }
  });
});
