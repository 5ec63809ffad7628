// tests/ops/depthwise_nchwc.test.ts — depthwise_conv2d_NCHWc (packed NCHW[x]c, TVM x86 layout): sampled configs of
// the depthwise_conv2d_NCHWc.wasm template on shapes no knob divides (stride 2, asymmetric padding, dilation, a
// 1-pixel image, batch 2, channel blocks 8/4/2/1) match tfjs-core's CPU depthwiseConv2d, packed on the host; the
// untuned default through scheduleAnchor (with a fused bias → relu6, and packData/unpackOutput around it) matches
// too; relaxed-SIMD builds emit f32x4.relaxed_madd; bad arguments get named errors.

import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { Rng } from '../../autotune/rng.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import { scheduleAnchor, taskOf } from '../../ops/anchor.js';
import { packData, unpackOutput } from '../../ops/nn/conv2d_nchwc.js';
import { depthwiseConv2dNCHWc, packDepthwiseWeights } from '../../ops/nn/depthwise_conv2d_nchwc.js';
import { registerAll } from '../../ops/register.js';
import { depthwiseNCHWcDefaultTileOW } from '../../ops/templates/depthwise_nchwc_wasm.js';
import { compile } from '../../codegen/compile.js';
import { build } from '../../runtime/build.js';
import { array } from '../../runtime/ndarray.js';
import { constValue } from '../../schedule/expr.js';
import { lower } from '../../schedule/lower.js';
import { createSchedule } from '../../schedule/schedule.js';
import { compute, placeholder } from '../../schedule/tensor.js';
import type { WorkloadArg } from '../../tuning-logs/workload_key.js';
import { convOut, mismatch, runConfig, packHost, seeded, tfConv2d, type ConvCase } from './reference.js';

/** [C, 1, KH, KW] → [C/b, 1, KH, KW, 1, b] by index arithmetic on the packed side (independent of packDepthwiseWeights). */
function packWeightsHost(w: Float32Array, C: number, KH: number, KW: number, b: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let c = 0; c < C; c++) for (let y = 0; y < KH; y++) for (let x = 0; x < KW; x++) {
    out[(((Math.floor(c / b) * KH + y) * KW + x) * b) + (c % b)] = w[(c * KH + y) * KW + x]!;
  }
  return out;
}

interface DwCase extends ConvCase { readonly b: number }
const dw = (c: Omit<DwCase, 'O' | 'groups' | 'N' | 'strides' | 'padding' | 'dilation'> & Partial<DwCase>): DwCase =>
  ({ N: 1, strides: [1, 1], padding: [0, 0, 0, 0], dilation: [1, 1], ...c, O: c.C, groups: c.C });

/** Shapes no tile_ow (≤ 16, powers of two and divisors) or tile_oh (≤ 4) divides, and the odd cases. */
const CASES: readonly DwCase[] = [
  dw({ C: 8, H: 7, W: 9, KH: 3, KW: 3, b: 4, padding: [1, 0, 2, 1] }),
  dw({ C: 12, H: 11, W: 13, KH: 3, KW: 3, b: 4, strides: [2, 2], padding: [1, 1, 1, 1] }),
  dw({ C: 8, H: 9, W: 11, KH: 3, KW: 3, b: 8, dilation: [2, 2], padding: [2, 2, 2, 2] }),
  dw({ C: 4, H: 1, W: 1, KH: 3, KW: 3, b: 4, padding: [1, 1, 1, 1] }),
  dw({ N: 2, C: 16, H: 5, W: 7, KH: 3, KW: 2, b: 8, padding: [0, 1, 1, 0] }),
  dw({ C: 6, H: 8, W: 10, KH: 3, KW: 3, b: 2, strides: [2, 1], padding: [1, 1, 1, 1] }),
  dw({ C: 5, H: 6, W: 5, KH: 5, KW: 5, b: 1, padding: [2, 2, 2, 2] }),
  dw({ C: 8, H: 13, W: 19, KH: 3, KW: 3, b: 4, strides: [2, 2], padding: [0, 0, 1, 1] }),
  dw({ C: 4, H: 6, W: 3, KH: 1, KW: 1, b: 4 }),
];

function argsOf(c: DwCase): WorkloadArg[] {
  return [tensorArg([c.N, c.C / c.b, c.H, c.W, c.b]), tensorArg([c.C / c.b, 1, c.KH, c.KW, 1, c.b]), [...c.strides], [...c.padding], [...c.dilation]];
}

describe('depthwise_conv2d_NCHWc', () => {
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  it('the host weight packing puts W[c, 0, y, x] at [c/b, 0, y, x, 0, c%b]', () => {
    const w = seeded(12 * 3 * 2, 5);
    expect(packDepthwiseWeights(w, [12, 1, 3, 2], 4)).toEqual(packWeightsHost(w, 12, 3, 2, 4));
    expect(packDepthwiseWeights(w, [12, 1, 3, 2], 1)).toEqual(w);
  });

  it('depthwise_conv2d_NCHWc.wasm: 36 sampled configs (4 per case) match tfjs depthwiseConv2d, packed on the host', async () => {
    const rng = new Rng(47);
    let ran = 0;
    for (const c of CASES) {
      const x = seeded(c.N * c.C * c.H * c.W, ran + 1);
      const w = seeded(c.C * c.KH * c.KW, ran + 2);
      const [OH, OW] = convOut(c);
      const want = packHost(tfConv2d(x, w, c), [c.N, c.C, OH, OW], c.b);
      const inputs = [packHost(x, [c.N, c.C, c.H, c.W], c.b), packWeightsHost(w, c.C, c.KH, c.KW, c.b)];
      for (let k = 0; k < 4; k++) {
        const r = await runConfig('depthwise_conv2d_NCHWc.wasm', argsOf(c), 'wasm', rng.int(1 << 30), inputs);
        expect(r.out, `${JSON.stringify(c)}: config ${r.config} was not built`).toBeDefined();
        ran++;
        const i = mismatch(r.out!, want);
        expect(i, `${JSON.stringify(c)} config ${r.config}: y[${i}] = ${r.out![i]}, expected ${want[i]}`).toBe(-1);
      }
    }
    expect(ran).toBe(36);
  }, 600_000);

  it('a sampled config with the fused bias → relu6 epilogue (the template arg) matches tfjs', async () => {
    const c = CASES[1]!;
    const x = seeded(c.N * c.C * c.H * c.W, 3);
    const w = seeded(c.C * 9, 4);
    const bias = seeded(c.C, 5).map((v) => 4 * v);
    const [OH, OW] = convOut(c);
    const y = tfConv2d(x, w, c).map((v, i) => Math.min(6, Math.max(0, v + bias[Math.floor(i / (OH * OW)) % c.C]!)));
    const want = packHost(y, [c.N, c.C, OH, OW], c.b);
    const r = await runConfig('depthwise_conv2d_NCHWc.wasm', [...argsOf(c), ['bias', 'relu6']], 'wasm', 12345,
      [packHost(x, [c.N, c.C, c.H, c.W], c.b), packWeightsHost(w, c.C, 3, 3, c.b), bias]);
    const i = mismatch(r.out!, want);
    expect(i, `config ${r.config}: y[${i}] = ${r.out![i]}, expected ${want[i]}`).toBe(-1);
  }, 120_000);

  it('the untuned default via scheduleAnchor (packData → conv → bias → relu6, unpackOutput) matches tfjs on MobileNet-like odd shapes', async () => {
    // OW 7 (a tail tile of 4 + 3), OW 3 (2 + 1), stride 2 (OW 6), one pixel.
    for (const c of [
      dw({ C: 16, H: 7, W: 7, KH: 3, KW: 3, b: 4, padding: [1, 1, 1, 1] }),
      dw({ C: 8, H: 5, W: 3, KH: 3, KW: 3, b: 4, padding: [1, 1, 1, 1] }),
      dw({ N: 2, C: 8, H: 12, W: 12, KH: 3, KW: 3, b: 4, strides: [2, 2], padding: [1, 1, 1, 1] }),
      dw({ C: 8, H: 1, W: 1, KH: 3, KW: 3, b: 8, padding: [1, 1, 1, 1] }),
    ]) {
      const X = placeholder([c.N, c.C, c.H, c.W], 'float32', 'X');
      const Wp = placeholder([c.C / c.b, 1, 3, 3, 1, c.b], 'float32', 'Wp');
      const B = placeholder([c.C / c.b, c.b], 'float32', 'B');
      const Yp = depthwiseConv2dNCHWc(packData(X, c.b), Wp, { strides: c.strides, padding: c.padding });
      const act = compute(Yp.dims, (n, cb, y, x, ci) => Yp.at(n, cb, y, x, ci).add(B.at(cb, ci)).max(constValue(0)).min(constValue(6)), 'bias_relu6', { tag: 'elemwise' });
      const Y = unpackOutput(act);
      expect(taskOf(Yp, 'wasm')?.template).toBe('depthwise_conv2d_NCHWc.wasm');
      const s = createSchedule([Y]);
      scheduleAnchor(s, Yp, [Y], 'wasm');
      s.stage(act).computeInline();
      const x = seeded(c.N * c.C * c.H * c.W, 7);
      const w = seeded(c.C * 9, 8);
      const bias = seeded(c.C, 9);
      const [OH, OW] = convOut(c);
      const want = tfConv2d(x, w, c).map((v, i) => Math.min(6, Math.max(0, v + bias[Math.floor(i / (OH * OW)) % c.C]!)));
      const mod = await build(lower(s, [X, Wp, B, Y], { name: 'dw_nchwc' }), 'wasm');
      const arrs = [array(x, [...X.dims]), array(packDepthwiseWeights(w, [c.C, 1, 3, 3], c.b), [...Wp.dims]), array(packHost(bias, [1, c.C, 1, 1], c.b), [...B.dims]), array(new Float32Array(want.length).fill(Number.NaN), [...Y.dims])];
      await mod.run(...arrs);
      const got = arrs[3]!.toArray() as Float32Array;
      const i = mismatch(got, want);
      expect(i, `${JSON.stringify(c)}: y[${i}] = ${got[i]}, expected ${want[i]}`).toBe(-1);
      arrs.forEach((a) => a.free());
      mod.dispose();
    }
  }, 300_000);

  it('the default tile: ≤ 4 accumulator vectors in a row, a power of two within the width', () => {
    expect([112, 56, 7, 3, 2, 1].map((ow) => depthwiseNCHWcDefaultTileOW(ow, 4))).toEqual([4, 4, 4, 2, 2, 1]);
    expect([depthwiseNCHWcDefaultTileOW(56, 8), depthwiseNCHWcDefaultTileOW(56, 16), depthwiseNCHWcDefaultTileOW(56, 1)]).toEqual([2, 1, 4]);
  });

  it('-relaxed-simd=1 builds the taps as f32x4.relaxed_madd', async () => {
    // f32x4.relaxed_madd: prefix 0xfd, LEB128 opcode 0x105 (0x85 0x02).
    const madds = (b: Uint8Array): number => b.filter((v, i) => v === 0xfd && b[i + 1] === 0x85 && b[i + 2] === 0x02).length;
    const counts: number[] = [];
    for (const target of ['wasm -relaxed-simd=1 -threads=1', 'wasm -threads=1']) {
      const Xp = placeholder([1, 2, 7, 9, 4], 'float32', 'Xp');
      const Wp = placeholder([2, 1, 3, 3, 1, 4], 'float32', 'Wp');
      const Y = depthwiseConv2dNCHWc(Xp, Wp, { padding: 1 });
      const s = createSchedule([Y]);
      scheduleAnchor(s, Y, [Y], target);
      counts.push(madds((await compile(lower(s, [Xp, Wp, Y], { name: 'dw_relaxed' }), target)).bytes));
    }
    expect(counts[0]).toBeGreaterThanOrEqual(9);
    expect(counts[1]).toBe(0);
  }, 120_000);

  it('names the op and the problem for bad arguments', () => {
    const Xp = placeholder([1, 2, 5, 5, 4], 'float32', 'Xp');
    const W = (dims: number[], name = 'Wp') => placeholder(dims, 'float32', name);
    expect(() => depthwiseConv2dNCHWc(Xp, W([2, 1, 3, 3, 1, 8]))).toThrow(/^depthwiseConv2dNCHWc: data has 2×4 channel blocks but the weight Wp has 2×8/);
    expect(() => depthwiseConv2dNCHWc(Xp, W([4, 1, 3, 3, 1, 4]))).toThrow(/^depthwiseConv2dNCHWc: data has 2×4 channel blocks but the weight Wp has 4×4/);
    expect(() => depthwiseConv2dNCHWc(Xp, W([2, 1, 3, 3, 2, 4]))).toThrow(/^depthwiseConv2dNCHWc: weight Wp must be \[C\/b, 1, KH, KW, 1, b\] \(channel multiplier 1\)/);
    expect(() => depthwiseConv2dNCHWc(Xp, W([2, 1, 3, 3, 4]))).toThrow(/^depthwiseConv2dNCHWc: weight Wp must be 6-D/);
    expect(() => depthwiseConv2dNCHWc(placeholder([1, 8, 5, 5], 'float32', 'X'), W([2, 1, 3, 3, 1, 4]))).toThrow(/^depthwiseConv2dNCHWc: data X must be 5-D \(NCHW\[x\]c\)/);
    expect(() => depthwiseConv2dNCHWc(Xp, W([2, 1, 3, 3, 1, 4]), { padding: [1, 1, 1] })).toThrow(/^depthwiseConv2dNCHWc: padding must be/);
    expect(() => depthwiseConv2dNCHWc(Xp, W([2, 1, 7, 7, 1, 4]))).toThrow(/^depthwiseConv2dNCHWc: output height would be -1/);
    expect(() => depthwiseConv2dNCHWc(Xp, W([2, 1, 3, 3, 1, 4]), { strides: 0 })).toThrow(/^depthwiseConv2dNCHWc: strides must be integers ≥ 1/);
    // C not a multiple of the block: the packing refuses it (pick a block that divides C: 2 or 1 for C = 6).
    expect(() => packData(placeholder([1, 6, 4, 4], 'float32', 'X'), 4)).toThrow(/^packData: channel count 6 is not divisible by the block 4/);
    expect(() => packDepthwiseWeights(new Float32Array(54), [6, 1, 3, 3], 4)).toThrow(/^packDepthwiseWeights: channel count 6 is not divisible by the block 4/);
    expect(() => packDepthwiseWeights(new Float32Array(108), [12, 2, 3, 3], 4)).toThrow(/^packDepthwiseWeights: the weight must be \[C, 1, KH, KW\] \(channel multiplier 1\)/);
    expect(() => packDepthwiseWeights(new Float32Array(10), [4, 1, 3, 3], 4)).toThrow(/^packDepthwiseWeights: 10 values for shape \[4, 1, 3, 3\]/);
    // No webgpu template: taskOf has none and scheduleAnchor says so.
    const Y = depthwiseConv2dNCHWc(Xp, W([2, 1, 3, 3, 1, 4]), { padding: 1 });
    expect(taskOf(Y, 'webgpu')).toBeUndefined();
    expect(() => scheduleAnchor(createSchedule([Y]), Y, [Y], 'webgpu')).toThrow(/^scheduleAnchor: depthwise_conv2d_NCHWc \(depthwise_conv2d_NCHWc\) has no webgpu template/);
    // The template's args: an unknown epilogue step and a stray extra arg are named.
    expect(() => createTask('depthwise_conv2d_NCHWc.wasm', [...argsOf(CASES[0]!), ['bias', 'swish']], 'wasm')).toThrow(/epilogue step "swish" is unknown/);
    expect(() => createTask('depthwise_conv2d_NCHWc.wasm', [...argsOf(CASES[0]!), [], 1], 'wasm')).toThrow(/depthwise_conv2d_NCHWc.wasm: 2 extra args/);
  });
});
