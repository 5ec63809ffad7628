// tests/ops/conv2d_webgpu_subgroups.test.ts — conv2d_nchw.webgpu on a target with subgroups
// (`webgpu -subgroup-size=8`, lavapipe's fixed size): knob `warp` = 1 (lanes on output channels, the input
// patch in warp memory read by subgroupBroadcast/subgroupShuffle) exists only there and only for
// ungrouped convs; sampled warp 1 configs match a plain-JS convolution on odd shapes, and the default uses it.

import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';
import { jsConv2d, mismatch, runConfig, seeded, type ConvCase } from './reference.js';

const SG = 'webgpu -subgroup-size=8';
const base = { N: 1, strides: [1, 1], padding: [1, 1, 1, 1], dilation: [1, 1], groups: 1, KH: 3, KW: 3 } as const;
const args = (c: ConvCase) => [tensorArg([c.N, c.C, c.H, c.W]), tensorArg([c.O, c.C / c.groups, c.KH, c.KW]), [...c.strides], [...c.padding], [...c.dilation], c.groups];

async function check(c: ConvCase, index: number, where?: (e: import('../../autotune/space.js').ConfigEntity) => boolean): Promise<string> {
  const x = seeded(c.N * c.C * c.H * c.W, 21);
  const w = seeded(c.O * (c.C / c.groups) * c.KH * c.KW, 22);
  const r = await runConfig('conv2d_nchw.webgpu', args(c) as never, SG, index, [x, w], where);
  expect(r.out, `${JSON.stringify(c)} ${r.config}: refused`).toBeDefined();
  const want = jsConv2d(x, w, c);
  const i = mismatch(r.out!, want);
  expect(i, `${JSON.stringify(c)} ${r.config}: y[${i}] = ${r.out![i]}, expected ${want[i]}`).toBe(-1);
  return r.wgsl ?? '';
}

describe('conv2d_nchw.webgpu with subgroups (warp memory)', () => {
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  it('the default is warp 1 (8 lanes on channels, no workgroup memory, subgroup shuffles) and right; grouped convs have no warp', async () => {
    const c: ConvCase = { ...base, C: 12, H: 14, W: 12, O: 64 };
    const task = createTask('conv2d_nchw.webgpu', args(c) as never, SG);
    const d = task.defaultConfig!()!;
    expect(d.getKnob('warp').val).toBe(1);
    expect(task.space.isIndexValid(d.index)).toBe(true);
    const wgsl = await check(c, d.index);
    expect(wgsl).toMatch(/^enable subgroups;/);
    // A 7×2-pixel tile's patch (9×4 per input channel) is no multiple of 8 lanes: its lanes are computed (shuffles).
    expect(wgsl).toMatch(/subgroup(Broadcast|Shuffle)\(/);
    expect(wgsl).not.toMatch(/var<workgroup>|workgroupBarrier/);
    const grouped = createTask('conv2d_nchw.webgpu', args({ ...c, groups: 4 }) as never, SG);
    expect(grouped.defaultConfig!()!.getKnob('warp').val).toBe(0);
    expect(createTask('conv2d_nchw.webgpu', args(c) as never, 'webgpu').defaultConfig!()!.toData().entity.map((e) => e[0])).not.toContain('warp');
  }, 120_000);

  // Odd shapes: O not a multiple of the lanes' channels (a lane-dependent guard the pass hoists reads out of),
  // stride 2, asymmetric padding, dilation 2, C not a multiple of 4, a 1-pixel image, batch 2.
  const cases: ConvCase[] = [
    { ...base, C: 5, H: 9, W: 11, O: 13 },
    { ...base, C: 6, H: 10, W: 9, O: 20, strides: [2, 2], padding: [0, 1, 2, 1] },
    { ...base, C: 3, H: 12, W: 12, O: 16, dilation: [2, 2], padding: [2, 2, 2, 2] },
    { ...base, N: 2, C: 7, H: 1, W: 1, O: 9, KH: 1, KW: 1, padding: [0, 0, 0, 0] },
  ];
  for (const [k, c] of cases.entries()) {
    it(`sampled warp 1 configs match plain JS on ${JSON.stringify(c)}`, async () => {
      for (const seed of [1, 31_337]) await check(c, seed * (k + 3), (e) => e.getKnob('warp').val === 1);
    }, 400_000);
  }
});
