// tests/ops/conv2d_transpose.test.ts — conv2d_transpose_nchw: sampled configs of its wasm and WebGPU templates
// (strides, asymmetric padding, output padding, dilation, groups, batch 2, 1-pixel input) against a JS
// ConvTranspose written in ONNX's scatter form, the tfjs-core conv2dTranspose where tfjs supports the case,
// and the named errors of bad arguments.

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { Rng } from '../../autotune/rng.js';
import { tensorArg } from '../../autotune/task.js';
import { conv2dTranspose } from '../../ops/nn/conv2d_transpose.js';
import { registerAll } from '../../ops/register.js';
import { placeholder } from '../../schedule/tensor.js';
import { convTOut, jsConv2dTranspose, mismatch, runConfig, seeded, type ConvTCase } from './reference.js';

const base = { N: 1, strides: [1, 1], padding: [0, 0, 0, 0], outputPadding: [0, 0], dilation: [1, 1], groups: 1 } as const;
const CASES: readonly ConvTCase[] = [
  { ...base, C: 5, H: 4, W: 5, O: 3, KH: 3, KW: 3, strides: [2, 2], padding: [1, 1, 1, 1], outputPadding: [1, 1] },
  { ...base, C: 3, H: 5, W: 3, O: 6, KH: 3, KW: 2, padding: [0, 1, 1, 0] },
  { ...base, C: 4, H: 3, W: 3, O: 4, KH: 3, KW: 3, dilation: [2, 2], padding: [1, 1, 1, 1] },
  { ...base, N: 2, C: 6, H: 3, W: 4, O: 4, KH: 2, KW: 2, strides: [2, 2], groups: 2 },
  { ...base, C: 2, H: 1, W: 1, O: 3, KH: 3, KW: 3, strides: [2, 2] },
  { ...base, C: 7, H: 4, W: 6, O: 5, KH: 1, KW: 1, strides: [3, 2], outputPadding: [2, 1] },
  { ...base, C: 3, H: 6, W: 5, O: 2, KH: 4, KW: 4, strides: [2, 2], padding: [1, 2, 2, 1] },
  { ...base, C: 8, H: 3, W: 3, O: 8, KH: 3, KW: 3, groups: 8, strides: [2, 2], padding: [1, 1, 1, 1], outputPadding: [1, 1] },
];

function argsOf(c: ConvTCase): unknown[] {
  return [tensorArg([c.N, c.C, c.H, c.W]), tensorArg([c.C, c.O / c.groups, c.KH, c.KW]), [...c.strides], [...c.padding], [...c.outputPadding], [...c.dilation], c.groups];
}

describe('conv2d_transpose templates', () => {
  const rng = new Rng(77);
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  it('the JS reference agrees with tfjs conv2dTranspose on a case tfjs supports (stride 2, padding "valid")', () => {
    const c: ConvTCase = { ...base, C: 3, H: 4, W: 5, O: 2, KH: 3, KW: 3, strides: [2, 2] };
    const x = seeded(c.C * c.H * c.W, 1);
    const w = seeded(c.C * c.O * 9, 2);
    const [OH, OW] = convTOut(c);
    const got = tf.tidy(() => {
      const X = tf.transpose(tf.tensor4d(x, [1, c.C, c.H, c.W]), [0, 2, 3, 1]) as tf.Tensor4D;
      const Wt = tf.transpose(tf.tensor4d(w, [c.C, c.O, 3, 3]), [2, 3, 1, 0]) as tf.Tensor4D; // [h, w, out, in]
      return tf.transpose(tf.conv2dTranspose(X, Wt, [1, OH, OW, c.O], 2, 'valid'), [0, 3, 1, 2]).dataSync() as Float32Array;
    });
    expect(mismatch(got, jsConv2dTranspose(x, w, c))).toBe(-1);
  });

  for (const target of ['wasm', 'webgpu']) {
    it(`conv2d_transpose_nchw.${target}: a sampled config per case matches the JS ConvTranspose`, async () => {
      let ran = 0;
      for (const c of CASES) {
        const index = rng.int(1 << 30);
        const x = seeded(c.N * c.C * c.H * c.W, index + 1);
        const w = seeded(c.C * (c.O / c.groups) * c.KH * c.KW, index + 2);
        const want = jsConv2dTranspose(x, w, c);
        const r = await runConfig(`conv2d_transpose_nchw.${target}`, argsOf(c) as never, target, index, [x, w]);
        if (!r.out) continue;
        ran++;
        const i = mismatch(r.out, want);
        expect(i, `${JSON.stringify(c)} config ${r.config}: y[${i}] = ${r.out[i]}, expected ${want[i]}`).toBe(-1);
      }
      expect(ran).toBeGreaterThanOrEqual(6);
    }, 300_000);
  }

  it('names the op and the problem for bad arguments', () => {
    const X = placeholder([1, 4, 5, 5], 'float32', 'X');
    const W = placeholder([4, 2, 3, 3], 'float32', 'W');
    expect(conv2dTranspose(X, W, { strides: 2, padding: [1, 1, 1, 1], outputPadding: 1 }).dims).toEqual([1, 2, 10, 10]);
    expect(() => conv2dTranspose(X, W, { groups: 3 })).toThrow(/^conv2dTranspose: channel count 4 is not divisible by groups 3/);
    expect(() => conv2dTranspose(X, W, { strides: 2, outputPadding: 2 })).toThrow(/^conv2dTranspose: outputPadding 2 on the height axis must be smaller than the stride 2/);
    expect(() => conv2dTranspose(X, W, { padding: [1, 1] as never as number[], strides: 1 })).not.toThrow();
    expect(() => conv2dTranspose(X, W, { padding: [1, 1, 1, 1, 1] })).toThrow(/^conv2dTranspose: padding must be \[top, left, bottom, right\]/);
    expect(() => conv2dTranspose(X, W, { padding: [4, 4, 4, 4] })).toThrow(/^conv2dTranspose: output height would be -1/);
    expect(() => conv2dTranspose(X, placeholder([3, 2, 3, 3], 'float32', 'W3'))).toThrow(/^conv2dTranspose: weight W3 has 3 input channels but data has 4/);
  });
});
