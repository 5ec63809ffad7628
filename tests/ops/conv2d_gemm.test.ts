// tests/ops/conv2d_gemm.test.ts — conv2d_gemm (im2col + the wasm gemm template): the untuned default and
// sampled configs of conv2d_gemm.wasm match tfjs conv2d (or the plain-JS scatter reference) on odd shapes —
// stride 2, C·KH·KW not a multiple of 4, odd widths, a 1-pixel image, asymmetric padding, dilation 2, batch 2 —
// with the fused bias → relu → residual; the workload round-trips through taskOf; bad uses are named.

import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { Rng } from '../../autotune/rng.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import { scheduleAnchor, taskOf } from '../../ops/anchor.js';
import { conv2dGemm } from '../../ops/nn/conv2d_gemm.js';
import { checkOpParams, formatOpParams, opArgs, opSpec, paramsOfArgs, parseOpParams, paramsOfWorkload } from '../../ops/op_params.js';
import { registerAll } from '../../ops/register.js';
import { createSchedule } from '../../schedule/schedule.js';
import { placeholder } from '../../schedule/tensor.js';
import { casesMatch, type GemmConvLayout } from './conv_gemm_cases.js';
import type { ConvCase } from './reference.js';

const base = { N: 1, KH: 3, KW: 3, strides: [1, 1], dilation: [1, 1], groups: 1 } as const;
const CASES: readonly ConvCase[] = [
  // C7's shape, scaled down: stride 2, pad 1, 3×3; C·KH·KW = 72.
  { ...base, C: 8, H: 14, W: 14, O: 16, strides: [2, 2], padding: [1, 1, 1, 1] },
  // C·KH·KW = 45 (not a multiple of 4), odd width, asymmetric padding.
  { ...base, C: 5, H: 7, W: 9, O: 6, padding: [1, 0, 2, 1] },
  // 1-pixel image, 27 = 3·3·3.
  { ...base, C: 3, H: 1, W: 1, O: 5, padding: [1, 1, 1, 1] },
  // Dilation 2, stride 2 on one axis, odd W.
  { ...base, C: 4, H: 11, W: 13, O: 7, strides: [1, 2], dilation: [2, 2], padding: [2, 2, 2, 2] },
  // Batch 2, 1×1 kernel with stride 2 (ResNet's downsample), no padding.
  { ...base, N: 2, C: 6, H: 9, W: 7, O: 10, KH: 1, KW: 1, strides: [2, 2], padding: [0, 0, 0, 0] },
  // 7×7 stride 2 (C1's kind), C = 3.
  { ...base, C: 3, H: 15, W: 17, O: 8, KH: 7, KW: 7, strides: [2, 2], padding: [3, 3, 3, 3] },
  // A 5×3 kernel, padding on one side only.
  { ...base, C: 2, H: 8, W: 6, O: 9, KH: 5, KW: 3, padding: [0, 2, 4, 0] },
];

/** The template's own layout: NCHW data, the OIHW weight (the op reshapes it to [O, C·KH·KW]), NCHW out. */
const LAYOUT: GemmConvLayout<ConvCase> = {
  template: 'conv2d_gemm.wasm',
  args: (c, epilogue) => [
    tensorArg([c.N, c.C, c.H, c.W]), tensorArg([c.O, c.C, c.KH, c.KW]), [...c.strides], [...c.padding], [...c.dilation], ...(epilogue ? [[...epilogue]] : []),
  ],
  inputs: (x, w) => [x, w],
  output: (conv, c) => {
    const plane = conv.length / c.N / c.O;
    return { values: conv, channel: (i) => Math.floor(i / plane) % c.O };
  },
};

describe('conv2d_gemm (im2col + gemm)', () => {
  const rng = new Rng(15);
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  it('the untuned default matches tfjs conv2d on every case, with bias → relu → residual fused on half', async () => {
    await casesMatch(LAYOUT, CASES, rng, () => undefined, 0);
  }, 300_000);

  it('a sampled config per case (2 threads) matches tfjs conv2d, with the epilogue on the other half', async () => {
    await casesMatch(LAYOUT, CASES, rng, () => rng.int(1 << 30), 1, 'wasm -threads=2');
  }, 300_000);

  it('is an anchor whose workload (the OIHW weight, strides, padding, dilation) rebuilds it; wasm only', () => {
    const X = placeholder([1, 4, 9, 9], 'float32', 'X');
    const Y = conv2dGemm(X, placeholder([6, 36], 'float32', 'W'), { strides: 2, padding: [1, 0, 1, 2], kernelSize: [3, 3] });
    expect(Y.dims).toEqual([1, 6, 5 * 5]);
    const task = taskOf(Y, 'wasm');
    expect(task).toEqual({ template: 'conv2d_gemm.wasm', args: [tensorArg([1, 4, 9, 9]), tensorArg([6, 4, 3, 3]), [2, 2], [1, 0, 1, 2], [1, 1]] });
    expect(taskOf(Y, 'webgpu')).toBeUndefined();
    expect(() => scheduleAnchor(createSchedule([Y]), Y, [Y], 'webgpu')).toThrow(/conv2d_gemm .* has no webgpu template/);
  });

  it('tensortune --op conv2d_gemm: --shape text and workload C7 give the template\'s args, and back', () => {
    const spec = opSpec('conv2d_gemm')!;
    const q = checkOpParams(spec, parseOpParams(spec, 'C=128,H=28,W=28,O=256,kernel=3,stride=2,pad=1'));
    const args = opArgs(spec, q);
    expect(args).toEqual([tensorArg([1, 128, 28, 28]), tensorArg([256, 128, 3, 3]), [2, 2], [1, 1, 1, 1], [1, 1]]);
    expect(formatOpParams(spec, paramsOfArgs(spec, args))).toBe('N=1,C=128,H=28,W=28,O=256,kernel=3,stride=2,pad=1');
    const c7 = { id: 'C7', op: 'conv2d', C: 128, H: 28, W: 28, O: 256, R: 3, stride: 2, pad: 1 };
    expect(opArgs(spec, checkOpParams(spec, paramsOfWorkload(spec, c7)))).toEqual(args);
    expect(createTask('conv2d_gemm.wasm', args as never, 'wasm').flop).toBe(2 * 256 * 14 * 14 * 128 * 9);
  });

  it('names the problem: groups ≠ 1, a weight that is not [O, C·KH·KW], a bad kernelSize, a non-OIHW workload weight', () => {
    const X = placeholder([1, 4, 8, 8], 'float32', 'X');
    const W = placeholder([6, 36], 'float32', 'W');
    expect(() => conv2dGemm(X, W, { kernelSize: [3, 3], groups: 2 })).toThrow(/^conv2dGemm: groups must be 1, got 2/);
    expect(() => conv2dGemm(X, placeholder([6, 35], 'float32', 'W35'), { kernelSize: [3, 3] })).toThrow(/^conv2dGemm: weight W35 \[6, 35\] is not \[O, C·KH·KW\] = \[6, 36\]/);
    expect(() => conv2dGemm(X, placeholder([6, 4, 3, 3], 'float32', 'W4'), { kernelSize: [3, 3] })).toThrow(/^conv2dGemm: weight W4 must be 2-D/);
    expect(() => conv2dGemm(X, W, { kernelSize: [3] as never })).toThrow(/^conv2dGemm: kernelSize must be \[KH, KW\]/);
    expect(() => conv2dGemm(X, W, { kernelSize: [3, 3], padding: [1, 1, 1] })).toThrow(/^conv2dGemm: padding must be/);
    expect(() => conv2dGemm(placeholder([1, 4, 2, 2], 'float32', 'X2'), W, { kernelSize: [3, 3] })).toThrow(/^conv2dGemm: output height would be 0/);
    expect(() => createTask('conv2d_gemm.wasm', [tensorArg([1, 4, 8, 8]), tensorArg([6, 36]), [1, 1], [0, 0, 0, 0], [1, 1]] as never, 'wasm')).toThrow(/conv2d_gemm: argument 1 must be the OIHW weight/);
  });
});
