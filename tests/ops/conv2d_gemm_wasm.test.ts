// tests/ops/conv2d_gemm_wasm.test.ts — the schedule of conv2d_gemm.wasm (ops/templates/conv2d_gemm_wasm.ts) where
// values cannot show it: with pack_b the im2col is inlined into the pack (the columns gathered straight into the
// panels, no buffer of columns), without it a root stage of its own; and the untuned default (convGemmFallback,
// documented there with its measurements): columns always gathered into panels
// (pack_b on, tile_order 'xy', pack_at 'panel'); panels of 8 pixels when the image has 8 or more (a multiple of 8 split
// evenly, any other count with a last partial panel), the gemm's own divisor of the pixel count under 8; k blocks of
// the largest divisor of K up to 64. The value tests (conv2d_gemm.test.ts) run the default but pass with any config;
// this pins the choice the measurements made.

import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';
import { lower } from '../../schedule/lower.js';
import { print } from '../../tir/printer.js';

/** conv2d_gemm.wasm's task for a C-channel H×W image, O outputs, a 3×3 kernel, stride 1, pad 1. */
const taskFor = (C: number, H: number, W: number, O: number) =>
  createTask('conv2d_gemm.wasm', [tensorArg([1, C, H, W]), tensorArg([O, C, 3, 3]), [1, 1], [1, 1, 1, 1], [1, 1]] as never, 'wasm');

/** The untuned default of conv2d_gemm.wasm for that conv. */
const defaultOf = (C: number, H: number, W: number, O: number) => taskFor(C, H, W, O).defaultConfig!()!;

describe('conv2d_gemm.wasm untuned default', () => {
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  it('packs the columns into panels: pack_b on, tile_order xy, pack_at panel (every size)', () => {
    for (const [C, H, W] of [[3, 8, 8], [3, 7, 7], [3, 2, 3], [64, 3, 3], [128, 14, 14], [3, 1, 1]] as const) {
      const d = defaultOf(C, H, W, 8);
      expect([d.getKnob('pack_b').val, d.getKnob('tile_order').val, d.getKnob('pack_at').val], `${C}×${H}×${W}`).toEqual([true, 'xy', 'panel']);
    }
  });

  it('panels of 8 pixels from 8 pixels up: whole panels for a multiple of 8, a last partial one otherwise', () => {
    for (const [H, W] of [[2, 4], [8, 8], [4, 6], [16, 16]] as const) {
      // P = 8, 64, 24, 256: a multiple of 8 splits evenly.
      const size = defaultOf(3, H, W, 8).getSplit('tile_x').size;
      expect(size, `${H}×${W}`).toEqual([H * W / 8, 8]);
    }
    for (const [H, W] of [[3, 3], [7, 7], [14, 14], [5, 11]] as const) {
      // P = 9, 49, 196, 55: 8 does not divide them; the panel stays 8 (the gemm alone would take a divisor: 4 for 196).
      const size = defaultOf(3, H, W, 8).getSplit('tile_x').size;
      expect(size[1], `${H}×${W}`).toBe(8);
      expect(size[0]! * size[1]!, `${H}×${W}`).toBeGreaterThanOrEqual(H * W);
    }
  });

  it('under 8 pixels keeps the gemm\'s divisor of the pixel count', () => {
    for (const [H, W] of [[1, 1], [2, 3], [1, 5], [1, 7], [2, 2]] as const) {
      const [outer, inner] = defaultOf(3, H, W, 8).getSplit('tile_x').size as [number, number];
      expect(inner, `${H}×${W}`).toBeLessThan(8);
      expect(outer * inner, `${H}×${W}`).toBe(H * W);
    }
  });

  it('k blocks: the largest divisor of K = C·9 up to 64 (AutoTVM fallback_split), all of K when it is smaller', () => {
    // 27, 63: all of K; 576, 1152: 64; 900 = 15·60: 60; 639 = 9·71: 9 (71 is over 64).
    for (const [C, want] of [[3, 27], [7, 63], [64, 64], [128, 64], [100, 60], [71, 9]] as const) {
      const size = defaultOf(C, 8, 8, 8).getSplit('tile_k').size;
      expect(size, `C ${C}`).toEqual([C * 9 / want, want]);
    }
  });

  it('pack_b on: the columns go straight into the panels (no data_im2col buffer); off: data_im2col is a root buffer', () => {
    const task = taskFor(3, 7, 7, 8);
    for (const packB of [true, false]) {
      // Configs spread over the space (a prime step), the first few valid ones with this pack_b.
      let seen = 0;
      for (let i = 0; i < task.space.length && seen < 4; i += 7919) {
        if (!task.space.isIndexValid(i) || task.space.entityAt(i).getKnob('pack_b').val !== packB) continue;
        seen++;
        const { schedule, tensors } = task.instantiate(task.space.entityAt(i));
        const allocs = print(lower(schedule, tensors, { name: 'k' })).split('\n').filter((l) => l.includes('allocate ')).map((l) => l.trim().split(':')[0]);
        const where = `config ${i}: ${allocs.join('; ')}`;
        expect(allocs.includes('allocate data_im2col'), where).toBe(!packB);
        expect(allocs.includes('allocate data_im2col_packed'), where).toBe(packB);
      }
      expect(seen).toBe(4);
    }
  });
});
