// tests/ops/conv2d_transpose_subpixel.test.ts — conv2d_transpose's sub-pixel (phase) form, dilation 1: the
// compute reads the undilated input with ⌈K/s⌉ taps per axis; its wasm default schedule vectorizes every
// phase along the width's quotient; and the default-scheduled op (and the dilation-2 fallback) matches the
// scatter-form plain-JS ConvTranspose (and tfjs-core's conv2dTranspose where tfjs has the case) across
// strides 1/2/3, kernels 1–5, a kernel smaller than the stride, asymmetric pads, output padding, groups 2,
// depthwise, channel counts 4 does not divide, a 1-pixel input and batch 2, on wasm (SIMD, no SIMD, 2 threads).

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { Rng } from '../../autotune/rng.js';
import { tensorArg } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';
import * as ops from '../../ops/index.js';
import * as te from '../../schedule/index.js';
import { print } from '../../tir/printer.js';
import { checkCases, input, type Case, type Input } from './ops_harness.js';
import { convTOut, jsConv2dTranspose, mismatch, runConfig, seeded, type ConvTCase } from './reference.js';

beforeAll(() => {
  registerAll();
  setTemplateWarningSink(() => undefined);
});

const base = { N: 1, strides: [2, 2], padding: [0, 0, 0, 0], outputPadding: [0, 0], dilation: [1, 1], groups: 1 } as const;
const CASES: readonly (ConvTCase & { name: string })[] = [
  { ...base, name: "det's 2×2 stride 2 (24→24 shrunk to 6→5)", C: 6, H: 5, W: 7, O: 5, KH: 2, KW: 2 },
  { ...base, name: '2×2 stride 2 to one channel', C: 7, H: 6, W: 9, O: 1, KH: 2, KW: 2 },
  { ...base, name: '3×3 stride 2 pad 1 output_padding 1', C: 5, H: 4, W: 5, O: 3, KH: 3, KW: 3, padding: [1, 1, 1, 1], outputPadding: [1, 1] },
  { ...base, name: '4×4 stride 2 asymmetric pads', C: 3, H: 6, W: 5, O: 6, KH: 4, KW: 4, padding: [1, 2, 2, 1] },
  { ...base, name: '5×5 stride 3 pads [2,0,1,3] output_padding [2,1]', C: 4, H: 4, W: 6, O: 3, KH: 5, KW: 5, strides: [3, 3], padding: [2, 0, 1, 3], outputPadding: [2, 1] },
  { ...base, name: '2×2 stride 3 (kernel < stride: gaps)', C: 3, H: 3, W: 4, O: 2, KH: 2, KW: 2, strides: [3, 3] },
  { ...base, name: '1×1 stride [3,2] output_padding [2,1]', C: 7, H: 4, W: 6, O: 5, KH: 1, KW: 1, strides: [3, 2], outputPadding: [2, 1] },
  { ...base, name: '3×2 stride 1 pads [0,1,1,0]', C: 3, H: 5, W: 3, O: 6, KH: 3, KW: 2, strides: [1, 1], padding: [0, 1, 1, 0] },
  { ...base, name: '3×3 stride [1,2] pad 1', C: 5, H: 5, W: 6, O: 7, KH: 3, KW: 3, strides: [1, 2], padding: [1, 1, 1, 1] },
  { ...base, name: 'groups 2, batch 2, 2×2 stride 2', N: 2, C: 6, H: 3, W: 4, O: 4, KH: 2, KW: 2, groups: 2 },
  { ...base, name: 'depthwise 3×3 stride 2 pad 1 output_padding 1', C: 8, H: 3, W: 3, O: 8, KH: 3, KW: 3, groups: 8, padding: [1, 1, 1, 1], outputPadding: [1, 1] },
  { ...base, name: '1-pixel input, 3×3 stride 2', C: 2, H: 1, W: 1, O: 3, KH: 3, KW: 3 },
  { ...base, name: 'dilation 2 (the dilated form)', C: 4, H: 3, W: 4, O: 4, KH: 3, KW: 3, strides: [2, 2], dilation: [2, 2], padding: [1, 1, 1, 1], outputPadding: [1, 0] },
  { ...base, name: 'dilation [2,1] groups 2 (the dilated form)', C: 4, H: 4, W: 3, O: 2, KH: 2, KW: 3, strides: [1, 2], dilation: [2, 1], groups: 2 },
];

function opts(c: ConvTCase): ops.Conv2dTransposeOptions {
  return { strides: [...c.strides], padding: [...c.padding], outputPadding: [...c.outputPadding], dilation: [...c.dilation], groups: c.groups };
}

function built(): { inputs: Input[]; cases: Case[] } {
  const inputs: Input[] = [];
  const cases = CASES.map((c, i) => {
    const x = input([c.N, c.C, c.H, c.W], 100 + 2 * i, `x${i}`);
    const w = input([c.C, c.O / c.groups, c.KH, c.KW], 101 + 2 * i, `w${i}`);
    inputs.push(x, w);
    const [OH, OW] = convTOut(c);
    return { name: c.name, out: ops.conv2dTranspose(x.t, w.t, opts(c)), want: jsConv2dTranspose(x.data as Float32Array, w.data as Float32Array, c), shape: [c.N, c.O, OH, OW], tol: 1e-4 };
  });
  return { inputs, cases };
}

describe('conv2dTranspose: the sub-pixel form', () => {
  it('reads the undilated input with ⌈K/s⌉ taps per axis (dilation 1); dilation 2 keeps the dilated input', () => {
    const X = te.placeholder([1, 4, 5, 5], 'float32', 'X');
    const W = te.placeholder([4, 3, 5, 4], 'float32', 'W');
    const Y = ops.conv2dTranspose(X, W, { strides: [2, 3], padding: [1, 0, 2, 1] });
    const op = Y.op as te.ComputeOp;
    expect(op.attrs['form']).toBe('subpixel');
    expect(op.reduceAxis.map((a) => (a.dom.extent as { value: number }).value)).toEqual([4, 3, 2]);
    expect(te.postOrderOps([Y]).map((o) => o.name)).not.toContain('data_dilate_pad');
    const D = ops.conv2dTranspose(X, W, { strides: 2, dilation: 2 });
    expect((D.op as te.ComputeOp).attrs['form']).toBe('dilated');
    expect(te.postOrderOps([D]).map((o) => o.name)).toContain('data_dilate_pad');
  });

  it("wasm default: det's 2×2 stride-2 shapes vectorized in every phase, no loop left scalar, no dilated copy", () => {
    for (const [C, H, W, O] of [[24, 8, 8, 24], [24, 16, 16, 1], [5, 6, 12, 3]] as const) {
      const X = te.placeholder([1, C, H, W], 'float32', 'X');
      const Wt = te.placeholder([C, O, 2, 2], 'float32', 'W');
      const Y = ops.relu(ops.conv2dTranspose(X, Wt, { strides: 2 }));
      const text = print(te.lower(ops.defaultSchedule([Y], 'wasm -threads=2'), [X, Wt, Y], { name: 'ct' }));
      expect(text, `${C}→${O} at ${H}×${W}`).not.toContain('vectorize_failed');
      expect(text).not.toContain('data_dilate_pad');
      // The input read as contiguous vectors along the width's quotient, the output stored at stride 2.
      expect(text).toMatch(/X\[ramp\([^\]]*, 1, (8|4)\)\]/);
      expect(text).toMatch(/compute\[ramp\([^\]]*, 2, (8|4)\)\] =|T_relu\[ramp\([^\]]*, 2, (8|4)\)\] =/);
      expect(text).toContain('# parallel');
    }
  });

  it('the JS reference agrees with tfjs conv2dTranspose (2×2 stride 2, 3×3 stride 2 "same", batch 2)', () => {
    for (const [c, pad] of [
      [{ ...base, N: 2, C: 3, H: 4, W: 5, O: 2, KH: 2, KW: 2 }, 'valid'],
      [{ ...base, C: 3, H: 4, W: 4, O: 5, KH: 3, KW: 3, padding: [0, 0, 1, 1] }, 'same'],
    ] as const) {
      const x = Float32Array.from({ length: c.N * c.C * c.H * c.W }, (_, i) => Math.sin(i));
      const w = Float32Array.from({ length: c.C * c.O * c.KH * c.KW }, (_, i) => Math.cos(i));
      const [OH, OW] = convTOut(c);
      const got = tf.tidy(() => {
        const X = tf.transpose(tf.tensor4d(x, [c.N, c.C, c.H, c.W]), [0, 2, 3, 1]) as tf.Tensor4D;
        const Wt = tf.transpose(tf.tensor4d(w, [c.C, c.O, c.KH, c.KW]), [2, 3, 1, 0]) as tf.Tensor4D;
        return tf.transpose(tf.conv2dTranspose(X, Wt, [c.N, OH, OW, c.O], 2, pad), [0, 3, 1, 2]).dataSync() as Float32Array;
      });
      const want = jsConv2dTranspose(x, w, c);
      expect(got.length).toBe(want.length);
      got.forEach((g, i) => expect(Math.abs(g - want[i]!), `${pad} element ${i}`).toBeLessThan(1e-4));
    }
  });

  it.each(['wasm', 'wasm -simd=0', 'wasm -threads=2'])('default-scheduled, matches the plain-JS ConvTranspose on %s', async (target) => {
    const { inputs, cases } = built();
    await checkCases(target, inputs, cases);
  }, 300_000);

  it('conv2d_transpose_nchw.wasm: sampled configs of the sub-pixel schedule (vec along width or channels, tiles the stride does not divide, no SIMD) match', async () => {
    const rng = new Rng(1414);
    let ran = 0;
    let phased = 0;
    for (const c of [CASES[0]!, CASES[2]!, CASES[4]!, CASES[5]!, CASES[8]!, CASES[9]!, CASES[10]!]) {
      const args = [tensorArg([c.N, c.C, c.H, c.W]), tensorArg([c.C, c.O / c.groups, c.KH, c.KW]), [...c.strides], [...c.padding], [...c.outputPadding], [...c.dilation], c.groups];
      for (let k = 0; k < 5; k++) {
        const index = rng.int(1 << 30);
        const x = seeded(c.N * c.C * c.H * c.W, index + 1);
        const w = seeded(c.C * (c.O / c.groups) * c.KH * c.KW, index + 2);
        const r = await runConfig('conv2d_transpose_nchw.wasm', args as never, 'wasm', index, [x, w]);
        if (!r.out) continue;
        ran++;
        // A config whose width tile the stride divides takes the phase split (the sub-pixel schedule proper).
        const owTile = /"tile_ow","sp",\[-1,(\d+)\]/.exec(r.config);
        if (owTile && Number(owTile[1]) % c.strides[1] === 0 && c.strides[1] > 1) phased++;
        const i = mismatch(r.out, jsConv2dTranspose(x, w, c));
        expect(i, `${c.name} config ${r.config}: y[${i}]`).toBe(-1);
      }
    }
    expect(ran).toBeGreaterThanOrEqual(25);
    expect(phased).toBeGreaterThanOrEqual(5);
  }, 300_000);
});
