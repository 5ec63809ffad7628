// tests/ops/conv2d.test.ts — conv2d_nchw and depthwise_conv2d_nchw: sampled configs of their wasm and WebGPU
// templates on shapes no knob divides (C not a multiple of 4, odd widths, 1×1, stride 2, asymmetric padding,
// dilation 2, groups, a 1-pixel image, batch 2) against tfjs-core's CPU conv2d/depthwiseConv2d and a
// scatter-form JS convolution; and the named errors of bad arguments.

import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { buildCandidate } from '../../autotune/measure/build_candidate.js';
import { MeasureErrorNo } from '../../autotune/measure/measure_types.js';
import type { ConfigEntity } from '../../autotune/space.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import { conv2d, depthwiseConv2d } from '../../ops/nn/conv2d.js';
import { registerAll } from '../../ops/register.js';
import { placeholder } from '../../schedule/tensor.js';
import { Rng } from '../../autotune/rng.js';
import { convOut, jsConv2d, mismatch, runConfig, seeded, tfConv2d, type ConvCase } from './reference.js';

const base = { N: 1, strides: [1, 1], padding: [0, 0, 0, 0], dilation: [1, 1], groups: 1 } as const;
/** Ungrouped cases, each checked on one sampled config per target. */
const CONV: readonly ConvCase[] = [
  { ...base, C: 5, H: 7, W: 9, O: 6, KH: 3, KW: 3, padding: [1, 0, 2, 1] },        // asymmetric padding, odd sizes
  { ...base, C: 3, H: 6, W: 6, O: 8, KH: 1, KW: 1 },                               // 1×1
  { ...base, C: 6, H: 9, W: 11, O: 5, KH: 3, KW: 3, strides: [2, 2], padding: [1, 1, 1, 1] }, // stride 2
  { ...base, C: 4, H: 9, W: 9, O: 4, KH: 3, KW: 3, dilation: [2, 2], padding: [2, 2, 2, 2] }, // dilation 2
  { ...base, C: 2, H: 1, W: 1, O: 3, KH: 1, KW: 1 },                               // a 1-pixel image
  { ...base, N: 2, C: 3, H: 5, W: 7, O: 4, KH: 3, KW: 2, padding: [0, 1, 1, 0] },  // batch 2, 3×2 kernel
  { ...base, C: 7, H: 8, W: 13, O: 9, KH: 5, KW: 5, strides: [1, 2], padding: [2, 2, 2, 2] },
  { ...base, C: 16, H: 6, W: 8, O: 12, KH: 3, KW: 3, padding: [1, 1, 1, 1] },
];
const GROUPED: readonly ConvCase[] = [
  { ...base, C: 6, H: 7, W: 5, O: 4, KH: 3, KW: 3, groups: 2, padding: [1, 1, 0, 0] },
  { ...base, N: 2, C: 9, H: 5, W: 6, O: 6, KH: 1, KW: 3, groups: 3, strides: [2, 1] },
];
const DEPTHWISE: readonly ConvCase[] = [
  { ...base, C: 5, H: 9, W: 7, O: 5, KH: 3, KW: 3, groups: 5, padding: [1, 1, 1, 1] },
  { ...base, C: 3, H: 10, W: 11, O: 3, KH: 3, KW: 3, groups: 3, strides: [2, 2], padding: [0, 1, 1, 0] },
  { ...base, C: 4, H: 9, W: 9, O: 8, KH: 3, KW: 3, groups: 4, dilation: [2, 2], padding: [2, 2, 2, 2] }, // multiplier 2
  { ...base, N: 2, C: 6, H: 1, W: 1, O: 6, KH: 1, KW: 1, groups: 6 },
  { ...base, C: 8, H: 6, W: 13, O: 8, KH: 5, KW: 5, groups: 8, padding: [2, 2, 2, 2] },
  { ...base, C: 7, H: 5, W: 5, O: 7, KH: 3, KW: 1, groups: 7, padding: [1, 0, 1, 0] },
  { ...base, C: 2, H: 12, W: 4, O: 2, KH: 3, KW: 3, groups: 2, strides: [2, 1], padding: [1, 1, 1, 1] },
  { ...base, C: 3, H: 7, W: 8, O: 3, KH: 2, KW: 2, groups: 3 },
];

function argsOf(c: ConvCase, depthwise: boolean): unknown[] {
  const a: unknown[] = [tensorArg([c.N, c.C, c.H, c.W]), tensorArg([c.O, c.C / c.groups, c.KH, c.KW]), [...c.strides], [...c.padding], [...c.dilation]];
  return depthwise ? a : [...a, c.groups];
}

/** Returns whether the config ran (false: rejected by the template's limits). */
async function check(template: string, c: ConvCase, target: string, configIndex: number, reference: 'tf' | 'js'): Promise<boolean> {
  const x = seeded(c.N * c.C * c.H * c.W, configIndex + 1);
  const w = seeded(c.O * (c.C / c.groups) * c.KH * c.KW, configIndex + 2);
  const want = reference === 'tf' ? tfConv2d(x, w, c) : jsConv2d(x, w, c);
  const r = await runConfig(template, argsOf(c, template.startsWith('depthwise')) as never, target, configIndex, [x, w]);
  if (!r.out) return false; // rejected by the template's limits (raiseError): not a wrong answer
  const i = mismatch(r.out, want);
  expect(i, `${template} ${JSON.stringify(c)} config ${r.config}: y[${i}] = ${r.out[i]}, expected ${want[i]}`).toBe(-1);
  return true;
}

/** Checks one sampled config per case; at most a quarter may be rejected by the template's limits. */
async function checkAll(template: string, cases: readonly ConvCase[], target: string, rng: Rng, reference: 'tf' | 'js'): Promise<void> {
  let ran = 0;
  for (const c of cases) if (await check(template, c, target, rng.int(1 << 30), reference)) ran++;
  expect(ran).toBeGreaterThanOrEqual(Math.ceil(cases.length * 0.75));
}

describe('conv2d templates', () => {
  const rng = new Rng(2024);
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  it('the tfjs reference and the scatter-form JS reference agree (so either can judge)', () => {
    for (const c of [...CONV, ...DEPTHWISE]) {
      if (c.dilation[0] > 1 && c.strides[0] > 1) continue; // tfjs refuses stride and dilation together
      const x = seeded(c.N * c.C * c.H * c.W, 3);
      const w = seeded(c.O * (c.C / c.groups) * c.KH * c.KW, 4);
      expect(mismatch(tfConv2d(x, w, c), jsConv2d(x, w, c))).toBe(-1);
    }
  });

  for (const target of ['wasm', 'webgpu']) {
    it(`conv2d_nchw.${target}: a sampled config per case matches tfjs conv2d`, async () => {
      await checkAll(`conv2d_nchw.${target}`, CONV, target, rng, 'tf');
    }, 300_000);
    it(`conv2d_nchw.${target}: grouped convolutions match the JS reference`, async () => {
      await checkAll(`conv2d_nchw.${target}`, GROUPED, target, rng, 'js');
    }, 300_000);
    it(`depthwise_conv2d_nchw.${target}: a sampled config per case matches tfjs depthwiseConv2d`, async () => {
      await checkAll(`depthwise_conv2d_nchw.${target}`, DEPTHWISE, target, rng, 'tf');
    }, 300_000);
  }

  it('a config on the scalar target (-simd=0, 2 threads) is right too', async () => {
    const c = CONV[0]!;
    expect(await check('conv2d_nchw.wasm', c, 'wasm -threads=2 -simd=0', 7, 'tf')).toBe(true);
    expect(convOut(c)).toEqual([8, 8]);
  });
});

/** A vec 4 config (knob vec = 4; the multiFilter then asks a thread's ow tile that is a multiple of 4). */
const vec4 = (e: ConfigEntity): boolean => e.getKnob('vec').val === 4;
/** How many storage buffers a WGSL module binds as arrays of vec4. */
const vec4Bindings = (wgsl: string): string[] => [...wgsl.matchAll(/var<storage, [a-z_]+> (\w+): array<vec4<f32>>;/g)].map((m) => m[1]!);

describe('conv webgpu templates, knob vec = 4 (vec4 along the output width)', () => {
  const rng = new Rng(4404);
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  /** Runs a sampled vec 4 config of `template` on case c and checks it against `want`; returns the WGSL. */
  async function checkVec4(template: string, c: ConvCase, want: (x: Float32Array, w: Float32Array) => Float32Array, where: (e: ConfigEntity) => boolean = vec4): Promise<string> {
    const index = rng.int(1 << 30);
    const x = seeded(c.N * c.C * c.H * c.W, index + 1);
    const w = seeded(c.O * (c.C / c.groups) * c.KH * c.KW, index + 2);
    const r = await runConfig(template, argsOf(c, template.startsWith('depthwise')) as never, 'webgpu', index, [x, w], where);
    expect(r.out, `${template} ${JSON.stringify(c)} config ${r.config}: refused`).toBeDefined();
    expect(r.config).toMatch(/\["vec","ot",4\]/);
    const ref = want(x, w);
    const i = mismatch(r.out!, ref);
    expect(i, `${template} ${JSON.stringify(c)} config ${r.config}: y[${i}] = ${r.out![i]}, expected ${ref[i]}`).toBe(-1);
    return r.wgsl!;
  }

  // Every case but the 1-pixel image (OW = 1 has no ow tile of 4): C not a multiple of 4, odd widths,
  // asymmetric padding, stride 2, dilation 2, batch 2, a 5×5 kernel with stride (1, 2).
  it('conv2d_nchw.webgpu: sampled vec 4 configs match tfjs conv2d on shapes no tile divides', async () => {
    for (const c of CONV.filter((k) => convOut(k)[1] > 1)) await checkVec4('conv2d_nchw.webgpu', c, (x, w) => tfConv2d(x, w, c));
  }, 300_000);

  it('conv2d_nchw.webgpu: grouped convolutions with vec 4 match the JS reference', async () => {
    for (const c of GROUPED) await checkVec4('conv2d_nchw.webgpu', c, (x, w) => jsConv2d(x, w, c));
  }, 300_000);

  it('depthwise_conv2d_nchw.webgpu: sampled vec 4 configs match tfjs depthwiseConv2d', async () => {
    for (const c of DEPTHWISE.filter((k) => convOut(k)[1] > 1)) await checkVec4('depthwise_conv2d_nchw.webgpu', c, (x, w) => tfConv2d(x, w, c));
  }, 300_000);

  it('an aligned tile (OW = 8, ow tile 2 threads × 4) stores the output as vec4; a 1×1 stride-1 conv fetches its input rows as vec4 too', async () => {
    const tile = (e: ConfigEntity): boolean => vec4(e) && e.getSplit('tile_ow').size[1] === 2 && e.getSplit('tile_ow').size[2] === 4;
    const c3: ConvCase = { ...base, C: 6, H: 5, W: 8, O: 7, KH: 3, KW: 3, padding: [1, 1, 1, 1] };
    const wgsl3 = await checkVec4('conv2d_nchw.webgpu', c3, (x, w) => tfConv2d(x, w, c3), tile);
    expect(vec4Bindings(wgsl3)).toContain('conv2d_nchw');
    expect(wgsl3).toMatch(/var conv2d_nchw_local: array<vec4<f32>, \d+>;/);
    const c1: ConvCase = { ...base, C: 5, H: 3, W: 8, O: 6, KH: 1, KW: 1 };
    const staged = (e: ConfigEntity): boolean => tile(e) && e.getKnob('stage_shared').val === true;
    const wgsl1 = await checkVec4('conv2d_nchw.webgpu', c1, (x, w) => tfConv2d(x, w, c1), staged);
    expect(vec4Bindings(wgsl1)).toContain('conv2d_nchw');
    expect(wgsl1).toMatch(/var<workgroup> \w+_shared: array<vec4<f32>, \d+>;/);
  }, 300_000);

  it('vec 1 never binds vec4 arrays, and vec 4 with a thread ow tile that is not a multiple of 4 is refused, saying why', async () => {
    const c: ConvCase = { ...base, C: 6, H: 5, W: 8, O: 7, KH: 3, KW: 3, padding: [1, 1, 1, 1] };
    const index = rng.int(1 << 30);
    const x = seeded(c.N * c.C * c.H * c.W, index + 1);
    const w = seeded(c.O * c.C * 9, index + 2);
    const r = await runConfig('conv2d_nchw.webgpu', argsOf(c, false) as never, 'webgpu', index, [x, w], (e) => e.getKnob('vec').val === 1);
    expect(mismatch(r.out!, tfConv2d(x, w, c))).toBe(-1);
    expect(vec4Bindings(r.wgsl!)).toEqual([]);
    const task = createTask('conv2d_nchw.webgpu', argsOf(c, false) as never, 'webgpu');
    let checked = 0;
    for (let n = 0; n < 5000 && checked < 3; n++) {
      const i = rng.int(task.space.length);
      const e = task.space.entityAt(i);
      if (!vec4(e) || e.getSplit('tile_ow').size[2]! % 4 === 0) continue;
      const b = await buildCandidate({ taskName: task.name, args: task.args, target: task.target, configIndex: i });
      expect(b.errorNo).toBe(MeasureErrorNo.INSTANTIATION_ERROR);
      expect(b.errorMsg).toMatch(/vec 4 needs the thread's ow tile \d+ to be a multiple of 4/);
      checked++;
    }
    expect(checked).toBe(3);
  }, 300_000);
});

describe('conv2d arguments', () => {
  const X = placeholder([1, 6, 8, 8], 'float32', 'X');
  const W = placeholder([4, 3, 3, 3], 'float32', 'W');
  it('names the op and the problem', () => {
    expect(() => conv2d(X, W, { groups: 4 })).toThrow(/^conv2d: channel count 6 is not divisible by groups 4/);
    expect(() => conv2d(X, W, { groups: 2, padding: [1, 1, 1] })).toThrow(/^conv2d: padding must be \[top, left, bottom, right\].*length 3/);
    expect(() => conv2d(X, W)).toThrow(/^conv2d: weight W has 3 input channels per group, but data has 6 channels in 1 group/);
    expect(() => conv2d(X, placeholder([4, 6, 9, 3], 'float32', 'W9'))).toThrow(/^conv2d: output height would be 0/);
    expect(() => conv2d(X, W, { groups: 2, strides: [0, 1] })).toThrow(/^conv2d: strides must be integers ≥ 1/);
    expect(() => conv2d(placeholder([6, 8, 8], 'float32', 'X3'), W)).toThrow(/^conv2d: data X3 must be 4-D \(NCHW\)/);
    expect(() => conv2d(X, placeholder([5, 3, 3, 3], 'float32', 'W5'), { groups: 2 })).toThrow(/^conv2d: output channel count 5 is not divisible by groups 2/);
    expect(() => depthwiseConv2d(X, placeholder([6, 2, 3, 3], 'float32', 'Wd'))).toThrow(/^conv2d: weight Wd has 2 input channels per group/);
  });
  it('tags the anchors and carries their attrs', () => {
    const y = conv2d(X, W, { groups: 2, strides: 2, padding: [1, 0, 1, 0] });
    expect(y.op.kind === 'compute' && y.op.tag).toBe('conv2d_nchw');
    expect(y.dims).toEqual([1, 4, 4, 3]);
    const d = depthwiseConv2d(X, placeholder([12, 1, 3, 3], 'float32', 'Wd'), { padding: 1 });
    expect(d.op.kind === 'compute' && d.op.tag).toBe('depthwise_conv2d_nchw');
    expect(d.dims).toEqual([1, 12, 8, 8]);
  });
});
