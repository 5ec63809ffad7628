// tests/ops/conv2d_winograd_vec.test.ts — F(2×2, 3×3)'s transforms vectorized as F(4×4)'s (session 18): the knob
// `vec_transform` of conv2d_winograd.wasm is its last (so configs of the space before it keep their indices, as
// 'none') and F(4×4)'s task lacks it; sampled configs of each value match a float64 direct conv on shapes no 2×2
// tile divides (odd H, W, odd C, 1×1 and 2×2 images, batch 2, asymmetric padding), with the weights raw or
// transformed on the host and the fused bias → relu → residual add. Tolerance 1e-6·Σ|x·w| + 1e-6·|ref| + 1e-6
// (F(2×2) measured ≤ 1.2e-7·Σ|x·w|, bench/winograd_accuracy.ts).

import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { Rng } from '../../autotune/rng.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';
import { VEC_TRANSFORM } from '../../ops/templates/conv2d_winograd_wasm.js';
import { runConfig } from './reference.js';
import { offBy, ODD_CASES, winogradCaseRun } from './winograd_reference.js';

describe('conv2d_winograd.wasm vec_transform: F(2×2) transforms vectorized along tiles', () => {
  const rng = new Rng(18);
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  it("is F(2×2)'s last knob, 'none' first (older configs keep their indices), absent from F(4×4)'s task", () => {
    const args = [tensorArg([1, 5, 7, 9]), tensorArg([16, 6, 5]), [1, 0, 2, 1]];
    const task = createTask('conv2d_winograd.wasm', args as never, 'wasm');
    expect(VEC_TRANSFORM).toEqual(['none', 'input', 'output', 'both']);
    expect(task.space.knobNames.at(-1)).toBe('vec_transform');
    expect(task.space.knobNames.at(-2)).toBe('unroll_transform');
    const older = task.space.length / VEC_TRANSFORM.length;
    for (const i of [0, 1, older - 1, rng.int(older)]) expect(task.space.entityAt(i).getKnob('vec_transform').val).toBe('none');
    expect(task.space.entityAt(older).getKnob('vec_transform').val).toBe('input');
    const m4 = createTask('conv2d_winograd_m4.wasm', [tensorArg([1, 5, 7, 9]), tensorArg([36, 6, 5]), [1, 0, 2, 1]] as never, 'wasm');
    expect(m4.space.knobNames).not.toContain('vec_transform');
    expect(m4.space.knobNames).toEqual(task.space.knobNames.slice(0, -1));
    // The untuned default vectorizes both transforms (measured faster, bench/results/wino18-s18.md).
    expect(task.defaultConfig!()!.getKnob('vec_transform').val).toBe('both');
  });

  /** Per case a sampled config whose vec_transform is `mode`, against the float64 direct conv (host weights and the epilogue on alternate cases). */
  async function casesMatch(mode: string, hostOn: 0 | 1, epilogueOn: 0 | 1): Promise<void> {
    let ran = 0;
    for (const [k, c] of ODD_CASES.entries()) {
      const seed = rng.int(1 << 30);
      const { args, inputs, want, scale, host } = winogradCaseRun(c, k, seed, 2, hostOn, epilogueOn);
      const r = await runConfig('conv2d_winograd.wasm', args as never, 'wasm', seed, inputs,
        (e) => e.getKnob('vec_transform').val === mode);
      if (!r.out) continue;
      ran++;
      const i = offBy(r.out, want, scale, 1e-6);
      expect(i, `${JSON.stringify(c)} ${host ? 'host' : 'raw'} weights, config ${r.config}: y[${i}] = ${r.out[i]}, expected ${want[i]}`).toBe(-1);
    }
    expect(ran).toBe(ODD_CASES.length);
  }

  for (const [k, mode] of (['input', 'output', 'both'] as const).entries()) {
    it(`vec_transform '${mode}': a sampled config per case matches a float64 direct conv`, async () => {
      await casesMatch(mode, (k % 2) as 0 | 1, ((k + 1) % 2) as 0 | 1);
    }, 300_000);
  }
});
