// tests/cli/tune_op.test.ts — one conv operator through the command: `tune --op conv2d` for a few trials
// writes valid records, `build` takes the best of them, and the kernel it builds computes what plain JS
// and tfjs-core (CPU) compute; every --op's build (default config) against plain JS, on shapes no split
// factor divides; bad parameters exit 2 naming the parameter.

import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildArgs } from '../../cli/build_args.js';
import { prepare } from '../../cli/build_run.js';
import { load } from '../../runtime/build.js';
import { releaseWebGPU } from '../../runtime/webgpu/device.js';
import { array } from '../../runtime/ndarray.js';
import { decodeRecord, meanCost } from '../../tuning-logs/record.js';
import { tempDir } from '../tuning-logs/helpers.js';
import { convOut, jsBatchMatMul, jsConv2d, jsConv2dTranspose, mismatch, seeded, tfConv2d, type ConvCase } from '../ops/reference.js';
import { runCli } from './run_cli.js';

const dir = tempDir('cli-tune-op');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FAST = ['--number', '1', '--repeat', '1', '--min-repeat-ms', '0', '--timeout', '60'];
const E2E_TIMEOUT = 600_000;
const TARGET = 'wasm -threads=1';

/** Builds `--op op --shape shape` exactly as `tensortune build` does and runs it on `inputs` (+ zeroed output). */
async function runBuilt(op: string, shape: string, inputs: readonly Float32Array[], extra: { log?: string; epilogue?: string; target?: string } = {}): Promise<{ out: Float32Array; source: string; index: number }> {
  const p = await prepare(buildArgs({ op, shape, target: extra.target ?? TARGET, ...(extra.log ? { log: [extra.log] } : {}), ...(extra.epilogue ? { epilogue: extra.epilogue } : {}) }));
  const mod = await load(p.artifact, p.func);
  const arrays = p.applied.tensors.map((t, i) => array(i < inputs.length ? inputs[i]! : new Float32Array(t.dims.reduce((a, b) => a * b, 1)).fill(Number.NaN), [...t.dims]));
  expect(arrays.length).toBe(inputs.length + 1);
  try {
    await mod.run(...arrays);
    return { out: arrays[arrays.length - 1]!.toArray() as Float32Array, source: p.source, index: p.applied.config.toData().index };
  } finally {
    arrays.forEach((a) => a.free());
    mod.dispose();
  }
}

const size = (c: ConvCase): number[] => [c.N * c.C * c.H * c.W, c.O * (c.C / c.groups) * c.KH * c.KW];

describe('tensortune tune/build --op conv2d', () => {
  it('tunes a small conv for 6 trials; build takes the best record; its output matches plain JS and tfjs-core', async () => {
    const shape = 'N=1,C=5,H=9,W=7,O=6,kernel=3,stride=2,pad=0,1,1,2';
    const log = join(dir, 'conv.jsonl');
    const t = await runCli(['tune', '--op', 'conv2d', '--shape', shape, '--target', TARGET, '--trials', '6', '--tuner', 'random', '--seed', '1', '-o', log, '--json', '--quiet', ...FAST]);
    expect(t.stderr).toBe('');
    expect(t.code).toBe(0);
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    const records = lines.map((l) => decodeRecord(l));
    for (const r of records) {
      expect(r.input).toEqual([TARGET, 'conv2d_nchw.wasm', [['TENSOR', [1, 5, 9, 7], 'float32'], ['TENSOR', [6, 5, 3, 3], 'float32'], [2, 2], [0, 1, 1, 2], [1, 1], 1], {}]);
    }
    const v = await runCli(['logs', 'validate', log]);
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('6 records, 0 bad lines');
    const ok = records.filter((r) => r.result[1] === 0);
    expect(ok.length).toBeGreaterThan(0);
    const best = ok.reduce((a, b) => (meanCost(b) < meanCost(a) ? b : a));

    const out = join(dir, 'conv.wasm');
    const b = await runCli(['build', '--op', 'conv2d', '--shape', shape, '--target', TARGET, '--log', log, '-o', out, '--json']);
    expect(b.code).toBe(0);
    const built = JSON.parse(b.stdout) as { task: string; source: string; config: { index: number; entity: unknown } };
    expect([built.task, built.source, built.config.index]).toEqual(['conv2d_nchw.wasm', 'log', best.config.index]);
    expect(built.config.entity).toEqual(best.config.entity);
    expect([...readFileSync(out).subarray(0, 4)]).toEqual([0x00, 0x61, 0x73, 0x6d]);

    // The same build in-process, run: against the plain-JS scatter conv and tfjs-core's conv2d.
    const c: ConvCase = { N: 1, C: 5, H: 9, W: 7, O: 6, KH: 3, KW: 3, strides: [2, 2], padding: [0, 1, 1, 2], dilation: [1, 1], groups: 1 };
    const [xs, ws] = size(c);
    const x = seeded(xs!, 1);
    const w = seeded(ws!, 2);
    const r = await runBuilt('conv2d', shape, [x, w], { log });
    expect([r.source, r.index]).toEqual(['log', best.config.index]);
    expect(r.out.length).toBe(6 * convOut(c)[0] * convOut(c)[1]);
    expect(mismatch(r.out, jsConv2d(x, w, c))).toBe(-1);
    expect(mismatch(r.out, tfConv2d(x, w, c))).toBe(-1);
  }, E2E_TIMEOUT);

  it('exits 2 naming the parameter for bad shapes, and builds --workload ids of ../shared/workloads.json', async () => {
    const bad = await runCli(['tune', '--op', 'conv2d', '--shape', 'C=6,H=5,W=5,O=8,kernel=3,groups=4', '-o', join(dir, 'bad.jsonl')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("error: --shape 'C=6,H=5,W=5,O=8,kernel=3,groups=4': conv2d: C 6 is not divisible by groups 4");
    const miss = await runCli(['build', '--op', 'depthwise_conv2d', '--shape', 'C=8,H=5,W=5']);
    expect(miss.code).toBe(2);
    expect(miss.stderr).toContain('depthwise_conv2d needs kernel');
    const wl = await runCli(['build', '--workload', 'D9', '--target', TARGET, '--json']);
    expect(wl.code).toBe(0);
    const j = JSON.parse(wl.stdout) as { task: string; args: unknown[] };
    expect(j.task).toBe('depthwise_conv2d_nchw.wasm');
    expect(j.args).toEqual([['TENSOR', [1, 1024, 7, 7], 'float32'], ['TENSOR', [1024, 1, 3, 3], 'float32'], [1, 1], [1, 1, 1, 1], [1, 1]]);
  }, E2E_TIMEOUT);
});

describe('every --op builds a kernel that matches plain JS (default config; sizes no split divides)', () => {
  it('conv2d grouped, dilated, asymmetric padding; with a bias+relu epilogue', async () => {
    const c: ConvCase = { N: 2, C: 6, H: 7, W: 9, O: 10, KH: 3, KW: 2, strides: [1, 2], padding: [1, 0, 2, 1], dilation: [2, 1], groups: 2 };
    const [xs, ws] = size(c);
    const x = seeded(xs!, 3);
    const w = seeded(ws!, 4);
    const shape = 'N=2,C=6,H=7,W=9,O=10,kernel=3x2,stride=1x2,pad=1x0x2x1,dilation=2x1,groups=2';
    const want = jsConv2d(x, w, c);
    expect(mismatch((await runBuilt('conv2d', shape, [x, w])).out, want)).toBe(-1);
    const bias = seeded(10, 5);
    const [OH, OW] = convOut(c);
    const wantE = want.map((v, i) => Math.max(0, v + bias[Math.floor(i / (OH * OW)) % 10]!));
    expect(mismatch((await runBuilt('conv2d', shape, [x, w, bias], { epilogue: 'bias,relu' })).out, wantE)).toBe(-1);
  }, E2E_TIMEOUT);

  it('depthwise_conv2d (multiplier 2, stride 2) against plain JS and tfjs-core', async () => {
    const c: ConvCase = { N: 1, C: 5, H: 11, W: 7, O: 10, KH: 3, KW: 3, strides: [2, 2], padding: [1, 1, 1, 1], dilation: [1, 1], groups: 5 };
    const [xs, ws] = size(c);
    const x = seeded(xs!, 6);
    const w = seeded(ws!, 7);
    const got = (await runBuilt('depthwise_conv2d', 'C=5,H=11,W=7,kernel=3,stride=2,pad=1,multiplier=2', [x, w])).out;
    expect(mismatch(got, jsConv2d(x, w, c))).toBe(-1);
    expect(mismatch(got, tfConv2d(x, w, c))).toBe(-1);
  }, E2E_TIMEOUT);

  it('conv2d_NCHWc: packed data/weights laid out as NCHW[ic_block]c, OIHW[ic]i[oc]o', async () => {
    const c: ConvCase = { N: 1, C: 6, H: 7, W: 5, O: 9, KH: 3, KW: 3, strides: [1, 1], padding: [1, 2, 0, 1], dilation: [1, 1], groups: 1 };
    const [xs, ws] = size(c);
    const x = seeded(xs!, 8);
    const w = seeded(ws!, 9);
    const ib = 2;
    const ob = 3;
    // Packing by index arithmetic, in the test (not the library's packWeights).
    const xp = new Float32Array(x.length);
    for (let cb = 0; cb < c.C / ib; cb++) for (let h = 0; h < c.H; h++) for (let ww = 0; ww < c.W; ww++) for (let ci = 0; ci < ib; ci++) {
      xp[((cb * c.H + h) * c.W + ww) * ib + ci] = x[((cb * ib + ci) * c.H + h) * c.W + ww]!;
    }
    const wp = new Float32Array(w.length);
    for (let o = 0; o < c.O; o++) for (let ch = 0; ch < c.C; ch++) for (let k = 0; k < 9; k++) {
      const [oo, oi, co, ci] = [Math.floor(o / ob), o % ob, Math.floor(ch / ib), ch % ib];
      wp[((((oo * (c.C / ib) + co) * 9 + k) * ib + ci) * ob) + oi] = w[(o * c.C + ch) * 9 + k]!;
    }
    const got = (await runBuilt('conv2d_NCHWc', 'C=6,H=7,W=5,O=9,kernel=3,pad=1x2x0x1,ic_block=2,oc_block=3', [xp, wp])).out;
    const want = jsConv2d(x, w, c);
    const [OH, OW] = convOut(c);
    const unpacked = new Float32Array(want.length);
    for (let o = 0; o < c.O; o++) for (let i = 0; i < OH * OW; i++) unpacked[o * OH * OW + i] = got[((Math.floor(o / ob) * OH * OW) + i) * ob + (o % ob)]!;
    expect(mismatch(unpacked, want)).toBe(-1);
  }, E2E_TIMEOUT);

  it('conv2d_winograd on odd sizes (7×5, pad 1) and conv2d_transpose (stride 2, output_padding, groups 2)', async () => {
    const c: ConvCase = { N: 1, C: 3, H: 7, W: 5, O: 5, KH: 3, KW: 3, strides: [1, 1], padding: [1, 1, 1, 1], dilation: [1, 1], groups: 1 };
    const [xs, ws] = size(c);
    const x = seeded(xs!, 10);
    const w = seeded(ws!, 11);
    expect(mismatch((await runBuilt('conv2d_winograd', 'C=3,H=7,W=5,O=5,pad=1', [x, w])).out, jsConv2d(x, w, c), 1e-3)).toBe(-1);
    const t = { N: 1, C: 4, H: 5, W: 3, O: 6, KH: 3, KW: 4, strides: [2, 2] as const, padding: [1, 1, 0, 2] as const, outputPadding: [1, 0] as const, dilation: [1, 1] as const, groups: 2 };
    const xt = seeded(4 * 5 * 3, 12);
    const wt = seeded(4 * 3 * 3 * 4, 13);
    const got = (await runBuilt('conv2d_transpose', 'C=4,H=5,W=3,O=6,kernel=3x4,stride=2,pad=1x1x0x2,output_padding=1x0,groups=2', [xt, wt])).out;
    expect(mismatch(got, jsConv2dTranspose(xt, wt, t))).toBe(-1);
  }, E2E_TIMEOUT);

  it('on webgpu: conv2d (stride 2, groups 2) and depthwise_conv2d against plain JS', async () => {
    const c: ConvCase = { N: 1, C: 4, H: 9, W: 7, O: 6, KH: 3, KW: 3, strides: [2, 2], padding: [1, 0, 1, 2], dilation: [1, 1], groups: 2 };
    const [xs, ws] = size(c);
    const x = seeded(xs!, 16);
    const w = seeded(ws!, 17);
    expect(mismatch((await runBuilt('conv2d', 'C=4,H=9,W=7,O=6,kernel=3,stride=2,pad=1x0x1x2,groups=2', [x, w], { target: 'webgpu' })).out, jsConv2d(x, w, c))).toBe(-1);
    const d: ConvCase = { N: 1, C: 5, H: 7, W: 9, O: 5, KH: 3, KW: 3, strides: [1, 1], padding: [1, 1, 1, 1], dilation: [1, 1], groups: 5 };
    const [dxs, dws] = size(d);
    const dx = seeded(dxs!, 18);
    const dwt = seeded(dws!, 19);
    expect(mismatch((await runBuilt('depthwise_conv2d', 'C=5,H=7,W=9,kernel=3,pad=1', [dx, dwt], { target: 'webgpu' })).out, jsConv2d(dx, dwt, d))).toBe(-1);
    await releaseWebGPU();
  }, E2E_TIMEOUT);

  it('batch_matmul B,M,K,N', async () => {
    const a = seeded(3 * 5 * 7, 14);
    const b = seeded(3 * 7 * 9, 15);
    expect(mismatch((await runBuilt('batch_matmul', '3,5,7,9', [a, b])).out, jsBatchMatMul(a, [3, 5, 7], b, [3, 7, 9]))).toBe(-1);
  }, E2E_TIMEOUT);
});
