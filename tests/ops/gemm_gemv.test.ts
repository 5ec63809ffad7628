// tests/ops/gemm_gemv.test.ts — the wasm gemm template's untuned GEMV default (vec_k, `gemvTile`): about 4 f32x4
// accumulators (tile_x the largest divisor of N up to 4, the lanes of k the rest), and that default computing the
// right product against plain JS on shapes no tile divides (N prime, odd, 2·odd; K not a multiple of 4, 8 or 16),
// M = 1 and a few rows, for the plain and the prepacked dense task, on 1, 2 and 3 threads with every parallel loop
// sent to the workers.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTemplate, setTemplateWarningSink } from '../../autotune/apply_template.js';
import { tensorArg } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';
import { gemvTile } from '../../ops/templates/gemm_wasm.js';
import { build } from '../../runtime/build.js';
import { array } from '../../runtime/ndarray.js';
import { ALWAYS_PARALLEL, setParallelCostModel } from '../../runtime/parallel_cost.js';
import { lower } from '../../schedule/lower.js';
import { productRef, seededValues } from '../reference/plain_js.js';

let savedModel: ReturnType<typeof setParallelCostModel>;
let savedSink: ReturnType<typeof setTemplateWarningSink>;
beforeAll(() => {
  registerAll();
  savedModel = setParallelCostModel(ALWAYS_PARALLEL);
  savedSink = setTemplateWarningSink(() => undefined);
});
afterAll(() => {
  setParallelCostModel(savedModel);
  setTemplateWarningSink(savedSink);
});

/** The untuned config of dense [M, K]·[N, K]ᵀ on `target` (the fallback: no record has these shapes). */
function fallback(task: 'dense.wasm' | 'dense_prepacked.wasm', M: number, K: number, N: number, target = 'wasm -threads=1') {
  const applied = applyTemplate(task, [tensorArg([M, K]), tensorArg([N, K])], target);
  expect(applied.source).toBe('fallback');
  return applied;
}

describe('dense GEMV default (vec_k) on wasm', () => {
  it('takes about 4 accumulators: tile_x the largest divisor of N up to 4, tile_k the rest (a divisor of K)', () => {
    expect(gemvTile(1000)).toEqual([4, 4]);
    expect(gemvTile(1002)).toEqual([3, 4]);
    expect(gemvTile(46)).toEqual([2, 8]);
    expect(gemvTile(29)).toEqual([1, 16]);
    const tiles = (M: number, K: number, N: number): number[] => {
      const c = fallback('dense.wasm', M, K, N).config;
      expect(c.getKnob('vec_k').val).toBe(true);
      expect(c.getSplit('tile_y').size[1]).toBe(1);
      return [c.getSplit('tile_x').size[1]!, c.getSplit('tile_k').size[1]!];
    };
    expect(tiles(1, 1024, 1000)).toEqual([4, 4]); // DENSE-fc: 4 rows of W, 4 lanes of k
    expect(tiles(1, 1024, 1001)).toEqual([1, 16]); // 7·11·13: one row, 16 lanes
    expect(tiles(1, 1024, 1002)).toEqual([3, 4]);
    expect(tiles(1, 1024, 46)).toEqual([2, 8]);
    expect(tiles(1, 37, 29)).toEqual([1, 1]); // K prime: the largest divisor of K within 16
    expect(tiles(3, 52, 46)).toEqual([2, 4]); // 52 = 4·13: 4 lanes within 8
    expect(fallback('dense_prepacked.wasm', 1, 1024, 1000).config.getSplit('tile_x').size[1]).toBe(4); // same space, same default
  });

  const SHAPES: readonly (readonly [number, number, number])[] = [[1, 37, 29], [1, 52, 46], [1, 100, 30], [1, 1024, 1000], [3, 52, 46], [2, 70, 13]];
  for (const threads of [1, 2, 3]) {
    const target = `wasm -threads=${threads}`;
    it(`computes the product on ${target} (plain and prepacked task), against plain JS`, async () => {
      for (const task of ['dense.wasm', 'dense_prepacked.wasm'] as const) {
        for (const [M, K, N] of SHAPES) {
          const { config, task: t } = fallback(task, M, K, N, target);
          const { schedule, tensors } = t.instantiate(t.space.entityFromData(config.toData()));
          const mod = await build(lower(schedule, tensors, { name: 'gemv' }), target);
          const xv = seededValues(M * K, K + threads);
          const wv = seededValues(N * K, N);
          const x = array(xv, [M, K]);
          const w = array(wv, [N, K]);
          const y = array(new Float32Array(M * N).fill(Number.NaN), [M, N]);
          try {
            await mod.run(x, w, y);
            const got = y.toArray();
            const want = productRef(xv, wv, M, K, N, 'nk');
            const bad = want.findIndex((v, i) => !(Math.abs(got[i]! - v) <= 1e-4 + 1e-4 * Math.abs(v)));
            expect(bad, `${task} ${M}×${K}·${N}ᵀ on ${target}: Y[${bad}] = ${got[bad]}, expected ${want[bad]}`).toBe(-1);
          } finally {
            x.free(); w.free(); y.free();
            mod.dispose();
          }
        }
      }
    }, 120_000);
  }
});
