// tests/cli/run_bench.test.ts — `tensortune run` and `tensortune bench` on a bundle made from a graph plan
// written by hand (two kernels: S = X + B, Y = relu(S)), against plain JS and onnxruntime-web on the
// same model as an ONNX file.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../codegen/compile.js';
import { packBundle } from '../../runtime/bundle.js';
import type { GraphPlan } from '../../runtime/graph_plan.js';
import { decodeNpy, encodeNpy } from '../../runtime/npy.js';
import * as t from '../../tir/nodes.js';
import { tempDir } from '../tuning-logs/helpers.js';
import { reluAddOnnx } from './fixtures/tiny_onnx.js';
import { runCli } from './run_cli.js';

const dir = tempDir('run-bench');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const shape = [2, 3, 5];
const n = 30;
const bias = Float32Array.from({ length: n }, (_, i) => (i % 7) - 3);
const bundle = join(dir, 'out');
const onnx = join(dir, 'model.onnx');

/** A pointwise kernel over n floats: out[i] = f(a[i], b[i]) (or f(a[i]) with one input). */
function pointwise(name: string, nIn: number, f: (xs: t.PrimExpr[]) => t.PrimExpr): t.PrimFunc {
  const bufs = Array.from({ length: nIn + 1 }, (_, k) => t.buffer(`p${k}`, [n], 'float32'));
  const i = t.variable('i');
  const body = t.forLoop(i, 0, n, 'serial', t.bufferStore(bufs[nIn]!, f(bufs.slice(0, nIn).map((b) => t.bufferLoad(b, [i]))), [i]));
  return t.primFunc(name, bufs, body, { argShapes: bufs.map(() => shape) });
}

beforeAll(async () => {
  const add = await compile(pointwise('fused_add', 2, ([a, b]) => t.add(a!, b!)), 'wasm -threads=1');
  const relu = await compile(pointwise('fused_relu', 1, ([a]) => t.max(a!, t.floatImm(0))), 'wasm -threads=1');
  const T = (storage: number) => ({ storage, shape, dtype: 'float32' as const });
  const plan: GraphPlan = {
    format: 'tensortune-graph-plan', version: 1, target: 'wasm -threads=1',
    storages: [4 * n, 4 * n, 4 * n],
    inputs: [{ name: 'X', ...T(0) }],
    outputs: [{ name: 'Y', ...T(0) }],
    constants: [{ ...T(1), data: bias }],
    kernels: [{ name: 'fused_add', artifact: add, args: [T(0), T(1), T(2)] }, { name: 'fused_relu', artifact: relu, args: [T(2), T(0)] }],
  };
  const io = { name: 'X', shape, dtype: 'float32' };
  const { files } = packBundle(plan, { target: plan.target, inputs: [io], outputs: [{ ...io, name: 'Y' }], extra: { model: { file: '../model.onnx' } } });
  for (const [name, bytes] of files) {
    mkdirSync(dirname(join(bundle, name)), { recursive: true });
    writeFileSync(join(bundle, name), bytes);
  }
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
    expect(text.stdout).toMatch(/tensortune \(wasm -threads=1\): median .* p90 /);
    expect(text.stdout).toMatch(/onnxruntime-web \(wasm, 1 threads\): median/);
    expect(text.stdout).toMatch(/ratio: tensortune is [\d.]+× onnxruntime-web's speed/);
  }, 180_000);
});
