// tests/cli/run_bench.test.ts — `tensortune run` and `tensortune bench` on a bundle made from a graph plan
// written by hand (two kernels: S = X + B, Y = relu(S)), against plain JS and onnxruntime-web on the
// same model as an ONNX file.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy } from '../../runtime/npy.js';
import { BIAS, SHAPE, writeReluAddBundle } from './fixtures/relu_add_bundle.js';
import { tempDir } from '../tuning-logs/helpers.js';
import { reluAddOnnx } from './fixtures/tiny_onnx.js';
import { runCli } from './run_cli.js';

const dir = tempDir('run-bench');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const shape = SHAPE;
const n = 30;
const bias = BIAS;
const bundle = join(dir, 'out');
const onnx = join(dir, 'model.onnx');

beforeAll(async () => {
  await writeReluAddBundle(bundle, 'wasm -threads=1', '../model.onnx');
  writeFileSync(onnx, reluAddOnnx(shape, bias));
});

describe('tensortune run', () => {
  it('runs the bundle on an .npy input and saves outputs that match plain JS', async () => {
    const x = Float32Array.from({ length: n }, (_, i) => Math.cos(i) * 5);
    writeFileSync(join(dir, 'x.npy'), encodeNpy({ data: x, shape }));
    const r = await runCli(['run', bundle, '--input', `X=${join(dir, 'x.npy')}`, '-o', join(dir, 'res'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const y = decodeNpy(readFileSync(join(dir, 'res', 'Y.npy')));
    expect(y.shape).toEqual(shape);
    expect(Array.from(y.data)).toEqual(Array.from(x, (v, i) => Math.max(0, Math.fround(v + bias[i]!))));
    const j = JSON.parse(r.stdout) as { outputs: { name: string; max: number }[] };
    expect(j.outputs[0]!.name).toBe('Y');
    expect(j.outputs[0]!.max).toBe(Math.max(...y.data));
  }, 120_000);

  it('runs on random inputs and refuses bad ones', async () => {
    const r = await runCli(['run', bundle, '--random']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Y: \[2, 3, 5\] float32 {2}min /m);
    const missing = await runCli(['run', bundle]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing 'X' \[2, 3, 5\] float32: give --input name=file\.npy for each, or --random/);
    const nob = await runCli(['run', join(dir, 'none')]);
    expect(nob.code).toBe(2);
    expect(nob.stderr).toMatch(/does not exist; make one with: tensortune build/);
    // A single operator's kernel file is named for what it is, with no offer to build a bundle over it.
    const kernelFile = join(dir, 'dense.wasm');
    writeFileSync(kernelFile, new Uint8Array([0, 97, 115, 109]));
    const file = await runCli(['run', kernelFile, '--random']);
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(/dense\.wasm' is a file, not a bundle folder: .*tensortune bench --op/);
    expect(file.stderr).not.toMatch(/-o \S*dense\.wasm/);
  }, 120_000);
});

describe('tensortune run --profile', () => {
  it('profiles both kernels of a hand-written bundle and refuses bad options with usage errors', async () => {
    const r = await runCli(['run', bundle, '--random', '--profile', '--runs', '4', '--sort', 'order', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const p = JSON.parse(r.stdout) as { kernels: { name: string; ops: string[]; config: string; shapes: number[][] }[]; timer: string };
    expect(p.kernels.map((k) => k.name)).toEqual(['fused_add', 'fused_relu']);
    // A plan without op lists (written by hand, or by an older build) names the fused ops by the kernel's name.
    expect(p.kernels.map((k) => k.ops)).toEqual([['add'], ['relu']]);
    expect(p.kernels.map((k) => k.config)).toEqual(['?', '?']);
    expect(p.kernels[0]!.shapes).toEqual([SHAPE, SHAPE, SHAPE]);
    expect(p.timer).toBe('wall');
    const bad = async (args: string[], msg: RegExp): Promise<void> => {
      const b = await runCli(['run', bundle, '--random', ...args]);
      expect(b.code, args.join(' ')).toBe(2);
      expect(b.stderr).toMatch(msg);
    };
    await bad(['--profile', '--runs', '0'], /--runs '0': expected an integer ≥ 1/);
    await bad(['--profile', '--timer', 'cpu'], /--timer 'cpu': expected one of wall, process-cpu/);
    await bad(['--profile', '--sort', 'name'], /--sort 'name': expected one of time, order/);
    await bad(['--profile', '--top', 'x'], /--top 'x': expected an integer ≥ 1/);
    await bad(['--runs', '5'], /--runs applies to --profile only; add --profile/);
  }, 120_000);

  it('refuses CPU time on a bundle with worker threads', async () => {
    const two = join(dir, 'two');
    await writeReluAddBundle(two, 'wasm -threads=2');
    const r = await runCli(['run', two, '--random', '--profile', '--timer', 'process-cpu']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--profile: profile: timer 'process-cpu' cannot time 'wasm -threads=2': more than one thread/);
  }, 120_000);
});

describe('tensortune bench', () => {
  it('times the model and onnxruntime-web on the same ONNX file and inputs', async () => {
    const r = await runCli(['bench', bundle, '--compare', 'onnxruntime', '--repeat', '5', '--min-repeat-ms', '5', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { latency: { median: number; p90: number; samples: number[] }; onnxruntime: { threads: number; maxRelativeError: number; ratio: number; latency: { median: number } } };
    expect(j.latency.samples).toHaveLength(5);
    expect(j.latency.p90).toBeGreaterThanOrEqual(j.latency.median);
    expect(j.onnxruntime.maxRelativeError).toBe(0);
    expect(j.onnxruntime.threads).toBe(1);
    expect(j.onnxruntime.ratio).toBeCloseTo(j.onnxruntime.latency.median / j.latency.median, 10);
    const text = await runCli(['bench', bundle, '--compare', 'onnxruntime', '--model', onnx, '--repeat', '3', '--min-repeat-ms', '1']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/tensortune \(wasm -threads=1, 1 thread\): median .* p90 /);
    expect(text.stdout).toMatch(/onnxruntime-web \(wasm, 1 thread\): median/);
    expect(text.stdout).toMatch(/ratio: tensortune is [\d.]+× onnxruntime-web's speed/);
  }, 180_000);
});
