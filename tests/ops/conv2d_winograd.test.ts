// tests/ops/conv2d_winograd.test.ts — conv2d_winograd, F(2×2, 3×3): the transform matrices satisfy the
// defining identity, sampled configs of conv2d_winograd.wasm (odd sizes, asymmetric padding, batch 2,
// C not a multiple of 4, a 1-pixel image) match tfjs conv2d, with the weights transformed in the kernel or
// on the host (winogradWeightTransform, [16, O, C]), the fused epilogue works, bad uses are named.

import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { Rng } from '../../autotune/rng.js';
import { tensorArg } from '../../autotune/task.js';
import { scheduleAnchor, taskOf } from '../../ops/anchor.js';
import { createSchedule } from '../../schedule/schedule.js';
import { conv2dWinograd, planePad, winogradWeightTransform, WINOGRAD_AT, WINOGRAD_BT, WINOGRAD_G } from '../../ops/nn/conv2d_winograd.js';
import { registerAll } from '../../ops/register.js';
import { placeholder } from '../../schedule/tensor.js';
import { mismatch, runConfig, seeded, tfConv2d, type ConvCase } from './reference.js';

const base = { N: 1, KH: 3, KW: 3, strides: [1, 1], dilation: [1, 1], groups: 1 } as const;
const CASES: readonly ConvCase[] = [
  { ...base, C: 5, H: 7, W: 9, O: 6, padding: [1, 0, 2, 1] },
  { ...base, C: 8, H: 8, W: 8, O: 8, padding: [1, 1, 1, 1] },
  { ...base, N: 2, C: 3, H: 6, W: 5, O: 4, padding: [0, 0, 0, 0] },
  { ...base, C: 2, H: 1, W: 1, O: 3, padding: [1, 1, 1, 1] },
  { ...base, C: 16, H: 10, W: 12, O: 12, padding: [1, 1, 1, 1] },
  { ...base, C: 7, H: 5, W: 11, O: 9, padding: [2, 1, 0, 2] },
  { ...base, C: 4, H: 9, W: 4, O: 5, padding: [0, 1, 1, 0] },
  { ...base, C: 6, H: 14, W: 14, O: 16, padding: [1, 1, 1, 1] },
];

describe('conv2d_winograd F(2×2, 3×3)', () => {
  const rng = new Rng(5);
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  it('the matrices compute a 1-D correlation: Aᵀ[(G·g) ⊙ (Bᵀ·d)] = [d0g0+d1g1+d2g2, d1g0+d2g1+d3g2]', () => {
    const g = [0.3, -1.2, 2.5];
    const d = [1.5, -0.7, 0.25, 3];
    const Gg = WINOGRAD_G.map((r) => r.reduce((s, v, i) => s + v * g[i]!, 0));
    const Bd = WINOGRAD_BT.map((r) => r.reduce((s, v, i) => s + v * d[i]!, 0));
    const y = WINOGRAD_AT.map((r) => r.reduce((s, v, i) => s + v * Gg[i]! * Bd[i]!, 0));
    expect(y[0]).toBeCloseTo(d[0]! * g[0]! + d[1]! * g[1]! + d[2]! * g[2]!, 12);
    expect(y[1]).toBeCloseTo(d[1]! * g[0]! + d[2]! * g[1]! + d[3]! * g[2]!, 12);
  });

  /**
   * One sampled conv2d_winograd.wasm config per case against tfjs conv2d, half the cases with a fused bias → relu
   * (`epilogueOn` picks which parity): the weight passed raw [O, C, 3, 3], or transformed on the host first.
   */
  async function sampledCasesMatchTfjs(weights: 'raw' | 'transformed', epilogueOn: 0 | 1): Promise<void> {
    let ran = 0;
    for (const [k, c] of CASES.entries()) {
      const index = rng.int(1 << 30);
      const x = seeded(c.N * c.C * c.H * c.W, index + 1);
      const w = seeded(c.O * c.C * 9, index + 2);
      const conv = tfConv2d(x, w, c);
      const withEpilogue = k % 2 === epilogueOn;
      const bias = seeded(c.O, index + 3);
      const plane = conv.length / c.N / c.O;
      const want = withEpilogue ? conv.map((v, i) => Math.max(v + bias[Math.floor(i / plane) % c.O]!, 0)) : conv;
      const [wArg, wShape] = weights === 'raw' ? [w, [c.O, c.C, 3, 3]] : [winogradWeightTransform(w, [c.O, c.C, 3, 3]), [16, c.O, c.C]];
      const args = [tensorArg([c.N, c.C, c.H, c.W]), tensorArg(wShape), [...c.padding], ...(withEpilogue ? [['bias', 'relu']] : [])];
      const r = await runConfig('conv2d_winograd.wasm', args as never, 'wasm', index, withEpilogue ? [x, wArg, bias] : [x, wArg]);
      if (!r.out) continue;
      ran++;
      const i = mismatch(r.out, want, 1e-3);
      expect(i, `${JSON.stringify(c)} config ${r.config}: y[${i}] = ${r.out[i]}, expected ${want[i]}`).toBe(-1);
    }
    expect(ran).toBe(CASES.length);
  }

  it('conv2d_winograd.wasm: a sampled config per case (and the fused bias → relu) matches tfjs conv2d', async () => {
    await sampledCasesMatchTfjs('raw', 1);
  }, 300_000);

  it('planePad: the fewest extra rows that keep 16 planes of rows × P floats off a 512-byte stride', () => {
    expect(planePad(128, 200)).toBe(1); // C6: 128 × 200 × 4 B = 25 × 4 KiB
    expect(planePad(129, 200)).toBe(0);
    expect(planePad(64, 784)).toBe(1); // C2
    expect(planePad(3, 5)).toBe(0);
    for (const [rows, P] of [[128, 200], [256, 56], [512, 16], [64, 784], [8, 16], [7, 8]] as const) {
      const k = planePad(rows, P);
      expect(((rows + k) * P * 4) % 512, `${rows}×${P} + ${k}`).not.toBe(0);
      for (let j = 0; j < k; j++) expect(((rows + j) * P * 4) % 512).toBe(0);
    }
  });

  it('winogradWeightTransform equals G·g·Gᵀ per (o, c), laid out [ε·4 + ν, o, c]', () => {
    const O = 3, C = 2;
    const w = seeded(O * C * 9, 11);
    const u = winogradWeightTransform(w, [O, C, 3, 3]);
    expect(u.length).toBe(16 * O * C);
    for (let o = 0; o < O; o++) for (let c = 0; c < C; c++) for (let e = 0; e < 4; e++) for (let n = 0; n < 4; n++) {
      let want = 0;
      for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) want += WINOGRAD_G[e]![a]! * w[((o * C + c) * 3 + a) * 3 + b]! * WINOGRAD_G[n]![b]!;
      expect(u[((e * 4 + n) * O + o) * C + c]).toBeCloseTo(want, 5);
    }
    expect(() => winogradWeightTransform(w, [O, C, 5, 5])).toThrow(/^winogradWeightTransform: weight shape must be \[O, C, 3, 3\]/);
    expect(() => winogradWeightTransform(w.subarray(1), [O, C, 3, 3])).toThrow(/^winogradWeightTransform: 53 values for shape \[3, 2, 3, 3\] \(expected 54\)/);
  });

  it('conv2d_winograd.wasm with weights pre-transformed on the host ([16, O, C]): sampled configs match tfjs conv2d', async () => {
    await sampledCasesMatchTfjs('transformed', 0);
  }, 300_000);

  it('names the problem for a convolution it cannot do, and is an anchor with a wasm and a webgpu task', () => {
    const X = placeholder([1, 4, 8, 8], 'float32', 'X');
    expect(() => conv2dWinograd(X, placeholder([4, 4, 5, 5], 'float32', 'W5'))).toThrow(/^conv2dWinograd: F\(2×2, 3×3\) needs a 3×3 kernel, stride 1/);
    expect(() => conv2dWinograd(X, placeholder([4, 4, 3, 3], 'float32', 'W'), { strides: 2 })).toThrow(/^conv2dWinograd: .*strides \[2,2\]/);
    const Y = conv2dWinograd(X, placeholder([6, 4, 3, 3], 'float32', 'W6'), { padding: 1 });
    expect(Y.dims).toEqual([1, 6, 8, 8]);
    expect(taskOf(Y, 'wasm')).toEqual({ template: 'conv2d_winograd.wasm', args: [['TENSOR', [1, 4, 8, 8], 'float32'], ['TENSOR', [6, 4, 3, 3], 'float32'], [1, 1, 1, 1]] });
    expect(taskOf(Y, 'webgpu')?.template).toBe('conv2d_winograd.webgpu');
    const Yp = conv2dWinograd(X, placeholder([16, 6, 4], 'float32', 'U'), { padding: 1 });
    expect(Yp.dims).toEqual([1, 6, 8, 8]);
    expect(taskOf(Yp, 'wasm')).toEqual({ template: 'conv2d_winograd.wasm', args: [['TENSOR', [1, 4, 8, 8], 'float32'], ['TENSOR', [16, 6, 4], 'float32'], [1, 1, 1, 1]] });
    expect(() => conv2dWinograd(X, placeholder([16, 6, 5], 'float32', 'U5'))).toThrow(/^conv2dWinograd: a pre-transformed weight of F\(2×2, 3×3\) must be \[16, O, C\] with C = 4/);
    expect(() => conv2dWinograd(X, placeholder([9, 6, 4], 'float32', 'U9'))).toThrow(/^conv2dWinograd: a pre-transformed weight of F\(2×2, 3×3\) must be \[16, O, C\]/);
    expect(() => scheduleAnchor(createSchedule([Y]), Y, [Y], 'webgpu')).not.toThrow();
  });
});
