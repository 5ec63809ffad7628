// tests/relay/transform/layout_rule_1x1.test.ts — gemmConvAuto's unstrided line (relay/transform/layout_rule.ts,
// session 17): a packed conv with stride 1 runs as conv2d_gemm_NCHWc exactly when it is 1×1, its weight a constant
// whose input channels pack in blocks of at least 4, and its output (read from the conv's type, so padding counts)
// has at least GEMM_NCHWC_MIN_1X1_PIXELS = 16 pixels; NCHW never takes an unstrided conv. Typed hand-made calls, one
// part changed at a time; layout_rule.test.ts covers the strided line.

import { describe, expect, it } from 'vitest';
import { call, constant, variable, type Attrs, type Call } from '../../../relay/nodes.js';
import { inferExpr } from '../../../relay/transform/infer_type.js';
import { tensorType } from '../../../relay/ty.js';
import { GEMM_NCHWC_MIN_1X1_PIXELS, gemmConvAuto } from '../../../relay/transform/layout_rule.js';

interface Conv {
  readonly C?: number; readonly H?: number; readonly W?: number; readonly KH?: number; readonly KW?: number;
  readonly pad?: number; readonly strides?: readonly number[] | null; readonly runtimeWeight?: boolean;
}

/** A typed nn.conv2d: data [1, C, H, W], an OIHW weight [16, C, KH, KW] (a constant unless runtimeWeight), pad on every side. */
function conv({ C = 8, H = 14, W = 14, KH = 1, KW = 1, pad = 0, strides = [1, 1], runtimeWeight = false }: Conv): Call {
  const x = variable('x', tensorType([1, C, H, W]));
  const w = runtimeWeight ? variable('w', tensorType([16, C, KH, KW])) : constant(new Float32Array(16 * C * KH * KW), [16, C, KH, KW]);
  const attrs: Attrs = { padding: [pad, pad, pad, pad], ...(strides === null ? {} : { strides: strides as number[] }) };
  return inferExpr(call('nn.conv2d', [x, w], attrs));
}

describe('gemmConvAuto: unstrided packed convs', () => {
  it(`1×1 with at least ${GEMM_NCHWC_MIN_1X1_PIXELS} output pixels (the product of the output's height and width)`, () => {
    expect(GEMM_NCHWC_MIN_1X1_PIXELS).toBe(16);
    // [H, W, taken]: 196, 16 (4 × 4, 2 × 8, 1 × 16) taken; 15 (1 × 15: its sides add to 16, 3 × 5), 9, 1 not.
    const table: [number, number, boolean][] = [[14, 14, true], [4, 4, true], [2, 8, true], [1, 16, true], [16, 1, true], [1, 15, false], [3, 5, false], [3, 3, false], [1, 1, false]];
    for (const [H, W, want] of table) expect(gemmConvAuto(conv({ H, W }), true), `${H} × ${W}`).toBe(want);
    // The output's pixels, not the input's: padding 1 makes a 3 × 3 input a 5 × 5 (25) output, and a 3 × 5 one 5 × 7.
    expect(gemmConvAuto(conv({ H: 3, W: 3, pad: 1 }), true)).toBe(true);
    expect(gemmConvAuto(conv({ H: 3, W: 5, pad: 1 }), true)).toBe(true);
    // No strides attr is stride 1.
    expect(gemmConvAuto(conv({ strides: null }), true)).toBe(true);
    expect(gemmConvAuto(conv({ H: 3, W: 5, strides: null }), true)).toBe(false);
  });

  it('not a 1×1 kernel: never unstrided, whatever the image', () => {
    for (const [KH, KW] of [[3, 3], [1, 3], [3, 1], [1, 2]] as const) {
      expect(gemmConvAuto(conv({ KH, KW, pad: 1, H: 28, W: 28 }), true), `${KH}×${KW}`).toBe(false);
    }
  });

  it('input-channel blocks of at least 4 and a constant weight, as the strided line', () => {
    // [C, its block by nchwcBlocks (8, else 4, else 2, else 1), taken]
    for (const [C, block, want] of [[8, 8, true], [4, 4, true], [12, 4, true], [2, 2, false], [6, 2, false], [3, 1, false]] as const) {
      expect(gemmConvAuto(conv({ C }), true), `C ${C} (block ${block})`).toBe(want);
    }
    expect(gemmConvAuto(conv({ runtimeWeight: true }), true)).toBe(false);
  });

  it('NCHW never takes an unstrided conv, 1×1 or not', () => {
    expect(gemmConvAuto(conv({}), false)).toBe(false);
    expect(gemmConvAuto(conv({}))).toBe(false);
    expect(gemmConvAuto(conv({ KH: 3, KW: 3, pad: 1 }), false)).toBe(false);
  });
});
