// tests/ops/conv2d_gemm_nchwc.test.ts — conv2d_gemm_NCHWc (im2col rows of an image's OH·OW pixels × the packed weight's
// panels, output NCHW{ocb}c): the untuned default and sampled configs of conv2d_gemm_NCHWc.wasm match tfjs conv2d (or
// the plain-JS scatter reference), packed on the host by the test's own loops, on odd shapes — stride 2, C·KH·KW not a
// multiple of 4, O blocks of 8, 4, 2, 1 (O not a multiple of the f32x4), pixel counts the row tile does not divide, a
// 1-pixel image, 1-pixel rows, asymmetric padding, dilation 2, batch 2, an unstrided 1×1 — with bias → relu → residual
// fused in NCHWc; configs whose row tiles span several output rows and whose im2col blocks do not divide the tile
// count; the workload round-trips.

import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { Rng } from '../../autotune/rng.js';
import type { ConfigEntity } from '../../autotune/space.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import { scheduleAnchor, taskOf } from '../../ops/anchor.js';
import { conv2dGemmNCHWc } from '../../ops/nn/conv2d_gemm_nchwc.js';
import { checkOpParams, formatOpParams, opArgs, opSpec, paramsOfArgs, paramsOfWorkload, parseOpParams } from '../../ops/op_params.js';
import { registerAll } from '../../ops/register.js';
import { createSchedule } from '../../schedule/schedule.js';
import { placeholder } from '../../schedule/tensor.js';
import { convOut, jsConv2d, mismatch, packHost, runConfig, seeded, tfConv2d, type ConvCase } from './reference.js';

type Case = ConvCase & { readonly icb: number; readonly ocb: number };
const base = { N: 1, KH: 3, KW: 3, strides: [1, 1], dilation: [1, 1], groups: 1 } as const;
const CASES: readonly Case[] = [
  // C7's kind, scaled down: 3×3 stride 2 pad 1, 14² → 7² (7 pixels a row: a row tile of 4 leaves a partial one).
  { ...base, C: 16, H: 14, W: 14, O: 16, strides: [2, 2], padding: [1, 1, 1, 1], icb: 8, ocb: 8 },
  // C·KH·KW = 45 (icb 1), odd width, asymmetric padding, O = 6 in blocks of 2 (no whole f32x4).
  { ...base, C: 5, H: 7, W: 9, O: 6, padding: [1, 0, 2, 1], icb: 1, ocb: 2 },
  // A 1-pixel image, 3 channels (icb 1) → 5 outputs (ocb 1).
  { ...base, C: 3, H: 1, W: 1, O: 5, padding: [1, 1, 1, 1], icb: 1, ocb: 1 },
  // Dilation 2, stride 2 on one axis, odd W, icb 4 into ocb 4 with O = 12 (3 blocks).
  { ...base, C: 4, H: 11, W: 13, O: 12, strides: [1, 2], dilation: [2, 2], padding: [2, 2, 2, 2], icb: 4, ocb: 4 },
  // Batch 2, 1×1 kernel with stride 2 (ResNet's downsample), no padding; icb 2, ocb 8.
  { ...base, N: 2, C: 6, H: 9, W: 7, O: 24, KH: 1, KW: 1, strides: [2, 2], padding: [0, 0, 0, 0], icb: 2, ocb: 8 },
  // 7×7 stride 2 (C1's kind) on 3 channels, 17 wide.
  { ...base, C: 3, H: 15, W: 17, O: 8, KH: 7, KW: 7, strides: [2, 2], padding: [3, 3, 3, 3], icb: 1, ocb: 8 },
  // A 5×3 kernel, padding on one side only, icb 4 → ocb 2.
  { ...base, C: 8, H: 8, W: 6, O: 10, KH: 5, KW: 3, padding: [0, 2, 4, 0], icb: 4, ocb: 2 },
  // Rows of 1 pixel (7 × 1 out): a row tile spans several rows.
  { ...base, C: 8, H: 9, W: 3, O: 8, padding: [0, 0, 0, 0], icb: 8, ocb: 8 },
  // An unstrided 1×1 (C3's kind) on 7 × 9: 63 pixels.
  { ...base, C: 16, H: 7, W: 9, O: 16, KH: 1, KW: 1, padding: [0, 0, 0, 0], icb: 8, ocb: 8 },
];

/**
 * Configs of case `c` whose row tiles span rows: tile_y the largest power of 2 up to 16 within OH·OW (more than OW
 * pixels but for the widest cases), im2col 'block' with a block of tiles that does not divide the tile count where one
 * of 4, 2, 8, 16 does not (so the last block is partial), or 'root'.
 */
function spanning(c: Case, at: 'block' | 'root'): (e: ConfigEntity) => boolean {
  const [OH, OW] = convOut(c);
  const P = OH * OW;
  const ty = 2 ** Math.floor(Math.log2(Math.min(P, 16)));
  const tiles = Math.ceil(P / ty);
  const block = [4, 2, 8, 16].find((b) => tiles % b !== 0) ?? 2;
  return (e) => e.getSplit('tile_y').size[1] === ty && e.getKnob('im2col_at').val === at && (at === 'root' || e.getKnob('im2col_block').val === block);
}

/** OIHW [O, C, KH, KW] → [O/ocb, C/icb, KH, KW, icb, ocb] by the test's own loop (independent of ops.packWeights). */
function packWeightHost(w: Float32Array, c: Case): Float32Array {
  const out = new Float32Array(w.length);
  for (let o = 0; o < c.O; o++) for (let ch = 0; ch < c.C; ch++) for (let y = 0; y < c.KH; y++) for (let x = 0; x < c.KW; x++) {
    const [ob, oi, cb, ci] = [Math.floor(o / c.ocb), o % c.ocb, Math.floor(ch / c.icb), ch % c.icb];
    out[((((ob * (c.C / c.icb) + cb) * c.KH + y) * c.KW + x) * c.icb + ci) * c.ocb + oi] = w[((o * c.C + ch) * c.KH + y) * c.KW + x]!;
  }
  return out;
}

const argsOf = (c: Case, epilogue?: readonly string[]): unknown[] => [
  tensorArg([c.N, c.C / c.icb, c.H, c.W, c.icb]), tensorArg([c.O / c.ocb, c.C / c.icb, c.KH, c.KW, c.icb, c.ocb]),
  [...c.strides], [...c.padding], [...c.dilation], ...(epilogue ? [[...epilogue]] : []),
];

describe('conv2d_gemm_NCHWc (im2col rows × packed weight panels, NCHWc out)', () => {
  const rng = new Rng(16);
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  /** Config `index` (undefined: the untuned default) of each case against tfjs, the epilogue on every other case. */
  async function casesMatch(pick: () => number | undefined, epilogueOn: 0 | 1, target = 'wasm', whereOf?: (c: Case) => (e: ConfigEntity) => boolean): Promise<void> {
    let ran = 0;
    for (const [k, c] of CASES.entries()) {
      const seed = rng.int(1 << 30);
      const x = seeded(c.N * c.C * c.H * c.W, seed + 1);
      const w = seeded(c.O * c.C * c.KH * c.KW, seed + 2);
      // tfjs refuses stride and dilation both > 1; the scatter reference takes every case tfjs cannot.
      const conv = c.KH === 5 || c.dilation[0] > 1 ? jsConv2d(x, w, c) : tfConv2d(x, w, c);
      const [OH, OW] = convOut(c);
      const packed = packHost(conv, [c.N, c.O, OH, OW], c.ocb);
      const withEpilogue = k % 2 === epilogueOn;
      const bias = seeded(c.O, seed + 3);
      const res = seeded(conv.length, seed + 4);
      // Packed index i = (((n·Ob + ob)·OH + oh)·OW + ow)·ocb + oi: channel ob·ocb + oi.
      const chan = (i: number): number => Math.floor(i / (OH * OW * c.ocb)) % (c.O / c.ocb) * c.ocb + (i % c.ocb);
      const want = withEpilogue ? packed.map((v, i) => Math.max(v + bias[chan(i)]!, 0) + res[i]!) : packed;
      const xp = packHost(x, [c.N, c.C, c.H, c.W], c.icb);
      const wp = packWeightHost(w, c);
      const inputs = withEpilogue ? [xp, wp, bias, res] : [xp, wp];
      const args = argsOf(c, withEpilogue ? ['bias', 'relu', 'residual'] : undefined);
      const index = pick();
      const r = await runConfig('conv2d_gemm_NCHWc.wasm', args as never, target, index ?? createTask('conv2d_gemm_NCHWc.wasm', args as never, target).defaultConfig!()!.index, inputs, whereOf?.(c));
      if (!r.out) continue;
      ran++;
      const i = mismatch(r.out, want, 1e-3);
      expect(i, `${JSON.stringify(c)} config ${r.config}: y[${i}] = ${r.out[i]}, expected ${want[i]}`).toBe(-1);
    }
    expect(ran).toBe(CASES.length);
  }

  it('the untuned default matches tfjs conv2d on every case, with bias → relu → residual fused on half', async () => {
    await casesMatch(() => undefined, 0);
  }, 300_000);

  it('the untuned default on 2 threads matches, the epilogue on the other half', async () => {
    await casesMatch(() => undefined, 1, 'wasm -threads=2');
  }, 300_000);

  it('sampled configs (1 and 2 threads) match tfjs conv2d', async () => {
    await casesMatch(() => rng.int(1 << 30), 1);
    await casesMatch(() => rng.int(1 << 30), 0, 'wasm -threads=2');
  }, 600_000);

  it('configs whose row tiles span several output rows, im2col per block (a partial last block) or at root, match (1 and 2 threads)', async () => {
    await casesMatch(() => rng.int(1 << 30), 0, 'wasm', (c) => spanning(c, 'block'));
    await casesMatch(() => rng.int(1 << 30), 1, 'wasm -threads=2', (c) => spanning(c, 'block'));
    await casesMatch(() => rng.int(1 << 30), 1, 'wasm', (c) => spanning(c, 'root'));
  }, 600_000);

  it('is an anchor whose workload is conv2d_NCHWc\'s (packed data and weight); wasm only', () => {
    const Xp = placeholder([1, 2, 9, 9, 4], 'float32', 'X');
    const Y = conv2dGemmNCHWc(Xp, placeholder([3, 72, 2], 'float32', 'W'), { strides: 2, padding: [1, 0, 1, 2], kernelSize: [3, 3] });
    expect(Y.dims).toEqual([1, 3, 5, 5, 2]);
    const task = taskOf(Y, 'wasm');
    expect(task).toEqual({ template: 'conv2d_gemm_NCHWc.wasm', args: [tensorArg([1, 2, 9, 9, 4]), tensorArg([3, 2, 3, 3, 4, 2]), [2, 2], [1, 0, 1, 2], [1, 1]] });
    expect(taskOf(Y, 'webgpu')).toBeUndefined();
    expect(() => scheduleAnchor(createSchedule([Y]), Y, [Y], 'webgpu')).toThrow(/conv2d_gemm_NCHWc .* has no webgpu template/);
  });

  it('tensortune --op conv2d_gemm_NCHWc: --shape text and workload C7 give conv2d_NCHWc\'s args, and back', () => {
    const spec = opSpec('conv2d_gemm_NCHWc')!;
    const q = checkOpParams(spec, parseOpParams(spec, 'C=128,H=28,W=28,O=256,kernel=3,stride=2,pad=1'));
    const args = opArgs(spec, q);
    expect(args).toEqual([tensorArg([1, 16, 28, 28, 8]), tensorArg([32, 16, 3, 3, 8, 8]), [2, 2], [1, 1, 1, 1], [1, 1]]);
    expect(formatOpParams(spec, paramsOfArgs(spec, args))).toBe('N=1,C=128,H=28,W=28,O=256,kernel=3,stride=2,pad=1,ic_block=8,oc_block=8');
    const c7 = { id: 'C7', op: 'conv2d', C: 128, H: 28, W: 28, O: 256, R: 3, stride: 2, pad: 1 };
    expect(opArgs(spec, checkOpParams(spec, paramsOfWorkload(spec, c7)))).toEqual(args);
    expect(createTask('conv2d_gemm_NCHWc.wasm', args as never, 'wasm').flop).toBe(2 * 256 * 14 * 14 * 128 * 9);
    expect(() => checkOpParams(spec, parseOpParams(spec, 'C=8,H=8,W=8,O=12,kernel=3,oc_block=8'))).toThrow(/conv2d_gemm_NCHWc: O 12 is not divisible by oc_block 8/);
  });

  it('names the problem: ranks, a weight that is not [O/ocb, C·KH·KW, ocb], a bad kernelSize, a non-packed workload weight', () => {
    const Xp = placeholder([1, 2, 8, 8, 4], 'float32', 'X');
    const W = placeholder([3, 72, 2], 'float32', 'W');
    expect(() => conv2dGemmNCHWc(placeholder([1, 8, 8, 8], 'float32', 'X4'), W, { kernelSize: [3, 3] })).toThrow(/^conv2dGemmNCHWc: data X4 must be 5-D/);
    expect(() => conv2dGemmNCHWc(Xp, placeholder([3, 71, 2], 'float32', 'W71'), { kernelSize: [3, 3] })).toThrow(/^conv2dGemmNCHWc: weight W71 \[3, 71, 2\] is not \[O\/ocb, C·KH·KW, ocb\] with C·KH·KW = 72/);
    expect(() => conv2dGemmNCHWc(Xp, placeholder([3, 2, 3, 3, 4, 2], 'float32', 'W6'), { kernelSize: [3, 3] })).toThrow(/^conv2dGemmNCHWc: weight W6 must be 3-D/);
    expect(() => conv2dGemmNCHWc(Xp, W, { kernelSize: [3, 0] as never })).toThrow(/^conv2dGemmNCHWc: kernelSize must be \[KH, KW\]/);
    expect(() => conv2dGemmNCHWc(Xp, W, { kernelSize: [3, 3], padding: [1, 1, 1] })).toThrow(/^conv2dGemmNCHWc: padding must be/);
    expect(() => conv2dGemmNCHWc(placeholder([1, 2, 2, 2, 4], 'float32', 'X2'), W, { kernelSize: [3, 3] })).toThrow(/^conv2dGemmNCHWc: output height would be 0/);
    expect(() => createTask('conv2d_gemm_NCHWc.wasm', [tensorArg([1, 2, 8, 8, 4]), tensorArg([3, 72, 2]), [1, 1], [0, 0, 0, 0], [1, 1]] as never, 'wasm')).toThrow(/conv2d_gemm_NCHWc: argument 1 must be the packed weight/);
  });
});
