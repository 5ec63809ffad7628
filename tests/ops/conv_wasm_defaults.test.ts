// tests/ops/conv_wasm_defaults.test.ts — the untuned defaults of the wasm convolution templates (which config
// the fallback picks; correctness of those builds is in conv2d_nchwc, conv2d_wasm_schedule, hoist_invariants).

import { describe, expect, it } from 'vitest';
import { nchwcDefaultTile } from '../../ops/templates/conv2d_nchwc_wasm.js';
import { registerAll } from '../../ops/register.js';
import { conv2d } from '../../ops/nn/conv2d.js';
import { scheduleConvWasm } from '../../ops/templates/conv2d_wasm.js';
import { FallbackConfigEntity } from '../../autotune/fallback_config.js';
import * as te from '../../schedule/index.js';

registerAll();

describe('wasm conv template defaults', () => {
  it('conv2d_NCHWc: ≤ 8 accumulator vectors from divisors, a row of up to 8 pixels for prime widths', () => {
    expect(nchwcDefaultTile(28, 28, 8)).toEqual([4, 1]);   // C6: 4 pixels × 2 vectors
    expect(nchwcDefaultTile(14, 14, 8)).toEqual([2, 2]);   // C9: 2×2 pixels × 2 vectors
    expect(nchwcDefaultTile(7, 7, 8)).toEqual([7, 1]);     // C12: no divisor fills the budget
    expect(nchwcDefaultTile(56, 56, 4)).toEqual([8, 1]);   // ocb 4: one vector per pixel
    expect(nchwcDefaultTile(5, 5, 8)).toEqual([5, 1]);
    expect(nchwcDefaultTile(1, 1, 2)).toEqual([1, 1]);
  });

  /** [tile_co, tile_oh, tile_ow inner sizes, auto_unroll_max_step] of the depthwise default. */
  function depthwiseDefault(C: number, H: number, stride: number): unknown[] {
    const X = te.placeholder([1, C, H, H], 'float32', 'X');
    const W = te.placeholder([C, 1, 3, 3], 'float32', 'W');
    const Y = conv2d(X, W, { strides: stride, padding: 1, groups: C });
    const cfg = new FallbackConfigEntity();
    scheduleConvWasm(cfg, te.createSchedule([Y]), Y, [Y]);
    return [...['tile_co', 'tile_oh', 'tile_ow'].map((k) => cfg.getSplit(k).size[1]), cfg.getKnob('auto_unroll_max_step').val];
  }

  it('depthwise stride 1 along the width: one channel × two rows, kernel rows unrolled; stride 2 keeps 4 channels', () => {
    expect(depthwiseDefault(32, 112, 1)).toEqual([1, 2, 8, 64]);
    expect(depthwiseDefault(64, 112, 2)).toEqual([4, 1, 8, 16]);
    expect(depthwiseDefault(1024, 7, 1)).toEqual([8, 1, 7, 64]); // 7 wide: f32x4 along channels, kernel rows unrolled
  });
});
