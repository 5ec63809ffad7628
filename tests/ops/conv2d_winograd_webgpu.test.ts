// tests/ops/conv2d_winograd_webgpu.test.ts — conv2d_winograd.webgpu, F(2×2, 3×3) on WebGPU (lavapipe, never
// skipped): the default and sampled configs, on `webgpu`, on lavapipe's `webgpu -device=llvmpipe` (the products'
// gemm reads in place there: stage_shared false) and on the subgroup target (`-subgroup-size=8`, the products' warp path), with raw [O, C, 3, 3] or host-transformed [16, O, C] weights and a fused bias → relu,
// match a plain-JS convolution on shapes no tile divides (odd H/W, C not a multiple of 4, a 1-pixel image,
// batch 2, asymmetric padding).

import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import type { ConfigEntity } from '../../autotune/space.js';
import { winogradWeightTransform } from '../../ops/nn/conv2d_winograd.js';
import { registerAll } from '../../ops/register.js';
import { jsConv2d, mismatch, runConfig, seeded, type ConvCase } from './reference.js';

const SG = 'webgpu -subgroup-size=8';
/** Lavapipe without subgroups: the products' default and half their space read A and B in place. */
const LAVAPIPE = 'webgpu -device=llvmpipe';
const base = { N: 1, KH: 3, KW: 3, strides: [1, 1], dilation: [1, 1], groups: 1 } as const;
const CASES: readonly ConvCase[] = [
  { ...base, C: 5, H: 7, W: 9, O: 6, padding: [1, 0, 2, 1] },
  { ...base, N: 2, C: 3, H: 6, W: 5, O: 11, padding: [0, 0, 0, 0] },
  { ...base, C: 2, H: 1, W: 1, O: 3, padding: [1, 1, 1, 1] },
  { ...base, C: 12, H: 10, W: 12, O: 20, padding: [1, 1, 1, 1] },
];

interface Run { weights: 'raw' | 'transformed'; epilogue: boolean; target: string }

/** Config `index` (or the default) of conv2d_winograd.webgpu on case c against plain JS; the config's string. */
async function check(c: ConvCase, r: Run, index?: number, where?: (e: ConfigEntity) => boolean): Promise<{ config: string; wgsl: string }> {
  const x = seeded(c.N * c.C * c.H * c.W, 41);
  const w = seeded(c.O * c.C * 9, 42);
  const bias = seeded(c.O, 43);
  const conv = jsConv2d(x, w, c);
  const plane = conv.length / c.N / c.O;
  const want = r.epilogue ? conv.map((v, i) => Math.max(v + bias[Math.floor(i / plane) % c.O]!, 0)) : conv;
  const [wArg, wShape] = r.weights === 'raw' ? [w, [c.O, c.C, 3, 3]] : [winogradWeightTransform(w, [c.O, c.C, 3, 3]), [16, c.O, c.C]];
  const args = [tensorArg([c.N, c.C, c.H, c.W]), tensorArg(wShape), [...c.padding], ...(r.epilogue ? [['bias', 'relu']] : [])];
  const i = index ?? createTask('conv2d_winograd.webgpu', args as never, r.target).defaultConfig!()!.index;
  const got = await runConfig('conv2d_winograd.webgpu', args as never, r.target, i, r.epilogue ? [x, wArg, bias] : [x, wArg], where);
  expect(got.out, `${JSON.stringify(c)} ${got.config}: refused`).toBeDefined();
  const k = mismatch(got.out!, want, 1e-3);
  expect(k, `${JSON.stringify(c)} ${JSON.stringify(r)} ${got.config}: y[${k}] = ${got.out![k]}, expected ${want[k]}`).toBe(-1);
  return { config: got.config, wgsl: got.wgsl ?? '' };
}

describe('conv2d_winograd.webgpu', () => {
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  it('the default on the subgroup target is the products\' warp path (subgroup broadcasts, no workgroup memory) and right', async () => {
    const c = CASES[3]!;
    const task = createTask('conv2d_winograd.webgpu', [tensorArg([1, c.C, c.H, c.W]), tensorArg([16, c.O, c.C]), [...c.padding]] as never, SG);
    expect(task.defaultConfig!()!.getKnob('warp').val).toBe(1);
    // C6 (P = 200 tiles, no multiple of 32): 8 lanes × 5 tiles (a divisor, so no tile overhangs), vec 1.
    const c6 = createTask('conv2d_winograd.webgpu', [tensorArg([1, 128, 28, 28]), tensorArg([16, 128, 128]), [1, 1, 1, 1]] as never, SG).defaultConfig!()!;
    expect([c6.getKnob('warp').val, c6.getKnob('vec').val, c6.getSplit('tile_x').size.slice(1), c6.getSplit('tile_y').size[2]]).toEqual([1, 1, [8, 5], 32]);
    const { wgsl } = await check(c, { weights: 'transformed', epilogue: false, target: SG });
    expect(wgsl).toMatch(/^enable subgroups;/);
    expect(wgsl).toMatch(/subgroup(Broadcast|Shuffle)\(/);
    expect(wgsl).not.toMatch(/var<workgroup>/);
  }, 300_000);

  it('the products\' default on lavapipe (-device=llvmpipe) reads in place; on plain webgpu the space has no stage_shared', () => {
    const args = [tensorArg([1, 8, 14, 14]), tensorArg([16, 8, 8]), [1, 1, 1, 1]];
    const knob = (t: string) => createTask('conv2d_winograd.webgpu', args as never, t).defaultConfig!()!.toData().entity.find((e) => e[0] === 'stage_shared')?.[2];
    expect(knob(LAVAPIPE)).toBe(false);
    expect(knob('webgpu')).toBeUndefined();
  });

  for (const target of ['webgpu', LAVAPIPE, SG]) {
    it(`the default on every case matches plain JS ('${target}'; raw and transformed weights, bias → relu on half)`, async () => {
      for (const [k, c] of CASES.entries()) await check(c, { weights: k % 2 === 0 ? 'raw' : 'transformed', epilogue: k % 2 === 1, target });
    }, 400_000);
  }

  it('sampled configs match plain JS (warp 1 and warp 0 on the subgroup target, in place on lavapipe, and plain webgpu)', async () => {
    const runs: Array<[string, ((e: ConfigEntity) => boolean) | undefined]> = [
      ['webgpu', undefined],
      [LAVAPIPE, (e) => e.getKnob('stage_shared').val === false],
      [SG, (e) => e.getKnob('warp').val === 1],
      [SG, (e) => e.getKnob('warp').val === 0],
    ];
    for (const [k, c] of CASES.entries()) {
      const [target, where] = runs[k % runs.length]!;
      await check(c, { weights: k % 2 === 1 ? 'raw' : 'transformed', epilogue: k % 2 === 0, target }, 7_919 * (k + 1), where);
    }
  }, 400_000);
});
