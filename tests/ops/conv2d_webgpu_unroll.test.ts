// tests/ops/conv2d_webgpu_unroll.test.ts — the conv templates' `unroll_window` knob (lavapipe's plain target only:
// `webgpu -device=llvmpipe` without subgroups) and the whole-image in-place default it backs (wholeImageTile: 2
// output channels × the whole image a lane, lanes on channels, the window unrolled): the knob exists only there and
// is defined last (config i of the space without it is config i here, the window rolled); every other target's space
// and default are unchanged; sampled configs with the window unrolled, and the new default, compute the plain-JS
// convolution on lavapipe on shapes no tile divides (C not a multiple of 4 or 8, odd sizes, a 1-pixel image, stride 2,
// dilation 2, groups, depthwise).

import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import type { ConfigEntity } from '../../autotune/space.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';
import { wholeImageTile } from '../../ops/templates/conv2d_webgpu.js';
import { jsConv2d, mismatch, runConfig, seeded, type ConvCase } from './reference.js';

const LAVAPIPE = 'webgpu -device=llvmpipe';
const base = { N: 1, strides: [1, 1], padding: [1, 1, 1, 1], dilation: [1, 1], groups: 1, KH: 3, KW: 3 } as const;
const CONV: readonly ConvCase[] = [
  { ...base, C: 5, H: 7, W: 7, O: 13 },                                                    // a 7×7 image, O odd
  { ...base, C: 6, H: 9, W: 11, O: 10, padding: [1, 0, 2, 1] },                             // odd sizes, asymmetric padding
  { ...base, C: 3, H: 1, W: 1, O: 4 },                                                      // a 1-pixel image
  { ...base, C: 7, H: 9, W: 10, O: 6, strides: [2, 2] },                                    // stride 2
  { ...base, C: 4, H: 8, W: 9, O: 5, dilation: [2, 2], padding: [2, 2, 2, 2] },             // dilation 2
  { ...base, N: 2, C: 3, H: 5, W: 6, O: 9, KH: 1, KW: 3, padding: [0, 1, 0, 1] },           // batch 2, 1×3
];
const GROUPED: readonly ConvCase[] = [{ ...base, C: 6, H: 7, W: 5, O: 4, groups: 2, padding: [1, 1, 0, 0] }];
const DEPTHWISE: readonly ConvCase[] = [
  { ...base, C: 5, H: 7, W: 7, O: 5, groups: 5 },
  { ...base, C: 3, H: 10, W: 11, O: 6, groups: 3, strides: [2, 2], padding: [0, 1, 1, 0] },  // multiplier 2, stride 2
];

const argsOf = (c: ConvCase, depthwise: boolean): unknown[] => {
  const a: unknown[] = [tensorArg([c.N, c.C, c.H, c.W]), tensorArg([c.O, c.C / c.groups, c.KH, c.KW]), [...c.strides], [...c.padding], [...c.dilation]];
  return depthwise ? a : [...a, c.groups];
};
/** The window unrolled, with a register tile of at most 32 outputs (a step of ~1000 unrolled FMAs takes lavapipe long to compile). */
const unrolled = (e: ConfigEntity): boolean => e.getKnob('unroll_window').val === true
  && ['tile_co', 'tile_oh', 'tile_ow'].reduce((n, k) => n * e.getSplit(k).size.at(-1)!, 1) <= 32;
const knobNames = (template: string, c: ConvCase, target: string): string[] =>
  createTask(template, argsOf(c, template.startsWith('depthwise')) as never, target).space.knobNames;

/** Runs `index` (or the default) of `template` on lavapipe's plain target and compares with the JS convolution. */
async function check(template: string, c: ConvCase, index: number | 'default', where?: (e: ConfigEntity) => boolean): Promise<string> {
  const args = argsOf(c, template.startsWith('depthwise')) as never;
  const at = index === 'default' ? createTask(template, args, LAVAPIPE).defaultConfig!()!.index : index;
  const x = seeded(c.N * c.C * c.H * c.W, at % 97 + 1);
  const w = seeded(c.O * (c.C / c.groups) * c.KH * c.KW, at % 89 + 2);
  const r = await runConfig(template, args, LAVAPIPE, at, [x, w], where);
  expect(r.out, `${template} ${JSON.stringify(c)} config ${r.config}: did not build`).toBeDefined();
  const want = jsConv2d(x, w, c);
  const i = mismatch(r.out!, want);
  expect(i, `${template} ${JSON.stringify(c)} config ${r.config}: y[${i}] = ${r.out![i]}, expected ${want[i]}`).toBe(-1);
  return r.config;
}

describe('conv webgpu templates: unroll_window, on lavapipe\'s plain target only', () => {
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  it('is the last knob on webgpu -device=llvmpipe, and absent on plain webgpu, SwiftShader, a GPU and the subgroup target', () => {
    for (const template of ['conv2d_nchw.webgpu', 'depthwise_conv2d_nchw.webgpu']) {
      const c = template.startsWith('depthwise') ? DEPTHWISE[0]! : CONV[0]!;
      expect(knobNames(template, c, LAVAPIPE).at(-1)).toBe('unroll_window');
      for (const t of ['webgpu', 'webgpu -device=swiftshader', 'webgpu -device=nvidia', `${LAVAPIPE} -subgroup-size=8`]) {
        expect(knobNames(template, c, t), `${template} on '${t}'`).not.toContain('unroll_window');
      }
    }
  });

  it('defined last: config i of plain webgpu\'s space is config i here with the window rolled, i + |plain| the same unrolled', () => {
    const args = argsOf(CONV[1]!, false) as never;
    const plain = createTask('conv2d_nchw.webgpu', args, 'webgpu').space;
    const lava = createTask('conv2d_nchw.webgpu', args, LAVAPIPE).space;
    expect(lava.length).toBe(2 * plain.length);
    for (const i of [0, 1, 4099, plain.length - 1]) {
      const want = plain.entityAt(i).toData().entity;
      expect(lava.entityAt(i).toData().entity).toEqual([...want, ['unroll_window', 'ot', false]]);
      expect(lava.entityAt(i + plain.length).toData().entity).toEqual([...want, ['unroll_window', 'ot', true]]);
    }
  });

  it('refuses an unrolled window over 1024 FMAs a step (kernel size, compile time; webgpu_unroll_limit.ts), not a rolled one', () => {
    const c: ConvCase = { ...base, C: 4, H: 28, W: 28, O: 64, KH: 5, KW: 5, padding: [2, 2, 2, 2] };
    const task = createTask('conv2d_nchw.webgpu', argsOf(c, false) as never, LAVAPIPE);
    const d = task.defaultConfig!()!.toData();
    const big = { ...d, entity: d.entity.map((e) => (e[0] === 'tile_co' ? ['tile_co', 'sp', [-1, 1, 8]] : e[0] === 'tile_ow' ? ['tile_ow', 'sp', [-1, 2, 14]] : e)) as typeof d.entity };
    const rolled = task.space.entityFromData(big);
    expect(task.space.isIndexValid(rolled.index)).toBe(true);
    const unrolledBig = task.space.entityFromData({ ...big, entity: big.entity.map((e) => (e[0] === 'unroll_window' ? ['unroll_window', 'ot', true] : e)) as typeof d.entity });
    expect(task.space.isIndexValid(unrolledBig.index)).toBe(false); // 25 taps × 8 × 1 × 14 = 2800 FMAs a step
    // Session 19's bound (2048 before): 25 taps × 4 × 1 × 14 = 1400 FMAs refused, 25 × 2 × 1 × 14 = 700 kept.
    const withCo = (co: number): number => task.space.entityFromData({ ...big, entity: big.entity.map((e) => (e[0] === 'unroll_window' ? ['unroll_window', 'ot', true] : e[0] === 'tile_co' ? ['tile_co', 'sp', [-1, 1, co]] : e)) as typeof d.entity }).index;
    expect(task.space.isIndexValid(withCo(4))).toBe(false);
    expect(task.space.isIndexValid(withCo(2))).toBe(true);
  });

  it('sampled configs with the window unrolled match the JS convolution: conv2d on shapes no tile divides', async () => {
    const seen = new Set<string>();
    for (const [k, c] of CONV.entries()) seen.add(await check('conv2d_nchw.webgpu', c, 7919 * (k + 1), unrolled));
    expect(seen.size).toBe(CONV.length);
  }, 400_000);

  it('sampled configs with the window unrolled match the JS convolution: grouped and depthwise', async () => {
    for (const [k, c] of GROUPED.entries()) await check('conv2d_nchw.webgpu', c, 104_729 * (k + 1), unrolled);
    for (const [k, c] of DEPTHWISE.entries()) await check('depthwise_conv2d_nchw.webgpu', c, 613 * (k + 3), unrolled);
  }, 400_000);
});

describe('conv2d_nchw.webgpu on lavapipe: the whole-image default (wholeImageTile)', () => {
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  it('wholeImageTile: 2 channels a lane when the output fits 49 pixels and the window is more than one tap, within 1024 FMAs', () => {
    expect(wholeImageTile(7, 7, 3, 3)).toEqual({ ico: 2 });
    expect(wholeImageTile(1, 1, 3, 3)).toEqual({ ico: 2 });
    expect(wholeImageTile(5, 9, 3, 3)).toEqual({ ico: 2 });
    expect(wholeImageTile(7, 7, 1, 1)).toBeUndefined(); // 1×1: nothing to share between taps
    expect(wholeImageTile(8, 7, 3, 3)).toBeUndefined(); // 56 pixels
    expect(wholeImageTile(14, 14, 3, 3)).toBeUndefined();
    expect(wholeImageTile(7, 7, 5, 5)).toBeUndefined(); // 25 × 2 × 49 = 2450 FMAs a step
    expect(wholeImageTile(7, 7, 4, 4)).toBeUndefined(); // 16 × 2 × 49 = 1568 (within the old 2048)
    expect(wholeImageTile(5, 5, 4, 4)).toEqual({ ico: 2 }); // 16 × 2 × 25 = 800
  });

  it('C12\'s shape (512 × 7 × 7 → 512, 3 × 3): 8 lanes × 2 channels, the whole 7 × 7 image a lane, window unrolled, in place', () => {
    const task = createTask('conv2d_nchw.webgpu', argsOf({ ...base, C: 512, H: 7, W: 7, O: 512 }, false) as never, LAVAPIPE);
    const d = task.defaultConfig!()!;
    expect(d.toData().entity).toEqual([
      ['tile_co', 'sp', [-1, 8, 2]], ['tile_oh', 'sp', [-1, 1, 7]], ['tile_ow', 'sp', [-1, 1, 7]], ['tile_rc', 'sp', [-1, 1]],
      ['stage_shared', 'ot', false], ['auto_unroll_max_step', 'ot', 0], ['vec', 'ot', 1], ['unroll_window', 'ot', true],
    ]);
    expect(task.space.isIndexValid(d.index)).toBe(true);
  });

  it('larger images, 1×1 and stride-2 convs keep directPixelTile\'s layout with the window rolled', () => {
    for (const c of [{ ...base, C: 8, H: 28, W: 28, O: 32 }, { ...base, C: 8, H: 7, W: 7, O: 32, KH: 1, KW: 1, padding: [0, 0, 0, 0] }, { ...base, C: 8, H: 13, W: 13, O: 32, strides: [2, 2] }] as ConvCase[]) {
      const d = createTask('conv2d_nchw.webgpu', argsOf(c, false) as never, LAVAPIPE).defaultConfig!()!;
      expect(d.getSplit('tile_co').size.slice(1), JSON.stringify(c)).toEqual([1, 8]);
      expect(d.getKnob('unroll_window').val).toBe(false);
    }
  });

  it('the default builds and matches the JS convolution: 7 × 7 with O odd, a 1-pixel image, 5 × 9, padding on one side', async () => {
    for (const c of [CONV[0]!, CONV[2]!, { ...base, C: 9, H: 5, W: 9, O: 20, padding: [0, 1, 2, 1] }] as ConvCase[]) {
      const config = await check('conv2d_nchw.webgpu', c, 'default');
      expect(config, JSON.stringify(c)).toContain('unroll_window');
    }
  }, 400_000);
});
