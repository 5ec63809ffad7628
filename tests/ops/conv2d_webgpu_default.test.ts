// tests/ops/conv2d_webgpu_default.test.ts — the untuned default of conv2d_nchw.webgpu, chosen by the target's device:
// on `webgpu -device=llvmpipe` (lavapipe) one workgroup of 8 invocations over (oh, ow), each 8 channels × 1 row × up
// to 14 pixels read in place (stage_shared false, directPixelTile), or for an image of at most 49 pixels 8 lanes on
// channels, each 2 channels × the whole image, the window unrolled (wholeImageTile); on plain `webgpu` and other devices the staged
// large register tile (8 channels × about 8 pixels a thread), falling back to smaller tilings where workgroup memory
// would overflow. On every shape the default is a config its own space accepts, and its build computes tfjs-core's
// conv2d (CPU backend), on Dawn/lavapipe.

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';
import { directPixelTile } from '../../ops/templates/conv2d_webgpu.js';
import { mismatch, runConfig, seeded, tfConv2d, type ConvCase } from './reference.js';

const base = { N: 1, strides: [1, 1], padding: [1, 1, 1, 1], dilation: [1, 1], groups: 1, KH: 3, KW: 3 } as const;
const args = (c: ConvCase) => [tensorArg([c.N, c.C, c.H, c.W]), tensorArg([c.O, c.C / c.groups, c.KH, c.KW]), [...c.strides], [...c.padding], [...c.dilation], c.groups];
/** What `webgpuTargetString()` gives on lavapipe: the device whose defaults read in place. */
const LAVAPIPE = 'webgpu -device=llvmpipe';

/** The default's [threads, inner] sizes of each split on `target`. */
function defaultTiles(c: ConvCase, target: string): { co: number[]; oh: number[]; ow: number[]; staged: boolean; valid: boolean } {
  const task = createTask('conv2d_nchw.webgpu', args(c) as never, target);
  const d = task.defaultConfig!()!;
  const sz = (k: string) => d.getSplit(k).size.slice(1);
  return { co: sz('tile_co'), oh: sz('tile_oh'), ow: sz('tile_ow'), staged: d.getKnob('stage_shared').val === true, valid: task.space.isIndexValid(d.index) };
}

async function checkDefault(c: ConvCase, target: string): Promise<void> {
  const task = createTask('conv2d_nchw.webgpu', args(c) as never, target);
  const index = task.defaultConfig!()!.index;
  const x = seeded(c.N * c.C * c.H * c.W, 11);
  const w = seeded(c.O * (c.C / c.groups) * c.KH * c.KW, 12);
  const r = await runConfig('conv2d_nchw.webgpu', args(c) as never, target, index, [x, w]);
  expect(r.out, `${JSON.stringify(c)} on '${target}': the default did not build`).toBeDefined();
  const want = tfConv2d(x, w, c);
  const i = mismatch(r.out!, want);
  expect(i, `${JSON.stringify(c)} on '${target}' default ${r.config}: y[${i}] = ${r.out![i]}, expected ${want[i]}`).toBe(-1);
}

const C1: ConvCase = { ...base, C: 3, H: 224, W: 224, O: 64, KH: 7, KW: 7, strides: [2, 2], padding: [3, 3, 3, 3] };

describe('conv2d_nchw.webgpu: the untuned default on lavapipe (-device=llvmpipe) reads in place', () => {
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  it('directPixelTile: 8 lanes over (oh, ow), the largest divisor of OW up to 14 pixels a lane, no idle lane along ow', () => {
    expect(directPixelTile(28)).toEqual({ toh: 4, tow: 2, iow: 14 });
    expect(directPixelTile(56)).toEqual({ toh: 2, tow: 4, iow: 14 });
    expect(directPixelTile(14)).toEqual({ toh: 8, tow: 1, iow: 14 });
    expect(directPixelTile(7)).toEqual({ toh: 8, tow: 1, iow: 7 });
    expect(directPixelTile(112)).toEqual({ toh: 1, tow: 8, iow: 14 });
    expect(directPixelTile(11)).toEqual({ toh: 8, tow: 1, iow: 11 });
    expect(directPixelTile(17)).toEqual({ toh: 8, tow: 1, iow: 1 });
  });

  it('a 28×28 image: read in place, 8 channels × 1 row × 14 columns a lane, 1 × 4 × 2 lanes', () => {
    expect(defaultTiles({ ...base, C: 8, H: 28, W: 28, O: 32 }, LAVAPIPE)).toEqual({ co: [1, 8], oh: [4, 1], ow: [2, 14], staged: false, valid: true });
  });

  it('a 7×7 image: the whole image a lane, 2 channels a lane, 8 lanes on output channels (wholeImageTile)', () => {
    expect(defaultTiles({ ...base, C: 16, H: 7, W: 7, O: 64 }, LAVAPIPE)).toEqual({ co: [8, 2], oh: [1, 7], ow: [1, 7], staged: false, valid: true });
  });

  it('a 7×7 image with a 1×1 kernel: a whole 7-pixel row a lane, 7 lanes (the split of 8 resolves to 7)', () => {
    expect(defaultTiles({ ...base, C: 16, H: 7, W: 7, O: 64, KH: 1, KW: 1, padding: [0, 0, 0, 0] }, LAVAPIPE)).toEqual({ co: [1, 8], oh: [7, 1], ow: [1, 7], staged: false, valid: true });
  });

  it('a 7×7 stride-2 kernel over 3 channels (C1, whose staged tiles overflowed workgroup memory) reads in place too', () => {
    expect(defaultTiles(C1, LAVAPIPE)).toEqual({ co: [1, 8], oh: [1, 1], ow: [8, 14], staged: false, valid: true });
  });
});

describe('conv2d_nchw.webgpu: the untuned default elsewhere (plain webgpu, SwiftShader, GPUs) stages', () => {
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  it('a 28×28 image: 8 channels × 2 rows × 4 columns a thread, 4 × 2 × 7 threads, staged', () => {
    const want = { co: [4, 8], oh: [2, 2], ow: [7, 4], staged: true, valid: true };
    for (const t of ['webgpu', 'webgpu -device=swiftshader', 'webgpu -device=nvidia']) expect(defaultTiles({ ...base, C: 8, H: 28, W: 28, O: 32 }, t), t).toEqual(want);
  });

  it('a 7×7 image: a whole 7-pixel column a thread (no divisor of 7 fits 4 along ow)', () => {
    expect(defaultTiles({ ...base, C: 16, H: 7, W: 7, O: 64 }, 'webgpu')).toEqual({ co: [4, 8], oh: [1, 7], ow: [7, 1], staged: true, valid: true });
  });

  it('C1 (the large tiling overflows workgroup memory) falls back to a smaller staged one', () => {
    const d = defaultTiles(C1, 'webgpu');
    expect(d.valid).toBe(true);
    expect(d.staged).toBe(true);
    expect(d.co[1]! * d.oh[1]! * d.ow[1]!).toBeLessThan(64);
  });
});

describe('conv2d_nchw.webgpu: the untuned default on any shape, both devices', () => {
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  it('on random shapes the default is always a config the space accepts', () => {
    const size = fc.integer({ min: 1, max: 40 });
    fc.assert(fc.property(size, size, size, size, fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 3 }), fc.boolean(), (C, H, W, O, K, s, lavapipe) => {
      const pad = Math.floor(K / 2);
      if (H + 2 * pad < K || W + 2 * pad < K) return;
      const d = defaultTiles({ ...base, C, H, W, O, KH: K, KW: K, strides: [s, s], padding: [pad, pad, pad, pad] }, lavapipe ? LAVAPIPE : 'webgpu');
      expect(d.valid).toBe(true);
    }), { numRuns: 80, seed: 2026 });
  });

  it('builds and matches tfjs conv2d: large tiles, a 7×7 image, odd sizes, stride 2', async () => {
    for (const target of [LAVAPIPE, 'webgpu']) {
      await checkDefault({ ...base, C: 8, H: 28, W: 28, O: 32 }, target);
      await checkDefault({ ...base, C: 16, H: 7, W: 7, O: 24 }, target);
      await checkDefault({ ...base, C: 5, H: 9, W: 11, O: 6, padding: [1, 0, 2, 1] }, target);
      await checkDefault({ ...base, C: 6, H: 13, W: 10, O: 40, strides: [2, 2] }, target);
    }
  }, 400_000);
});
