// tests/ops/conv2d_winograd_m4.test.ts — Winograd F(4×4, 3×3) (conv2dWinograd tileSize 4, task conv2d_winograd_m4.wasm):
// the Toom-Cook matrices compute a correlation, the host weight transform is G·g·Gᵀ laid out [36, O, C], and the
// default and sampled configs match a float64 direct convolution in plain JS on shapes no 4×4 tile divides (H, W not
// multiples of 4, odd C, O not a multiple of 4, 1×1 and 2×2 images, batch 2, asymmetric padding), with the weights
// transformed in the kernel or on the host and the fused bias → relu → residual add; bad uses are named.
// Tolerance: |y − ref| ≤ 4e-6·Σ|x·w| + 1e-6·|ref| + 1e-6 per output; bench/winograd_accuracy.ts measured at most
// 9.7e-7·Σ|x·w| for F(4×4) on C2, C6, C9 and C12 (F(2×2): 1.2e-7; the direct kernel 2.4e-7), so a 4× margin.

import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { Rng } from '../../autotune/rng.js';
import { createTask } from '../../autotune/task.js';
import { taskOf } from '../../ops/anchor.js';
import { conv2dWinograd, winogradMatrices, winogradWeightTransform, WINOGRAD_F4_POINTS } from '../../ops/nn/conv2d_winograd.js';
import { toomCookMatrices } from '../../ops/nn/winograd_matrices.js';
import { registerAll } from '../../ops/register.js';
import { placeholder } from '../../schedule/tensor.js';
import { runConfig, seeded } from './reference.js';
import { offBy, ODD_CASES as CASES, winogradCaseRun } from './winograd_reference.js';

describe('conv2d_winograd_m4: F(4×4, 3×3)', () => {
  const rng = new Rng(17);
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  it("TVM's points 0, −1, 1, ½, −2 (and ∞) give matrices that compute a 1-D correlation of 4 outputs", () => {
    expect(WINOGRAD_F4_POINTS).toEqual([0, -1, 1, 0.5, -2]);
    const { G, BT, AT } = winogradMatrices(4);
    expect([G.length, G[0]!.length, BT.length, BT[0]!.length, AT.length, AT[0]!.length]).toEqual([6, 3, 6, 6, 4, 6]);
    const g = [0.3, -1.2, 2.5];
    for (const d of [[1.5, -0.7, 0.25, 3, -2, 0.5], [0, 1, 0, 0, 0, 0], [0, 0, 0, 0, 0, 1]]) {
      const Gg = G.map((r) => r.reduce((s, v, i) => s + v * g[i]!, 0));
      const Bd = BT.map((r) => r.reduce((s, v, i) => s + v * d[i]!, 0));
      const y = AT.map((r) => r.reduce((s, v, i) => s + v * Gg[i]! * Bd[i]!, 0));
      for (let i = 0; i < 4; i++) expect(y[i]).toBeCloseTo(d[i]! * g[0]! + d[i + 1]! * g[1]! + d[i + 2]! * g[2]!, 12);
    }
    // Lavin & Gray's F(2×2, 3×3) is the same construction on 0, 1, −1 (up to the signs of rows ε = 0 and ∞).
    const f2 = toomCookMatrices([0, 1, -1], 2, 3);
    expect(f2.AT[0]).toEqual(winogradMatrices(2).AT[0]);
    expect(f2.BT[1]).toEqual(winogradMatrices(2).BT[1]);
    expect(f2.G[1]).toEqual(winogradMatrices(2).G[1]);
  });

  it('names a tile size or point set it cannot take', () => {
    expect(() => winogradMatrices(3)).toThrow(/^winogradMatrices: tile size 3 is not supported/);
    expect(() => toomCookMatrices([0, 1], 4, 3)).toThrow(/^toomCookMatrices: F\(4, 3\) needs 5 finite points, got 2/);
    expect(() => toomCookMatrices([0, 1, 1], 2, 3)).toThrow(/^toomCookMatrices: the points must differ/);
    const X = placeholder([1, 4, 8, 8], 'float32', 'X');
    expect(() => conv2dWinograd(X, placeholder([4, 4, 3, 3], 'float32', 'W'), { tileSize: 3 as 4 })).toThrow(/^conv2dWinograd: tileSize must be 2 .* or 4 .*, got 3/);
    expect(() => conv2dWinograd(X, placeholder([16, 6, 4], 'float32', 'U'), { tileSize: 4 })).toThrow(/^conv2dWinograd: a pre-transformed weight of F\(4×4, 3×3\) must be \[36, O, C\] with C = 4/);
    expect(() => conv2dWinograd(X, placeholder([4, 4, 3, 3], 'float32', 'W'), { tileSize: 4, strides: 2 })).toThrow(/^conv2dWinograd: F\(4×4, 3×3\) needs a 3×3 kernel, stride 1/);
    expect(() => winogradWeightTransform(new Float32Array(9), [1, 1, 3, 3], 3 as 4)).toThrow(/^winogradWeightTransform: tileSize must be 2/);
  });

  it('winogradWeightTransform(w, shape, 4) equals G·g·Gᵀ per (o, c), laid out [ε·6 + ν, o, c]', () => {
    const O = 3, C = 2;
    const w = seeded(O * C * 9, 21);
    const u = winogradWeightTransform(w, [O, C, 3, 3], 4);
    const { G } = winogradMatrices(4);
    expect(u.length).toBe(36 * O * C);
    for (let o = 0; o < O; o++) for (let c = 0; c < C; c++) for (let e = 0; e < 6; e++) for (let n = 0; n < 6; n++) {
      let want = 0;
      for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) want += G[e]![a]! * w[((o * C + c) * 3 + a) * 3 + b]! * G[n]![b]!;
      expect(u[((e * 6 + n) * O + o) * C + c]).toBeCloseTo(want, 5);
    }
  });

  it('is an anchor with a wasm task of its own (conv2d_winograd_m4.wasm) and none on webgpu', () => {
    const X = placeholder([1, 4, 8, 8], 'float32', 'X');
    const Y = conv2dWinograd(X, placeholder([36, 6, 4], 'float32', 'U'), { padding: 1, tileSize: 4 });
    expect(Y.dims).toEqual([1, 6, 8, 8]);
    expect(taskOf(Y, 'wasm')).toEqual({ template: 'conv2d_winograd_m4.wasm', args: [['TENSOR', [1, 4, 8, 8], 'float32'], ['TENSOR', [36, 6, 4], 'float32'], [1, 1, 1, 1]] });
    expect(taskOf(Y, 'webgpu')).toBeUndefined();
    const Y2 = conv2dWinograd(X, placeholder([16, 6, 4], 'float32', 'U'), { padding: 1 });
    expect(taskOf(Y2, 'wasm')?.template).toBe('conv2d_winograd.wasm');
  });

  /**
   * Config `pick(task)` of conv2d_winograd_m4.wasm per case against the float64 direct conv: weights raw or transformed
   * on the host by case parity `hostOn`, the fused bias → relu → residual add on the cases of parity `epilogueOn`.
   */
  async function casesMatch(pick: (len: number, dflt: number) => number, hostOn: 0 | 1, epilogueOn: 0 | 1): Promise<void> {
    let ran = 0;
    for (const [k, c] of CASES.entries()) {
      const seed = rng.int(1 << 30);
      const { args, inputs, want, scale, host } = winogradCaseRun(c, k, seed, 4, hostOn, epilogueOn);
      const task = createTask('conv2d_winograd_m4.wasm', args as never, 'wasm');
      const index = pick(task.space.length, task.defaultConfig!()!.index);
      const r = await runConfig('conv2d_winograd_m4.wasm', args as never, 'wasm', index, inputs);
      if (!r.out) continue;
      ran++;
      const i = offBy(r.out, want, scale);
      expect(i, `${JSON.stringify(c)} ${host ? 'host' : 'raw'} weights, config ${r.config}: y[${i}] = ${r.out[i]}, expected ${want[i]}`).toBe(-1);
    }
    expect(ran).toBe(CASES.length);
  }

  it('the default config matches a float64 direct conv on every case (weights on the host or raw, with and without bias → relu → residual)', async () => {
    await casesMatch((_len, dflt) => dflt, 0, 1);
  }, 300_000);

  it('a sampled config per case matches a float64 direct conv (the other halves of weights and epilogue)', async () => {
    await casesMatch((len) => rng.int(len), 1, 0);
  }, 300_000);
});
