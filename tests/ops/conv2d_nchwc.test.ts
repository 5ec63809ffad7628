// tests/ops/conv2d_nchwc.test.ts — conv2d_NCHWc (packed NCHW[x]c, TVM x86 layout): the host weight packing
// and the data/output layout transforms round-trip a tfjs conv2d, sampled configs of the conv2d_NCHWc.wasm
// template on shapes no knob divides match it, scheduleAnchor fuses an epilogue, and bad blocks are named.

import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { Rng } from '../../autotune/rng.js';
import { tensorArg } from '../../autotune/task.js';
import { scheduleAnchor, taskOf } from '../../ops/anchor.js';
import { conv2dNCHWc, nchwcBlocks, packData, packWeights, unpackOutput } from '../../ops/nn/conv2d_nchwc.js';
import { registerAll } from '../../ops/register.js';
import { build } from '../../runtime/build.js';
import { array } from '../../runtime/ndarray.js';
import { constValue } from '../../schedule/expr.js';
import { lower } from '../../schedule/lower.js';
import { createSchedule } from '../../schedule/schedule.js';
import { compute, placeholder } from '../../schedule/tensor.js';
import { mismatch, runConfig, packHost, seeded, tfConv2d, type ConvCase } from './reference.js';

const base = { N: 1, strides: [1, 1], padding: [0, 0, 0, 0], dilation: [1, 1], groups: 1 } as const;
const CASES: readonly ConvCase[] = [
  { ...base, C: 8, H: 7, W: 9, O: 8, KH: 3, KW: 3, padding: [1, 0, 2, 1] },
  { ...base, C: 4, H: 6, W: 6, O: 12, KH: 1, KW: 1 },
  { ...base, C: 6, H: 9, W: 11, O: 4, KH: 3, KW: 3, strides: [2, 2], padding: [1, 1, 1, 1] },
  { ...base, C: 8, H: 9, W: 9, O: 16, KH: 3, KW: 3, dilation: [2, 2], padding: [2, 2, 2, 2] },
  { ...base, C: 2, H: 1, W: 1, O: 6, KH: 1, KW: 1 },
  { ...base, N: 2, C: 12, H: 5, W: 7, O: 8, KH: 3, KW: 2, padding: [0, 1, 1, 0] },
  { ...base, C: 3, H: 8, W: 13, O: 5, KH: 5, KW: 5, padding: [2, 2, 2, 2] },
  { ...base, C: 16, H: 6, W: 8, O: 8, KH: 3, KW: 3, padding: [1, 1, 1, 1] },
];

describe('conv2d_NCHWc', () => {
  const rng = new Rng(31);
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  it('conv2d_NCHWc.wasm: a sampled config per case matches tfjs conv2d (packed on the host)', async () => {
    let ran = 0;
    for (const c of CASES) {
      const { icBlock, ocBlock } = nchwcBlocks(c.C, c.O);
      const index = rng.int(1 << 30);
      const x = seeded(c.N * c.C * c.H * c.W, index + 1);
      const w = seeded(c.O * c.C * c.KH * c.KW, index + 2);
      const want = tfConv2d(x, w, c);
      const args = [tensorArg([c.N, c.C / icBlock, c.H, c.W, icBlock]), tensorArg([c.O / ocBlock, c.C / icBlock, c.KH, c.KW, icBlock, ocBlock]), [...c.strides], [...c.padding], [...c.dilation]];
      const r = await runConfig('conv2d_NCHWc.wasm', args as never, 'wasm', index, [packHost(x, [c.N, c.C, c.H, c.W], icBlock), packWeights(w, [c.O, c.C, c.KH, c.KW], icBlock, ocBlock)]);
      if (!r.out) continue;
      ran++;
      const packedWant = packHost(want, [c.N, c.O, r.task.naive().tensors[2]!.dims[2]!, r.task.naive().tensors[2]!.dims[3]!], ocBlock);
      const i = mismatch(r.out, packedWant);
      expect(i, `${JSON.stringify(c)} config ${r.config}: y[${i}] = ${r.out[i]}, expected ${packedWant[i]}`).toBe(-1);
    }
    expect(ran).toBeGreaterThanOrEqual(6);
  }, 300_000);

  it('packData → conv2dNCHWc → unpackOutput → relu, scheduled by scheduleAnchor, equals tfjs conv2d + relu', async () => {
    const c: ConvCase = { ...base, C: 8, H: 10, W: 11, O: 12, KH: 3, KW: 3, padding: [1, 1, 1, 1] };
    const { icBlock, ocBlock } = nchwcBlocks(c.C, c.O);
    expect([icBlock, ocBlock]).toEqual([8, 4]);
    const X = placeholder([1, 8, 10, 11], 'float32', 'X');
    const Wp = placeholder([12 / ocBlock, 8 / icBlock, 3, 3, icBlock, ocBlock], 'float32', 'Wp');
    const Xp = packData(X, icBlock);
    const Yp = conv2dNCHWc(Xp, Wp, { padding: 1 });
    const relu = compute(Yp.dims, (...i) => Yp.at(...i).max(constValue(0)), 'relu', { tag: 'elemwise' });
    const Y = unpackOutput(relu);
    expect(taskOf(Yp, 'wasm')?.template).toBe('conv2d_NCHWc.wasm');
    expect(taskOf(Yp, 'webgpu')).toBeUndefined();
    const s = createSchedule([Y]);
    // The relu is the conv's epilogue only when it is an output; here the unpack follows, so it is inlined
    // into the unpack and the conv keeps its own (packed) output buffer.
    scheduleAnchor(s, Yp, [Y], 'wasm');
    s.stage(relu).computeInline();
    const x = seeded(8 * 110, 1);
    const w = seeded(12 * 8 * 9, 2);
    const want = tfConv2d(x, w, c).map((v) => Math.max(v, 0));
    const mod = await build(lower(s, [X, Wp, Y], { name: 'nchwc' }), 'wasm');
    const arrs = [array(x, [1, 8, 10, 11]), array(packWeights(w, [12, 8, 3, 3], icBlock, ocBlock), [...Wp.dims]), array(new Float32Array(want.length), [1, 12, 10, 11])];
    await mod.run(...arrs);
    expect(mismatch(arrs[2]!.toArray() as Float32Array, want)).toBe(-1);
    arrs.forEach((a) => a.free());
    mod.dispose();
  });

  it('names the op and the problem for bad arguments', () => {
    const Xp = placeholder([1, 2, 5, 5, 4], 'float32', 'Xp');
    expect(() => conv2dNCHWc(Xp, placeholder([2, 2, 3, 3, 8, 4], 'float32', 'Wp'))).toThrow(/^conv2dNCHWc: data has 2×4 channel blocks but the weight Wp has 2×8/);
    expect(() => conv2dNCHWc(Xp, placeholder([2, 2, 3, 3, 4, 4], 'float32', 'Wq'), { padding: [1, 1, 1] })).toThrow(/^conv2dNCHWc: padding must be/);
    expect(() => packData(placeholder([1, 6, 4, 4], 'float32', 'X'), 4)).toThrow(/^packData: channel count 6 is not divisible by the block 4/);
    expect(() => packWeights(new Float32Array(10), [2, 5, 1, 1], 4, 2)).toThrow(/^packWeights: O 2 \/ C 5 not divisible/);
  });
});
