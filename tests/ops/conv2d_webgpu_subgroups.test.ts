// tests/ops/conv2d_webgpu_subgroups.test.ts — conv2d_nchw.webgpu on a target with subgroups
// (`webgpu -subgroup-size=8`, lavapipe's fixed size): knob `warp` = 1 (lanes on output channels, the input
// patch in warp memory read by subgroupBroadcast/subgroupShuffle) exists only there and only for
// ungrouped convs; sampled warp 1 configs (vec 1 and vec 4) match a plain-JS convolution on odd shapes, and the
// default uses it.

import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';
import { warpPixelTile } from '../../ops/templates/conv2d_webgpu.js';
import { loadScaledTimeout } from '../load_timeout.js';
import { jsConv2d, mismatch, runConfig, seeded, type ConvCase } from './reference.js';

const SG = 'webgpu -subgroup-size=8';
/**
 * Hang guard of each WebGPU test here: at most 1.5 s of CPU each (process.cpuUsage, 2026-12-01, load 20:
 * two sampled configs, lavapipe's shader compile ~70 % of it), scaled by the machine's load and this run's nice.
 */
const GUARD = loadScaledTimeout(2_000);
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
    // The patch (9 × 8 per input channel for the 7 × 6-pixel tile) is read by subgroup broadcasts/shuffles.
    expect(wgsl).toMatch(/subgroup(Broadcast|Shuffle)\(/);
    expect(wgsl).not.toMatch(/var<workgroup>|workgroupBarrier/);
    // The warp default: 1 channel × 7 × 7 pixels a lane on C6 (warpPixelTile), 1 input channel a step, vec 1.
    const c6 = createTask('conv2d_nchw.webgpu', args({ ...base, C: 128, H: 28, W: 28, O: 128 }) as never, SG).defaultConfig!()!;
    const inner = (e: typeof c6): number[] => ['tile_co', 'tile_oh', 'tile_ow', 'tile_rc'].map((k) => e.getSplit(k).size.at(-1)!);
    expect([c6.getKnob('vec').val, ...inner(c6)]).toEqual([1, 1, 7, 7, 1]);
    expect([d.getKnob('vec').val, ...inner(d)]).toEqual([1, 1, 7, 6, 1]);
    const grouped = createTask('conv2d_nchw.webgpu', args({ ...c, groups: 4 }) as never, SG);
    expect(grouped.defaultConfig!()!.getKnob('warp').val).toBe(0);
    expect(createTask('conv2d_nchw.webgpu', args(c) as never, 'webgpu').defaultConfig!()!.toData().entity.map((e) => e[0])).not.toContain('warp');
  }, GUARD);

  // Odd shapes: O not a multiple of the lanes' channels (a lane-dependent guard the pass hoists reads out of),
  // stride 2, asymmetric padding, dilation 2, C not a multiple of 4, a 1-pixel image, batch 2.
  const cases: ConvCase[] = [
    { ...base, C: 5, H: 9, W: 11, O: 13 },
    { ...base, C: 6, H: 10, W: 9, O: 20, strides: [2, 2], padding: [0, 1, 2, 1] },
    { ...base, C: 3, H: 12, W: 12, O: 16, dilation: [2, 2], padding: [2, 2, 2, 2] },
    { ...base, N: 2, C: 7, H: 1, W: 1, O: 9, KH: 1, KW: 1, padding: [0, 0, 0, 0] },
  ];
  // At most 32 outputs a lane: lavapipe compiles a larger unrolled tile for minutes (the default's 4×4×4 is covered above).
  const small = (e: import('../../autotune/space.js').ConfigEntity): boolean =>
    ['tile_co', 'tile_oh', 'tile_ow'].reduce((p, k) => p * e.getSplit(k).size[2]!, 1) <= 32;
  for (const [k, c] of cases.entries()) {
    it(`sampled warp 1 (vec 1) configs match plain JS on ${JSON.stringify(c)}`, async () => {
      for (const seed of [1, 31_337]) await check(c, seed * (k + 3), (e) => e.getKnob('warp').val === 1 && e.getKnob('vec').val === 1);
    }, GUARD);
    // vec 4 with warp: vec4 accumulators along ow, the patch read by vec4 shuffles where a lane holds the 4
    // elements, else element by element (stride 2 and dilation 2 make strided and unaligned reads). The 1-pixel
    // image has no ow tile of 4.
    if (c.W >= 4) it(`sampled warp 1 + vec 4 configs match plain JS on ${JSON.stringify(c)}`, async () => {
      for (const seed of [5, 7_919]) await check(c, seed * (k + 3), (e) => e.getKnob('warp').val === 1 && e.getKnob('vec').val === 4 && small(e));
    }, GUARD);
  }

  it('the default (1 channel a lane, warpPixelTile pixels) matches plain JS where no tile divides (odd H/W, C 5, a 1-pixel image, stride 2)', async () => {
    const odd: ConvCase[] = [
      { ...base, C: 5, H: 9, W: 11, O: 16 },
      { ...base, N: 2, C: 3, H: 1, W: 1, O: 8 },
      { ...base, C: 6, H: 10, W: 9, O: 24, strides: [2, 2], padding: [0, 1, 2, 1] },
    ];
    for (const c of odd) {
      const d = createTask('conv2d_nchw.webgpu', args(c) as never, SG).defaultConfig!()!;
      expect(d.getKnob('warp').val, JSON.stringify(c)).toBe(1);
      await check(c, d.index);
    }
  }, GUARD);

  it('warpPixelTile: the most pixels up to 49 whose sides (≤ 8) divide the image; among equals the taller', () => {
    expect(warpPixelTile(28, 28)).toEqual([7, 7]);
    expect(warpPixelTile(56, 56)).toEqual([7, 7]);
    expect(warpPixelTile(14, 12)).toEqual([7, 6]);
    expect(warpPixelTile(16, 16)).toEqual([8, 4]);
    expect(warpPixelTile(6, 12)).toEqual([6, 6]);
    expect(warpPixelTile(13, 1)).toEqual([1, 1]);
  });

  /** The default config of case `c` with some knobs replaced (values as in a log record). */
  const configWith = (c: ConvCase, over: Record<string, unknown>): number => {
    const task = createTask('conv2d_nchw.webgpu', args(c) as never, SG);
    const d = task.defaultConfig!()!.toData();
    const entity = d.entity.map((e) => (e[0] in over ? [e[0], e[1], over[e[0]]] : e)) as typeof d.entity;
    const cfg = task.space.entityFromData({ ...d, entity });
    expect(task.space.isIndexValid(cfg.index), `${cfg.toString()} refused`).toBe(true);
    return cfg.index;
  };

  // A vec4 broadcast: of a vec4 built from the lane's array, or of a whole slot where that array is laid out in vec4s.
  // A vec4 put together from 4 scalar shuffles (hoisted into lets), one select per lane.
  const SELECTED = /select\(select\(select\(vec4<f32>\(\w*shfl\d+\)/;
  const VEC4_BROADCAST = /subgroupBroadcast\((vec4<f32>\(|\w+_warp_lane\[[^\]]*>> 2u\], )/;

  it('warp 1 + vec 4: rows of 4k elements are fetched as vec4s and read back by one vec4 broadcast; others by selects of scalar shuffles', async () => {
    const warp4 = { warp: 1, stage_shared: false, vec: 4 };
    // 1×1 stride 1, a 4-pixel-wide lane tile: the patch rows are 4 long, every read starts at a multiple of 4.
    const aligned: ConvCase = { ...base, N: 2, C: 6, H: 3, W: 8, O: 19, KH: 1, KW: 1, padding: [0, 0, 0, 0] };
    const w1 = await check(aligned, configWith(aligned, { ...warp4, tile_co: [-1, 8, 2], tile_oh: [-1, 1, 3], tile_ow: [-1, 1, 4], tile_rc: [-1, 2] }));
    expect(w1).toMatch(VEC4_BROADCAST);
    expect(w1).not.toMatch(SELECTED);
    // Dilation 2, 3×3: rows 8 long (vec4 fetch), reads at offsets 0 and 4 (vec4 shuffles) and 2 (lanes split: selects).
    const dilated: ConvCase = { ...base, C: 5, H: 13, W: 12, O: 9, dilation: [2, 2], padding: [2, 1, 2, 3] };
    const w2 = await check(dilated, configWith(dilated, { ...warp4, tile_co: [-1, 8, 1], tile_oh: [-1, 1, 2], tile_ow: [-1, 1, 4] }));
    expect(w2).toMatch(VEC4_BROADCAST);
    expect(w2).toMatch(SELECTED);
    // 3×3 stride 1 (O = 13: the last lanes' channels are past O): rows 6 long, scalar fetch, every vec4 read by selects.
    const odd: ConvCase = { ...base, C: 5, H: 9, W: 12, O: 13 };
    const w3 = await check(odd, configWith(odd, { ...warp4, tile_co: [-1, 8, 1], tile_oh: [-1, 1, 3], tile_ow: [-1, 1, 4] }));
    expect(w3).not.toMatch(VEC4_BROADCAST);
    expect(w3).toMatch(SELECTED);
  }, GUARD);
});
