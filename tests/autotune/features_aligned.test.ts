// tests/autotune/features_aligned.test.ts — keyed itervar features (FeatureLayout): configs of one template
// whose loop count or loop order differ (pad_inline adds or removes the padding stage's loops, reorder_r
// moves the reduction loops) put the same loop's features in the same columns; AutoTVM's flatten order
// ('itervar-flat') does not. The reference is the template's own arithmetic: extents 3 (ry) and 5 (rx).

import { describe, expect, it } from 'vitest';
import { createTask, tensorArg } from '../../autotune/task.js';
import { configFeatures, FeatureLayout, itervarFeatureGroups, LOOP_FEATURES } from '../../autotune/features.js';
import { defaultFeatureLower } from '../../autotune/model_based_tuner.js';
import { XGBoostCostModel } from '../../autotune/xgb_cost_model.js';
import { registerAll } from '../../ops/register.js';

registerAll();
// 3×5 kernel: ry and rx have different extents, so a column's value tells which loop it holds.
const task = createTask('conv2d_nchw.wasm', [tensorArg([1, 8, 9, 11]), tensorArg([4, 8, 3, 5]), [1, 1], [1, 2, 1, 2], [1, 1], 1], 'wasm');
const log2p1 = (x: number): number => Math.log2(x + 1);

/** The first valid config with these knob values. */
function find(want: Record<string, unknown>): number {
  for (let i = 0; i < task.space.length; i++) {
    if (!task.space.isIndexValid(i)) continue;
    const c = task.space.get(i);
    if (Object.entries(want).every(([k, v]) => c.getKnob(k).val === v)) {
      try { task.instantiate(c); return i; } catch { /* next */ }
    }
  }
  throw new Error(`no config with ${JSON.stringify(want)}`);
}

describe('aligned itervar features', () => {
  const a = find({ pad_inline: false, reorder_r: 0 });
  const b = find({ pad_inline: true, reorder_r: 1 });

  it('the two configs differ in loop count (the case zero-padding misaligns)', () => {
    const ga = itervarFeatureGroups(defaultFeatureLower(task.instantiate(task.space.get(a))));
    const gb = itervarFeatureGroups(defaultFeatureLower(task.instantiate(task.space.get(b))));
    const loops = (g: [string, number[]][]): number => g.filter(([k]) => !k.includes('|')).length;
    expect(loops(ga)).toBeGreaterThan(loops(gb));
    // The flat (AutoTVM) layout puts ry's extent at different positions in the two configs.
    const fa = configFeatures(task, task.space.get(a), 'itervar-flat', defaultFeatureLower);
    const fb = configFeatures(task, task.space.get(b), 'itervar-flat', defaultFeatureLower);
    expect(fa.length).not.toBe(fb.length);
  });

  it('puts the same loop in the same columns in both configs, whichever comes first', () => {
    for (const order of [[a, b], [b, a]]) {
      const layout = new FeatureLayout();
      const rows = order.map((i) => configFeatures(task, task.space.get(i), 'itervar', defaultFeatureLower, layout));
      const ry = layout.columnOf('conv2d_nchw_local/ry')!;
      const rx = layout.columnOf('conv2d_nchw_local/rx')!;
      expect(ry).toBeDefined();
      expect(rx).toBeDefined();
      for (const row of rows) {
        expect(row[ry]).toBeCloseTo(log2p1(3), 6); // extent of ry
        expect(row[rx]).toBeCloseTo(log2p1(5), 6); // extent of rx
        // serial ry, unrolled or serial rx: exactly one loop-kind bit set per loop
        expect(row.slice(ry + 4, ry + LOOP_FEATURES - 3).filter((v) => v !== 0)).toHaveLength(1);
      }
      // The padding stage's loops exist only with pad_inline false: their columns are zero in the other row.
      const padN = layout.columnOf('data_pad/n')!;
      expect(padN).toBeDefined();
      const [withPad, noPad] = order[0] === a ? rows : [rows[1]!, rows[0]!];
      expect(withPad![padN]).toBeGreaterThan(0);
      expect(noPad![padN] ?? 0).toBe(0);
      // The padded buffer's reads under ry vs the input's reads: separate columns.
      expect(layout.columnOf('conv2d_nchw_local/ry|data_pad')).toBeDefined();
      expect(layout.columnOf('conv2d_nchw_local/ry|p0')).toBeDefined(); // p0: the input, read directly when padding is inlined
    }
  });

  it('the cost model widens to the longest aligned row, zero-padding the shorter ones', async () => {
    const layout = new FeatureLayout();
    const model = new XGBoostCostModel({
      features: (i) => configFeatures(task, task.space.get(i), 'itervar', defaultFeatureLower, layout), aligned: true,
    }, { maxRounds: 5 });
    const first = model.features([b]); // fewer loops first
    const both = model.features([b, a]);
    const len = both.length / 2;
    expect(len).toBe(layout.length);
    expect(len).toBeGreaterThan(first.length);
    // b's row is unchanged in its columns, zero in the new ones.
    expect(Array.from(both.subarray(0, first.length))).toEqual(Array.from(first));
    expect(Array.from(both.subarray(first.length, len)).every((v) => v === 0)).toBe(true);
  });
});
