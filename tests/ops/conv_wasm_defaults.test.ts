// tests/ops/conv_wasm_defaults.test.ts — the untuned defaults of the wasm convolution templates (which config
// the fallback picks; correctness of those builds is in conv2d_nchwc, conv2d_wasm_schedule, hoist_invariants).

import { describe, expect, it } from 'vitest';
import { NCHWC_DEFAULT_AUTO_UNROLL, nchwcDefaultTile, nchwcDefaultUnrollKW } from '../../ops/templates/conv2d_nchwc_wasm.js';
import { print } from '../../tir/printer.js';
import { registerAll } from '../../ops/register.js';
import { conv2d } from '../../ops/nn/conv2d.js';
import { scheduleConvWasm } from '../../ops/templates/conv2d_wasm.js';
import { FallbackConfigEntity } from '../../autotune/fallback_config.js';
import * as te from '../../schedule/index.js';
import { scheduleAnchor } from '../../ops/anchor.js';
import { conv2dNCHWc, nchwcBlocks, packData, packWeights, unpackOutput } from '../../ops/nn/conv2d_nchwc.js';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { build } from '../../runtime/build.js';
import { array } from '../../runtime/ndarray.js';
import { mismatch, seeded, tfConv2d, type ConvCase } from './reference.js';

registerAll();
setTemplateWarningSink(() => undefined);

describe('wasm conv template defaults', () => {
  it('conv2d_NCHWc: ≤ 8 accumulator vectors from divisors, a power of two with a small tail, else a row', () => {
    expect(nchwcDefaultTile(28, 28, 8)).toEqual([4, 1]);   // C6: 4 pixels × 2 vectors
    expect(nchwcDefaultTile(14, 14, 8)).toEqual([2, 2]);   // C9: 2×2 pixels × 2 vectors
    expect(nchwcDefaultTile(7, 7, 8)).toEqual([4, 1]);     // C12: no divisor fills the budget: 4 + a guarded 3
    expect(nchwcDefaultTile(14, 7, 8)).toEqual([2, 2]);    // divisors fill half (2×1): two rows, a guarded last one
    expect(nchwcDefaultTile(10, 5, 8)).toEqual([2, 1]);    // … unless the tail wastes much (6/5 rows computed)
    expect(nchwcDefaultTile(56, 56, 4)).toEqual([8, 1]);   // ocb 4: one vector per pixel
    expect(nchwcDefaultTile(5, 5, 8)).toEqual([5, 1]);
    expect(nchwcDefaultTile(1, 1, 2)).toEqual([1, 1]);
  });

  it('fallbackSplitSizes takes a tile of the space with a tail, and names a size the space lacks', () => {
    const cfg = new FallbackConfigEntity();
    cfg.defineSplit('tile_ow', 7, { policy: 'verbose', maxFactor: 16 });
    expect(cfg.fallbackSplitSizes('tile_ow', [4]).size).toEqual([2, 4]);
    expect(() => cfg.fallbackSplitSizes('tile_ow', [3])).toThrow(/fallbackSplitSizes 'tile_ow': inner sizes \[3\] are not in its space/);
  });

  /** [tile_co, tile_oh, tile_ow inner sizes, auto_unroll_max_step] of the depthwise default. */
  function depthwiseDefault(C: number, H: number, stride: number, W = H, K = 3): unknown[] {
    const X = te.placeholder([1, C, H, W], 'float32', 'X');
    const Wt = te.placeholder([C, 1, K, K], 'float32', 'W');
    const Y = conv2d(X, Wt, { strides: stride, padding: (K - 1) / 2, groups: C });
    const cfg = new FallbackConfigEntity();
    scheduleConvWasm(cfg, te.createSchedule([Y]), Y, [Y]);
    return [...['tile_co', 'tile_oh', 'tile_ow'].map((k) => cfg.getSplit(k).size[1]), cfg.getKnob('auto_unroll_max_step').val];
  }

  it('depthwise along the width: one channel × two rows; kernel rows unrolled at stride 1 only', () => {
    expect(depthwiseDefault(32, 112, 1)).toEqual([1, 2, 8, 64]);
    expect(depthwiseDefault(64, 112, 2)).toEqual([1, 2, 8, 16]);
    expect(depthwiseDefault(1024, 7, 1)).toEqual([8, 1, 7, 64]); // 7 wide: f32x4 along channels, kernel rows unrolled
  });

  it('depthwise along the width with an odd output height (a one-row tile): kernel rows not unrolled', () => {
    expect(depthwiseDefault(88, 3, 1, 96, 5)).toEqual([1, 1, 8, 16]); // PaddleOCR cls
    expect(depthwiseDefault(32, 15, 1, 40, 5)).toEqual([1, 1, 8, 16]);
    expect(depthwiseDefault(200, 2, 1, 96, 5)).toEqual([1, 2, 8, 64]);
  });

  it('conv2d_NCHWc: the kernel width unrolled only over blocks of ≥ 4 input channels', () => {
    expect(nchwcDefaultUnrollKW(1)).toBe(false); // C1: a 3-channel image packs as blocks of 1
    expect(nchwcDefaultUnrollKW(2)).toBe(false);
    expect(nchwcDefaultUnrollKW(4)).toBe(true);
    expect(nchwcDefaultUnrollKW(8)).toBe(true);
  });

  /** The default schedule of conv2d_NCHWc on C×H×W → O (3×3, pad 1, stride 1), packed data and weights, lowered. */
  function nchwcDefaultTIR(C: number, H: number, W: number, O: number): string {
    const { icBlock, ocBlock } = nchwcBlocks(C, O);
    const X = te.placeholder([1, C / icBlock, H, W, icBlock], 'float32', 'Xp');
    const Wp = te.placeholder([O / ocBlock, C / icBlock, 3, 3, icBlock, ocBlock], 'float32', 'Wp');
    const Yp = conv2dNCHWc(X, Wp, { strides: 1, padding: 1 });
    const s = te.createSchedule([Yp]);
    scheduleAnchor(s, Yp, [Yp], 'wasm');
    return print(te.lower(s, [X, Wp, Yp], { name: 'nchwc_tir' }));
  }

  // A 2-pixel tile × 8 input channels is 16 stores per channel loop: under an auto-unroll limit of 16 it would be
  // unrolled into one straight block, whose loads V8 issues ahead of the arithmetic and spills (half the speed).
  it('conv2d_NCHWc: the default never auto-unrolls the reduction (the input-channel block stays a loop)', () => {
    expect(NCHWC_DEFAULT_AUTO_UNROLL).toBe(0);
    expect(nchwcDefaultTile(2, 1, 8)).toEqual([2, 1]);
    const tir = nchwcDefaultTIR(16, 1, 2, 8);
    expect(tir).toMatch(/for rci in range\(0, 8\)/);
    expect(tir).not.toMatch(/pragma_auto_unroll_max_step/);
  });

  /**
   * Builds conv2d_NCHWc (square kernel c.KH, c's strides and padding) with the template's untuned default on packed
   * data and weights, runs it on seeded inputs and compares with tfjs conv2d.
   */
  async function nchwcDefaultMatchesTfjs(c: ConvCase, seed: number, name: string): Promise<void> {
    const { C, H, W, O, KH: K } = c;
    const { icBlock, ocBlock } = nchwcBlocks(C, O);
    const X = te.placeholder([1, C, H, W], 'float32', 'X');
    const Wp = te.placeholder([O / ocBlock, C / icBlock, K, K, icBlock, ocBlock], 'float32', 'Wp');
    const Yp = conv2dNCHWc(packData(X, icBlock), Wp, { strides: c.strides[0], padding: c.padding[0] });
    const Y = unpackOutput(Yp);
    const s = te.createSchedule([Y]);
    scheduleAnchor(s, Yp, [Y], 'wasm');
    const x = seeded(C * H * W, seed);
    const w = seeded(O * C * K * K, seed + 1);
    const want = tfConv2d(x, w, c);
    const mod = await build(te.lower(s, [X, Wp, Y], { name }), 'wasm');
    const arrs = [array(x, [1, C, H, W]), array(packWeights(w, [O, C, K, K], icBlock, ocBlock), [...Wp.dims]), array(new Float32Array(want.length), [...Y.dims])];
    await mod.run(...arrs);
    expect(mismatch(arrs[2]!.toArray() as Float32Array, want)).toBe(-1);
    arrs.forEach((a) => a.free());
    mod.dispose();
  }

  // A first layer's default (blocks of 1 input channel, the 7-wide window a loop), stride 2 and a guarded tail.
  it('conv2d_NCHWc default on a 3-channel 17×15 image, 7×7 stride 2 pad 3 → 8 (C1-like) matches tfjs', async () => {
    const [C, H, W, O] = [3, 17, 15, 8];
    const c: ConvCase = { N: 1, C, H, W, O, KH: 7, KW: 7, strides: [2, 2], padding: [3, 3, 3, 3], dilation: [1, 1], groups: 1 };
    expect(nchwcBlocks(C, O).icBlock).toBe(1);
    await nchwcDefaultMatchesTfjs(c, 7, 'nchwc_default_c1');
  });

  // The default tiles that leave a guarded tail (7 = 4 + 3 columns, or 7 = 2 + 2 + 2 + 1 rows of a 14×7 output), use
  // two rows (14²) or two pixels (2×1, the input-channel block a loop); stride 2 on an odd width with blocks of 4
  // input channels (12 = 3 × 4).
  for (const [H, W, C, O, st] of [[7, 7, 16, 16, 1], [14, 14, 8, 8, 1], [7, 11, 8, 16, 1], [5, 5, 8, 8, 1], [7, 14, 16, 8, 1], [1, 2, 16, 8, 1], [9, 15, 12, 16, 2]] as const) {
    it(`conv2d_NCHWc default on ${C}×${H}×${W} → ${O} (3×3, pad 1, stride ${st}) matches tfjs`, async () => {
      const c: ConvCase = { N: 1, C, H, W, O, KH: 3, KW: 3, strides: [st, st], padding: [1, 1, 1, 1], dilation: [1, 1], groups: 1 };
      await nchwcDefaultMatchesTfjs(c, 5, 'nchwc_default');
    });
  }
});
