// tests/ops/conv2d_gemm_nchwc_wasm.test.ts — the schedule of conv2d_gemm_NCHWc.wasm (ops/templates/
// conv2d_gemm_nchwc_wasm.ts) where values cannot show it: im2col_at 'row' copies one output row's columns into a local
// buffer inside the parallel loop over output rows, 'root' into a buffer of the whole image before it; and the untuned
// default (convGemmNCHWcFallback, measured there): the whole oc block as the x tile, row tiles of 4 pixels (all of OW
// under 4 or where 4 divides it, else 4 with a partial last tile), k blocks of the largest divisor of K up to 64, the
// im2col per output row. The value tests (conv2d_gemm_nchwc.test.ts) pass with any of these.

import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';
import { lower } from '../../schedule/lower.js';
import { print } from '../../tir/printer.js';

/** conv2d_gemm_NCHWc.wasm's task: data [1, C/icb, 5, OW, icb], a 3×3 weight packed [O/ocb, C/icb, 3, 3, icb, ocb], pad 1. */
const taskFor = (C: number, icb: number, OW: number, O: number, ocb: number) => createTask('conv2d_gemm_NCHWc.wasm', [
  tensorArg([1, C / icb, 5, OW, icb]), tensorArg([O / ocb, C / icb, 3, 3, icb, ocb]), [1, 1], [1, 1, 1, 1], [1, 1],
] as never, 'wasm');

describe('conv2d_gemm_NCHWc.wasm', () => {
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  it('untuned default: x tile = the oc block, im2col per output row', () => {
    for (const ocb of [1, 2, 4, 8]) {
      const d = taskFor(8, 4, 7, 16, ocb).defaultConfig!()!;
      expect(d.getSplit('tile_x').size, `ocb ${ocb}`).toEqual([1, ocb]);
      expect(d.getKnob('im2col_at').val).toBe('row');
    }
  });

  it('untuned default: row tiles of 4 pixels; all of OW under 4 or where 4 divides it, else a partial last tile', () => {
    const want: [number, number[]][] = [[1, [1, 1]], [2, [1, 2]], [3, [1, 3]], [4, [1, 4]], [8, [2, 4]], [12, [3, 4]], [5, [2, 4]], [7, [2, 4]], [13, [4, 4]], [6, [2, 4]]];
    for (const [OW, size] of want) expect(taskFor(8, 4, OW, 8, 4).defaultConfig!()!.getSplit('tile_y').size, `OW ${OW}`).toEqual(size);
  });

  it('untuned default: k blocks of the largest divisor of K = C·9 up to 64', () => {
    // K = 72 → 36; 144 → 48; 576 → 64; 36 → 36.
    for (const [C, want] of [[8, 36], [16, 48], [64, 64], [4, 36]] as const) {
      expect(taskFor(C, 4, 7, 8, 4).defaultConfig!()!.getSplit('tile_k').size, `C ${C}`).toEqual([C * 9 / want, want]);
    }
  });

  it("im2col_at 'row': a local buffer of one row inside the parallel loop; 'root': the image's buffer before it", () => {
    const task = taskFor(8, 4, 7, 16, 4);
    for (const at of ['row', 'root']) {
      let seen = 0;
      for (let i = 0; i < task.space.length && seen < 3; i += 613) {
        const e = task.space.entityAt(i);
        // The parallel knob on, so the loop the rows are placed against is there.
        if (!task.space.isIndexValid(i) || e.getKnob('im2col_at').val !== at || e.getKnob('parallel').val !== true) continue;
        seen++;
        const { schedule, tensors } = task.instantiate(e);
        const lines = print(lower(schedule, tensors, { name: 'k' })).split('\n');
        const alloc = lines.findIndex((l) => l.trim().startsWith('allocate data_im2col:'));
        const firstParallel = lines.findIndex((l) => l.includes('# parallel'));
        expect(alloc, `config ${i}`).toBeGreaterThanOrEqual(0);
        expect(firstParallel, `config ${i}`).toBeGreaterThanOrEqual(0);
        // A row: 7 pixels × K = 72 (8 channels × 9 taps) = 504 values, local; the image: 5 rows of them.
        if (at === 'row') {
          expect(lines[alloc]!.trim(), `config ${i}`).toBe('allocate data_im2col: float32[504], scope="local"');
          expect(alloc, `config ${i}`).toBeGreaterThan(firstParallel);
        } else {
          expect(lines[alloc]!.trim(), `config ${i}`).toBe('allocate data_im2col: float32[2520]');
          expect(alloc, `config ${i}`).toBeLessThan(firstParallel);
        }
      }
      expect(seen, at).toBe(3);
    }
  });

  it('its knobs are the gemm\'s without pack_b (the weight is already panels), im2col_at last', () => {
    const d = taskFor(8, 4, 7, 16, 4).defaultConfig!()!;
    expect(d.toData().entity.map(([name]) => name)).toEqual(['tile_y', 'tile_x', 'tile_k', 'reorder', 'vectorize', 'auto_unroll_max_step', 'unroll_y', 'parallel', 'im2col_at']);
  });
});
