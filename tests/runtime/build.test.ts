// tests/runtime/build.test.ts — build / compile / load for wasm: argument checks that name the
// culprit, artifacts that survive a structured clone, device info, 64 MiB buffers, relaxed SIMD.

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { compile } from '../../codegen/compile.js';
import { build, load, nd } from '../../runtime/index.js';
import { ALWAYS_PARALLEL, setParallelCostModel } from '../../runtime/parallel_cost.js';
import { relaxedSimdSupported } from '../../codegen/wasm/index.js';

/** Y[i] = X[i] * a + Y[i] over n elements, 4-lane vectors, parallel outer loop (n divisible by 4). */
function axpy(n: number, shape: number[] = [n]): t.PrimFunc {
  const X = t.buffer('X', [n], 'float32');
  const Y = t.buffer('Y', [n], 'float32');
  const v = t.variable('v');
  const r = t.ramp(t.mul(v, t.intImm(4)), t.intImm(1), 4);
  const body = t.forLoop(v, 0, n / 4, 'parallel',
    t.bufferStore(Y, t.call('fma', [t.bufferLoad(X, [r]), t.broadcast(t.floatImm(2), 4), t.bufferLoad(Y, [r])]), [r]));
  return t.primFunc('axpy', [X, Y], body, { argShapes: [shape, shape] });
}

describe('runtime build for wasm', () => {
  it('builds, runs and reports what it ran with', async () => {
    const mod = await build(axpy(8, [2, 4]), 'wasm -threads=2');
    const x = nd.array([1, 2, 3, 4, 5, 6, 7, 8], [2, 4]);
    const y = nd.array(new Float32Array(8).fill(1), [2, 4]);
    await mod.run(x, y);
    expect(Array.from(y.data)).toEqual([3, 5, 7, 9, 11, 13, 15, 17]);
    expect(mod.info).toMatchObject({ target: 'wasm -threads=2', simd: true, threads: 2, parallelLoops: 1 });
    expect(String(mod.info['v8'])).toMatch(/^\d+\.\d+/);
    const tr = await mod.timeEvaluator({ number: 2, repeat: 2 }).run(x, y);
    expect(tr.results).toHaveLength(2);
    mod.dispose();
    x.free();
    y.free();
  });

  it('compiles to plain data that loads after a structured clone', async () => {
    const art = await compile(axpy(16), 'wasm -threads=1 -simd=0');
    const copy = structuredClone(art);
    expect(copy.format).toBe('wasm');
    const mod = await load(copy);
    expect(mod.func.params.map((p) => p.name)).toEqual(['X', 'Y']);
    const x = nd.array(Float32Array.from({ length: 16 }, (_, i) => i));
    const y = nd.empty([16]);
    await mod.run(x, y);
    expect(y.data[15]).toBe(30);
    expect(mod.info['simd']).toBe(false);
    mod.dispose();
  });

  it('says which argument is wrong and why', async () => {
    const mod = await build(axpy(8, [2, 4]), 'wasm -threads=1');
    const good = nd.empty([2, 4]);
    await expect(mod.run(good)).rejects.toThrow(/expects 2 arguments \(X, Y\), got 1/);
    await expect(mod.run(good, nd.empty([4, 2]))).rejects.toThrow(/argument 1 \(Y\): shape \[4, 2\] does not match the expected \[2, 4\]/);
    await expect(mod.run(nd.empty([2, 4], 'int32'), good)).rejects.toThrow(/argument 0 \(X\): dtype int32 does not match the expected float32/);
    await expect(mod.run(good, good)).rejects.toThrow(/argument 1 \(Y\): is the same array as argument 0 \(X\)/);
    const foreign = { shape: [2, 4], dtype: 'float32' as const, size: 8, data: new Float32Array(8) };
    await expect(mod.run(foreign, good)).rejects.toThrow(/argument 0 \(X\): must be an NDArray in wasm memory/);
    mod.dispose();
  });

  it('reports a trap in a parallel loop, whichever thread runs the bad iterations, and keeps the pool usable', async () => {
    const A = t.buffer('A', [8], 'float32');
    const i = t.variable('i');
    // Iterations 4.. (the worker's range, unless the caller takes them over) index far outside memory.
    const ix = t.select(t.ge(i, t.intImm(4)), t.mul(i, t.intImm(200_000_000)), i);
    const bad = t.primFunc('oob', [A], t.forLoop(i, 0, 8, 'parallel', t.bufferStore(A, t.floatImm(1), [ix])));
    const mod = await build(bad, 'wasm -threads=2');
    const a = nd.empty([8]);
    // 8 iterations are far below the cost model's threshold: force the dispatch to the worker.
    const prev = setParallelCostModel(ALWAYS_PARALLEL);
    try {
      await expect(mod.run(a)).rejects.toThrow(/(parallel loop failed in worker 0|wasm kernel trapped): .*out of bounds/);
    } finally {
      setParallelCostModel(prev);
    }
    mod.dispose();
    const good = await build(axpy(8), 'wasm -threads=2');
    const x = nd.array([1, 1, 1, 1, 1, 1, 1, 1]);
    a.copyFrom(new Float32Array([0, 1, 2, 3, 4, 5, 6, 7]));
    await good.run(x, a);
    expect(Array.from(a.data)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    good.dispose();
  });

  it('runs on 64 MiB buffers with 2 threads', async () => {
    const n = 16 * 1024 * 1024;
    const mod = await build(axpy(n), 'wasm -threads=2');
    const x = nd.empty([n]);
    const y = nd.empty([n]);
    const xd = x.data;
    for (let i = 0; i < n; i += 4099) xd[i] = i;
    xd[n - 1] = 3;
    await mod.run(x, y);
    const yd = y.data;
    for (let i = 0; i < n; i += 4099) expect(yd[i]).toBe(Math.fround(2 * i));
    expect(yd[n - 1]).toBe(6);
    expect(yd[1]).toBe(0);
    mod.dispose();
    x.free();
    y.free();
  });

  it('says how to enable relaxed SIMD when this Node runs without the flag', async () => {
    const art = await compile(axpy(8), 'wasm -relaxed-simd=1 -threads=1');
    expect(art.meta['relaxedSimd']).toBe(true);
    if (relaxedSimdSupported()) {
      // Started with the flag (NODE_OPTIONS): loading must then work.
      const mod = await load(art);
      mod.dispose();
    } else {
      await expect(load(art)).rejects.toThrow(/--experimental-wasm-relaxed-simd/);
    }
  });

  it('runs relaxed SIMD fma in a Node started with --experimental-wasm-relaxed-simd, with plain-JS answers', async () => {
    const child = fileURLToPath(new URL('./fixtures/relaxed_simd_child.ts', import.meta.url));
    // 16 values exactly representable so fused and unfused multiply-add agree bit for bit.
    const xs = Array.from({ length: 16 }, (_, i) => (i - 8) / 4);
    const ys = Array.from({ length: 16 }, (_, i) => i * 0.5 - 3);
    const { stdout } = await promisify(execFile)(process.execPath,
      ['--experimental-wasm-relaxed-simd', '--import', 'tsx', child, JSON.stringify([xs, ys])],
      { cwd: fileURLToPath(new URL('../..', import.meta.url)), timeout: 170_000 });
    const got = JSON.parse(stdout) as { supported: boolean; relaxed: { meta: boolean; out: number[] }; plain: { meta: boolean; out: number[] } };
    expect(got.supported).toBe(true);
    expect(got.relaxed.meta).toBe(true);
    expect(got.plain.meta).toBe(false);
    const want = xs.map((x, i) => x * 2.5 + ys[i]!);
    expect(got.relaxed.out).toEqual(want);
    expect(got.plain.out).toEqual(want);
    // A child Node compiles the sources again (tsx): slow on a loaded machine, so a long limit.
  }, 180_000);
});
