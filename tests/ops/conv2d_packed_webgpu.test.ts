// tests/ops/conv2d_packed_webgpu.test.ts — conv2d_nchw_packed (NCHW data, the OIHW weight packed in blocks of output
// channels [⌈O/ob⌉, C, KH, KW, ob], NCHW output) and its template conv2d_nchw_packed.webgpu on lavapipe's plain target:
// packConvWeightOC against the test's own packing; the default and sampled configs (both weight_vec values, unrolled
// windows, several channel blocks a lane) against the plain-JS convolution on shapes no tile divides (O not a multiple
// of 8, C odd, a 1-pixel image, stride 2, dilation 2, asymmetric padding, batch 2), and with a fused bias + relu +
// residual; the template exists on webgpu only; the weight read as vec4s in the default's WGSL; the default's two blocks
// a lane (one where there is one, where their count is odd, or where two would pass the register tile).

import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import type { ConfigEntity } from '../../autotune/space.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import { packConvWeightOC } from '../../ops/pack_weight.js';
import { registerAll, TEMPLATES } from '../../ops/register.js';
import { convOut, jsConv2d, mismatch, runConfig, seeded, type ConvCase } from './reference.js';

const LAVAPIPE = 'webgpu -device=llvmpipe';
const T = 'conv2d_nchw_packed.webgpu';
const base = { N: 1, strides: [1, 1], padding: [1, 1, 1, 1], dilation: [1, 1], groups: 1, KH: 3, KW: 3 } as const;
const CASES: readonly ConvCase[] = [
  { ...base, C: 5, H: 9, W: 11, O: 13 },                                                   // O not a multiple of 8, C odd
  { ...base, C: 6, H: 9, W: 11, O: 10, padding: [1, 0, 2, 1] },                            // asymmetric padding
  { ...base, C: 3, H: 1, W: 1, O: 4 },                                                     // a 1-pixel image, O < 8
  { ...base, C: 7, H: 9, W: 10, O: 17, strides: [2, 2] },                                  // stride 2
  { ...base, C: 4, H: 8, W: 9, O: 12, dilation: [2, 2], padding: [2, 2, 2, 2] },           // dilation 2
  { ...base, N: 2, C: 3, H: 5, W: 6, O: 9, KH: 1, KW: 3, padding: [0, 1, 0, 1] },          // batch 2, 1×3
];

/** OIHW → [⌈O/ob⌉, C, KH, KW, ob] written from the packed side (each packed element finds its source), zero-padded. */
function packRef(w: Float32Array, c: ConvCase, ob: number): Float32Array {
  const taps = c.C * c.KH * c.KW;
  const out = new Float32Array(Math.ceil(c.O / ob) * taps * ob);
  for (let i = 0; i < out.length; i++) {
    const oi = i % ob;
    const t = Math.floor(i / ob) % taps;
    const o = Math.floor(i / (ob * taps)) * ob + oi;
    out[i] = o < c.O ? w[o * taps + t]! : 0;
  }
  return out;
}

const argsOf = (c: ConvCase, ob = 8, epilogue?: string[]): unknown[] => [
  tensorArg([c.N, c.C, c.H, c.W]), tensorArg([Math.ceil(c.O / ob), c.C, c.KH, c.KW, ob]), [...c.strides], [...c.padding], [...c.dilation], c.O,
  ...(epilogue ? [epilogue] : []),
];

/** Runs config `index` (or the default) on lavapipe and compares with the JS convolution (+ bias, relu, residual). */
async function check(c: ConvCase, index: number | 'default', where?: (e: ConfigEntity) => boolean, opts: { ob?: number; epilogue?: boolean } = {}): Promise<string> {
  const ob = opts.ob ?? 8;
  const args = argsOf(c, ob, opts.epilogue ? ['bias', 'relu', 'residual'] : undefined) as never;
  const at = index === 'default' ? createTask(T, args, LAVAPIPE).defaultConfig!()!.index : index;
  const x = seeded(c.N * c.C * c.H * c.W, at % 97 + 1);
  const w = seeded(c.O * c.C * c.KH * c.KW, at % 89 + 2);
  const [OH, OW] = convOut(c);
  const bias = seeded(c.O, 5);
  const res = seeded(c.N * c.O * OH * OW, 6);
  const inputs = [x, packRef(w, c, ob), ...(opts.epilogue ? [bias, res] : [])];
  const r = await runConfig(T, args, LAVAPIPE, at, inputs, where);
  expect(r.out, `${JSON.stringify(c)} config ${r.config}: did not build`).toBeDefined();
  const want = jsConv2d(x, w, c);
  if (opts.epilogue) {
    for (let i = 0; i < want.length; i++) want[i] = Math.max(0, want[i]! + bias[Math.floor(i / (OH * OW)) % c.O]!) + res[i]!;
  }
  const i = mismatch(r.out!, want);
  expect(i, `${JSON.stringify(c)} config ${r.config}: y[${i}] = ${r.out![i]}, expected ${want[i]}`).toBe(-1);
  return r.config;
}

describe('conv2d_nchw_packed on webgpu (lavapipe\'s plain target)', () => {
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  it('packConvWeightOC packs OIHW into blocks of output channels, the last zero-padded; bad input is a RangeError', () => {
    const c: ConvCase = { ...base, C: 3, H: 1, W: 1, O: 13, KH: 2, KW: 3 };
    const w = seeded(13 * 3 * 6, 3);
    for (const ob of [8, 4, 1]) {
      const p = packConvWeightOC(w, [13, 3, 2, 3], ob);
      expect(p.shape).toEqual([Math.ceil(13 / ob), 3, 2, 3, ob]);
      expect(Array.from(p.values)).toEqual(Array.from(packRef(w, c, ob)));
    }
    expect(() => packConvWeightOC(w, [13, 3, 2, 3], 0)).toThrow(/block must be a positive integer/);
    expect(() => packConvWeightOC(w, [13, 18], 8)).toThrow(/must be 4-D/);
    expect(() => packConvWeightOC(w.subarray(1), [13, 3, 2, 3], 8)).toThrow(/233 values/);
  });

  it('is a webgpu template only; its knobs', () => {
    expect(TEMPLATES).toContain(T);
    expect(TEMPLATES).not.toContain('conv2d_nchw_packed.wasm');
    expect(createTask(T, argsOf(CASES[0]!) as never, LAVAPIPE).space.knobNames).toEqual(
      ['tile_cob', 'tile_oh', 'tile_ow', 'tile_rc', 'auto_unroll_max_step', 'unroll_window', 'weight_vec']);
    expect(() => createTask('conv2d_nchw_packed.wasm', argsOf(CASES[0]!) as never, 'wasm')).toThrow(/conv2d_nchw_packed/);
  });

  it('refuses a register tile over 256 floats and an unrolled window over 1024 FMAs a step, not the same config rolled', () => {
    const c: ConvCase = { ...base, C: 16, H: 28, W: 28, O: 64 };
    const task = createTask(T, argsOf(c) as never, LAVAPIPE);
    const d = task.defaultConfig!()!.toData();
    const at = (over: Record<string, unknown>): number => task.space.entityFromData({ ...d, entity: d.entity.map((e) => (e[0] in over ? [e[0], e[1], over[e[0]]] : e)) as typeof d.entity }).index;
    expect(task.space.isIndexValid(at({ tile_cob: [-1, 1, 2] }))).toBe(true); // 16 × 14 = 224 floats
    expect(task.space.isIndexValid(at({ tile_cob: [-1, 1, 4] }))).toBe(false); // 32 × 14 = 448 floats
    expect(task.space.isIndexValid(at({ tile_cob: [-1, 1, 2], unroll_window: true }))).toBe(false); // 9 × 224 = 2016 FMAs (kept until session 19)
    expect(task.space.isIndexValid(at({ tile_cob: [-1, 1, 1], unroll_window: true }))).toBe(true); // 9 × 112 = 1008 FMAs
    const c5 = createTask(T, argsOf({ ...c, KH: 5, KW: 5, padding: [2, 2, 2, 2] }) as never, LAVAPIPE);
    const d5 = c5.defaultConfig!()!.toData();
    const unrolled = c5.space.entityFromData({ ...d5, entity: d5.entity.map((e) => (e[0] === 'unroll_window' ? [e[0], e[1], true] : e)) as typeof d5.entity });
    expect(c5.space.isIndexValid(unrolled.index)).toBe(false); // 25 × 8 × 14 = 2800 FMAs
    expect(c5.space.isIndexValid(c5.defaultConfig!()!.index)).toBe(true);
  });

  it('the default: directPixelTile\'s lanes, two blocks of 8 channels a lane, the vec4 weight stage; the weight bound as vec4s', async () => {
    const c: ConvCase = { ...base, C: 16, H: 28, W: 28, O: 32 };
    const d = createTask(T, argsOf(c) as never, LAVAPIPE).defaultConfig!()!;
    // One block a lane where there is one, where the block count is odd (fallbackSplit takes divisors: no idle tail), or
    // where two would pass the 256-float register tile (2 × 16 × 14).
    const blocks = (o: number, ob: number): number => createTask(T, argsOf({ ...c, O: o }, ob) as never, LAVAPIPE).defaultConfig!()!.getSplit('tile_cob').size[2]!;
    expect([blocks(8, 8), blocks(9, 8), blocks(24, 8), blocks(64, 16), blocks(40, 4)]).toEqual([1, 2, 1, 1, 2]);
    expect(d.toData().entity).toEqual([
      ['tile_cob', 'sp', [-1, 1, 2]], ['tile_oh', 'sp', [-1, 4, 1]], ['tile_ow', 'sp', [-1, 2, 14]], ['tile_rc', 'sp', [-1, 1]],
      ['auto_unroll_max_step', 'ot', 0], ['unroll_window', 'ot', false], ['weight_vec', 'ot', 4],
    ]);
    const r = await runConfig(T, argsOf(c) as never, LAVAPIPE, d.index, [seeded(16 * 28 * 28, 1), seeded(32 * 16 * 9, 2)]);
    expect(r.wgsl).toMatch(/var<storage, read> p1: array<vec4<f32>>/);
  }, 200_000);

  it('the default matches the JS convolution on shapes no tile divides', async () => {
    for (const c of CASES) await check(c, 'default');
  }, 400_000);

  it('sampled configs match: weight_vec 4 and 1, the window unrolled, several blocks a lane', async () => {
    const small = (e: ConfigEntity): boolean => ['tile_cob', 'tile_oh', 'tile_ow'].reduce((n, k) => n * e.getSplit(k).size.at(-1)!, 1) <= 4;
    const seen = new Set<string>();
    for (const [k, c] of CASES.entries()) {
      const wv = k % 2 === 0 ? 4 : 1;
      seen.add(await check(c, 7919 * (k + 1), (e) => small(e) && e.getKnob('weight_vec').val === wv && e.getKnob('unroll_window').val === (k % 3 === 0)));
    }
    expect(seen.size).toBe(CASES.length);
    // Two blocks of 8 channels a lane (O 17: the second block of the last lane is past O).
    await check(CASES[3]!, 613, (e) => e.getSplit('tile_cob').size[2] === 2 && e.getSplit('tile_ow').size[2]! <= 2 && e.getSplit('tile_oh').size[2] === 1);
    // A block of 4 and of 3 (no vec4: weight_vec 1 only).
    await check(CASES[0]!, 'default', undefined, { ob: 4 });
    await check(CASES[0]!, 'default', undefined, { ob: 3 });
  }, 600_000);

  it('with a fused bias + relu + residual: default and a sampled config', async () => {
    await check(CASES[0]!, 'default', undefined, { epilogue: true });
    await check(CASES[3]!, 104_729, (e) => e.getKnob('weight_vec').val === 4 && e.getSplit('tile_ow').size[2]! <= 3, { epilogue: true });
  }, 400_000);
});
