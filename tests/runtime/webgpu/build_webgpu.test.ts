// tests/runtime/webgpu/build_webgpu.test.ts — builds hand-written GPU TIR for WebGPU and runs it on
// the adapter at hand (lavapipe in CI), checked against the same computation in plain JS; plus
// the runtime's errors.

import { afterAll, describe, expect, it, vi } from 'vitest';
import { build } from '../../../runtime/build.js';
import * as nd from '../../../runtime/nd.js';
import { compileWGSL } from '../../../codegen/wgsl/compile_wgsl.js';
import { buildWebGPU, loadWebGPU } from '../../../runtime/webgpu/build_webgpu.js';
import { getWebGPUAdapterInfo, releaseWebGPU, webgpuTargetString } from '../../../runtime/webgpu/device.js';
import type { NDArrayLike } from '../../../runtime/module.js';
import * as T from '../../../tir/nodes.js';
import { interpret } from '../../../tir/interpreter.js';
import { DataRaceError } from '../../../tir/interpreter_race.js';
import { wgslKernelTir } from '../../codegen/wgsl/kernel_tir.js';
import { erfRef, matmulRef, roundEvenRef, sigmoidRef } from '../../reference/plain_js.js';
import { hostArray, maxAbsDiff, seeded } from './helpers.js';
import { elementwise, naiveMatmul, tiledMatmul } from './tir_kernels.js';

afterAll(releaseWebGPU);

const i32 = (v: number): T.IntImm => T.intImm(v);

/** Runs `f` on the GPU on `args` (in place); returns argument `out`'s contents. */
async function gpuRun(f: T.PrimFunc, args: NDArrayLike[], out: number, opts = {}): Promise<Float32Array | Int32Array> {
  const mod = await buildWebGPU(f, 'webgpu', opts);
  try {
    await mod.run(...args);
  } finally {
    mod.dispose();
  }
  return args[out]!.data;
}

/** The plain-JS product of matmulArgs' inputs. */
function matmulWant(args: NDArrayLike[], M: number, N: number, K: number): Float32Array {
  return matmulRef(args[0]!.data, args[1]!.data, M, N, K);
}

const f32 = Math.fround;

function matmulArgs(M: number, N: number, K: number): NDArrayLike[] {
  return [hostArray([M, K], 'float32', seeded(M)), hostArray([K, N], 'float32', seeded(N)), hostArray([M, N])];
}

describe('WebGPU build and run', () => {
  it('runs a tiled shared-memory matmul with vector loads, on shapes that do and do not divide the tile', async () => {
    for (const [M, N, K] of [[32, 32, 32], [37, 45, 29], [5, 3, 17]] as const) {
      const args = matmulArgs(M, N, K);
      const got = await gpuRun(tiledMatmul(M, N, K, 16), args, 2);
      expect(maxAbsDiff(got, matmulWant(args, M, N, K)), `${M}x${N}x${K}`).toBeLessThan(1e-4);
    }
  });

  it('runs a naive one-thread-per-output matmul', async () => {
    const args = matmulArgs(19, 13, 11);
    expect(maxAbsDiff(await gpuRun(naiveMatmul(19, 13, 11, 8), args, 2), matmulWant(args, 19, 13, 11))).toBeLessThan(1e-4);
  });

  it('needs its barriers: without them the shared-memory matmul provably races, with them it is right', async () => {
    // Whether a racy kernel gives a wrong answer on a GPU depends on how the driver happens to
    // schedule threads, so the race is shown by the interpreter's race detector (deterministic):
    // the kernel TIR that WebGPU runs, without barriers, has a thread read a shared element another
    // thread wrote with no barrier between; with barriers it runs race-free and right.
    const [M, N, K] = [32, 32, 64];
    const f = tiledMatmul(M, N, K, 16);
    const args = matmulArgs(M, N, K);
    const want = matmulWant(args, M, N, K);
    const inputs = (): Float32Array[] => [Float32Array.from(args[0]!.data), Float32Array.from(args[1]!.data), new Float32Array(M * N)];
    expect(() => interpret(wgslKernelTir(f, { barriers: false }), inputs())).toThrow(DataRaceError);
    const synced = inputs();
    interpret(wgslKernelTir(f), synced);
    expect(maxAbsDiff(synced[2]!, want)).toBeLessThan(1e-4);
    // The option really leaves the barriers out of the shader, and the synced shader is right on the GPU.
    const count = (wgsl: string): number => wgsl.split('workgroupBarrier()').length - 1;
    expect(count(new TextDecoder().decode(compileWGSL(f, 'webgpu', { skipBarriers: true }).bytes))).toBe(0);
    expect(count(new TextDecoder().decode(compileWGSL(f, 'webgpu').bytes))).toBeGreaterThanOrEqual(2);
    expect(maxAbsDiff(await gpuRun(f, args, 2), want)).toBeLessThan(1e-4);
  });

  it('runs an elementwise chain of math intrinsics, with a guarded tail', async () => {
    const n = 1000;
    const f = elementwise(n, (x) => {
      const t = T.call('tanh', [T.mul(x, T.floatImm(3))]);
      const s = T.call('sigmoid', [T.call('erf', [x])]);
      const e = T.call('exp', [T.max(x, T.floatImm(-0.5))]);
      const q = T.call('sqrt', [T.call('abs', [x])]);
      return T.add(T.add(t, s), T.select(T.gt(x, T.floatImm(0)), T.mul(e, q), T.call('floor', [T.mul(x, T.floatImm(4))])));
    });
    const args = [hostArray([n], 'float32', seeded(7)), hostArray([n])];
    const want = Array.from(args[0]!.data, (x) => Math.tanh(3 * x) + sigmoidRef(erfRef(x)) + (x > 0 ? Math.exp(Math.max(x, -0.5)) * Math.sqrt(Math.abs(x)) : Math.floor(f32(4 * x))));
    expect(maxAbsDiff(await gpuRun(f, args, 1), want)).toBeLessThan(1e-5);
  });

  it('maps the other intrinsics (round ties to even, trunc, ceil, sin, cos, log, pow, rsqrt, fma)', async () => {
    const n = 300;
    const f = elementwise(n, (x) => {
      const h = T.mul(x, T.floatImm(4));
      const pos = T.add(T.call('abs', [x]), T.floatImm(0.25));
      const r = T.add(T.add(T.call('round', [h]), T.call('trunc', [h])), T.call('ceil', [h]));
      const g = T.add(T.add(T.call('sin', [x]), T.call('cos', [x])), T.add(T.call('log', [pos]), T.call('pow', [pos, T.floatImm(1.5)])));
      return T.add(T.add(r, g), T.call('fma', [T.call('rsqrt', [pos]), x, T.floatImm(0.5)]));
    });
    // Inputs on exact halves (k/8) make round's ties matter.
    const args = [hostArray([n], 'float32', (k) => (k - 150) / 8), hostArray([n])];
    const want = Array.from(args[0]!.data, (x) => {
      const h = 4 * x;
      const pos = Math.abs(x) + 0.25;
      return roundEvenRef(h) + Math.trunc(h) + Math.ceil(h) + Math.sin(x) + Math.cos(x) + Math.log(pos) + pos ** 1.5 + x / Math.sqrt(pos) + 0.5;
    });
    expect(maxAbsDiff(await gpuRun(f, args, 1), want)).toBeLessThan(1e-4);
  });

  it('keeps TIR integer semantics: floordiv/floormod/div/mod on negatives, casts', async () => {
    const n = 200;
    const f = elementwise(n, (x, i) => {
      const v = T.sub(i, i32(100));
      const a = T.add(T.floordiv(v, i32(7)), T.mul(T.floormod(v, i32(7)), i32(1000)));
      const b = T.add(T.mul(T.div(v, i32(-3)), i32(100000)), T.add(T.mod(v, i32(5)), T.floordiv(v, i32(4))));
      return T.add(T.add(a, b), T.cast('int32', T.mul(x, T.floatImm(10))));
    }, 32, 'int32');
    const args = [hostArray([n], 'float32', seeded(3)), hostArray([n], 'int32')];
    const want = Array.from(args[0]!.data, (x, i) => {
      const v = i - 100;
      const a = Math.floor(v / 7) + (v - Math.floor(v / 7) * 7) * 1000;
      const b = Math.trunc(v / -3) * 100000 + (v % 5) + Math.floor(v / 4);
      return a + b + Math.trunc(f32(x * 10));
    });
    expect(Array.from(await gpuRun(f, args, 1))).toEqual(want);
  });

  it('folds a grid of 70000 blocks and still covers every element once', async () => {
    const n = 70000;
    const f = elementwise(n, (x, i) => T.add(x, T.cast('float32', i)), 1);
    const got = await gpuRun(f, [hostArray([n], 'float32', () => 0.5), hostArray([n])], 1);
    expect(maxAbsDiff(got, Array.from({ length: n }, (_, i) => i + 0.5))).toBe(0);
  });

  it('runs a function of two nests over a global scratch buffer as two dispatches', async () => {
    const n = 256;
    const X = T.buffer('X', [n], 'float32'), Y = T.buffer('Y', [n], 'float32'), tmp = T.buffer('tmp', [n], 'float32');
    const bx = T.variable('bx'), tx = T.variable('tx'), by = T.variable('by'), ty = T.variable('ty');
    const idx = (b: T.Var, t: T.Var): T.PrimExpr => T.add(T.mul(b, i32(64)), t);
    const nest = (b: T.Var, t: T.Var, body: T.Stmt): T.Stmt => T.forLoop(b, 0, n / 64, 'threadBinding',
      T.forLoop(t, 0, 64, 'threadBinding', body, { threadTag: 'threadIdx.x' }), { threadTag: 'blockIdx.x' });
    // The second nest reads what other workgroups wrote: right only with a dispatch in between.
    const f = T.primFunc('two_pass', [X, Y], T.allocate(tmp, T.seq([
      nest(bx, tx, T.bufferStore(tmp, T.mul(T.bufferLoad(X, [idx(bx, tx)]), T.floatImm(2)), [idx(bx, tx)])),
      nest(by, ty, T.bufferStore(Y, T.add(T.bufferLoad(tmp, [T.sub(i32(n - 1), idx(by, ty))]), T.floatImm(1)), [idx(by, ty)])),
    ])));
    const args = [hostArray([n], 'float32', seeded(11)), hostArray([n])];
    const x = args[0]!.data.slice();
    const got = await gpuRun(f, args, 1);
    expect(maxAbsDiff(got, Array.from({ length: n }, (_, i) => f32(f32(x[n - 1 - i]! * 2) + 1)))).toBe(0);
  });

  it('keeps barriers in uniform control flow inside a loop whose start depends on the thread', async () => {
    const X = T.buffer('X', [32], 'float32'), Y = T.buffer('Y', [16], 'float32'), S = T.buffer('S', [16], 'float32', 'shared');
    const tx = T.variable('tx'), j = T.variable('j');
    const body = T.forLoop(j, tx, 3, 'serial', T.seq([
      T.bufferStore(S, T.bufferLoad(X, [j]), [tx]),
      T.bufferStore(Y, T.add(T.bufferLoad(Y, [tx]), T.bufferLoad(S, [T.sub(i32(15), tx)])), [tx]),
    ]));
    const f = T.primFunc('varying_start', [X, Y], T.forLoop(tx, 0, 16, 'threadBinding', T.allocate(S, body), { threadTag: 'threadIdx.x' }));
    const args = [hostArray([32], 'float32', seeded(5)), hostArray([16])];
    const x = args[0]!.data;
    // Step s: thread t writes S[t] = X[t + s] and reads S[15 − t], which thread 15 − t wrote.
    const want = Array.from({ length: 16 }, (_, t) => [0, 1, 2].reduce((acc, s) => f32(acc + x[15 - t + s]!), 0));
    expect(maxAbsDiff(await gpuRun(f, args, 1), want)).toBeLessThan(1e-6);
  });

  it('runs an unbound function as one invocation when opted in', async () => {
    const X = T.buffer('X', [10], 'float32');
    const i = T.variable('i');
    const f = T.primFunc('prefix', [X], T.forLoop(i, 1, 9, 'serial',
      T.bufferStore(X, T.add(T.bufferLoad(X, [i]), T.bufferLoad(X, [T.sub(i, i32(1))])), [i])));
    const got = await gpuRun(f, [hostArray([10], 'float32', (k) => k)], 0, { singleInvocation: true });
    // i runs from 1 for 9 steps: running prefix sums of 0…9, in order (one invocation).
    expect(Array.from(got)).toEqual([0, 1, 3, 6, 10, 15, 21, 28, 36, 45]);
  });
});

describe('WebGPU runtime', () => {
  it("runs through build(f, 'webgpu') on nd arrays that live in (shared) wasm memory", async () => {
    const f = naiveMatmul(12, 10, 6, 4);
    const args = matmulArgs(12, 10, 6);
    const want = matmulWant(args, 12, 10, 6);
    const [a, b, c] = [nd.array(args[0]!.data, [12, 6]), nd.array(args[1]!.data, [6, 10]), nd.empty([12, 10])];
    const mod = await build(f, 'webgpu');
    await mod.run(a, b, c);
    expect(maxAbsDiff(c.data, want)).toBeLessThan(1e-5);
    mod.dispose();
    for (const x of [a, b, c]) x.free();
  });

  it('names the adapter in module info and in the target string', async () => {
    const info = await getWebGPUAdapterInfo();
    expect(info.description.length).toBeGreaterThan(0);
    expect(await webgpuTargetString()).toBe(`webgpu -device=${info.deviceName}`);
    const mod = await buildWebGPU(naiveMatmul(4, 4, 4, 4), await webgpuTargetString());
    expect(mod.info).toMatchObject({ target: `webgpu -device=${info.deviceName}`, vendor: info.vendor, description: info.description });
    mod.dispose();
    const plain = await buildWebGPU(naiveMatmul(4, 4, 4, 4), 'webgpu');
    expect(plain.target.str).toBe('webgpu');
    expect(plain.info.target).toBe(`webgpu -device=${info.deviceName}`);
    plain.dispose();
  });

  it('times with TVM time-evaluator semantics', async () => {
    const mod = await buildWebGPU(naiveMatmul(16, 16, 16, 8), 'webgpu');
    const args = matmulArgs(16, 16, 16);
    const t = await mod.timeEvaluator({ number: 2, repeat: 3, minRepeatMs: 5 }).run(...args);
    expect(t.results).toHaveLength(3);
    expect(t.min).toBeGreaterThan(0);
    expect(t.min).toBeLessThanOrEqual(t.median);
    expect(t.number).toBeGreaterThanOrEqual(2);
    await expect(mod.timeEvaluator({ number: 0 }).run(...args)).rejects.toThrow(/number must be/);
    mod.dispose();
  });

  it('times by wall clock over batched dispatches where timestamps are not used', async () => {
    process.env['TENSORTUNE_WEBGPU_TIMER'] = 'wall';
    try {
      const mod = await buildWebGPU(naiveMatmul(16, 16, 16, 8), 'webgpu');
      expect(mod.info['timing']).toBe('onSubmittedWorkDone');
      const t = await mod.timeEvaluator({ number: 3, repeat: 2 }).run(...matmulArgs(16, 16, 16));
      expect(t.results).toHaveLength(2);
      expect(t.min).toBeGreaterThan(0);
      mod.dispose();
    } finally {
      delete process.env['TENSORTUNE_WEBGPU_TIMER'];
    }
  });

  it("times by this process's CPU time on lavapipe (timer 'process-cpu'), a fake CPU clock giving the costs", async () => {
    const info = await getWebGPUAdapterInfo();
    if (info.deviceName !== 'llvmpipe') return; // CI and this project's machines run lavapipe; a GPU refuses (tests/runtime/time_evaluator_timer.test.ts)
    const mod = await buildWebGPU(naiveMatmul(16, 16, 16, 8), 'webgpu -device=llvmpipe');
    const args = matmulArgs(16, 16, 16);
    try {
      let t = 0;
      let calls = 0;
      const spy = vi.spyOn(process, 'cpuUsage').mockImplementation(() => { calls++; t += 6000; return { user: t, system: 0 }; });
      const r = await mod.timeEvaluator({ number: 3, repeat: 2, minRepeatMs: 0, timer: 'process-cpu' }).run(...args);
      spy.mockRestore();
      expect(r.results).toEqual([0.002, 0.002]); // 6 ms of CPU time per batch of 3 runs
      expect(calls).toBe(6); // warm-up and two batches, the clock read around each
      // The kernel still ran: the output is the product.
      await mod.run(...args);
      expect(maxAbsDiff(args[2]!.data, matmulWant(args, 16, 16, 16))).toBeLessThan(1e-4);
    } finally {
      mod.dispose();
    }
  });

  it('loads an artifact built elsewhere (plain data) without its PrimFunc', async () => {
    const f = naiveMatmul(9, 7, 5, 4);
    const art = compileWGSL(f, 'webgpu');
    const copy = { ...JSON.parse(JSON.stringify({ ...art, bytes: Array.from(art.bytes) })) };
    const mod = await loadWebGPU({ ...copy, bytes: new Uint8Array(copy.bytes) });
    expect(mod.func.params.map((p) => p.name)).toEqual(['A', 'B', 'C']);
    const args = matmulArgs(9, 7, 5);
    const want = matmulWant(args, 9, 7, 5);
    await mod.run(...args);
    expect(maxAbsDiff(args[2]!.data, want)).toBeLessThan(1e-5);
    mod.dispose();
  });

  it('checks argument shapes and dtypes', async () => {
    const mod = await buildWebGPU(naiveMatmul(4, 4, 4, 4), 'webgpu');
    await expect(mod.run(hostArray([4, 4]), hostArray([4, 4]), hostArray([4, 5]))).rejects.toThrow(/argument 2 .*shape \[4, 5\], expected \[4, 4\]/);
    await expect(mod.run(hostArray([4, 4]), hostArray([4, 4], 'int32'), hostArray([4, 4]))).rejects.toThrow(/dtype int32, expected float32/);
    mod.dispose();
  });

  it('quotes the compiler message and the WGSL line when Dawn refuses a shader', async () => {
    const art = compileWGSL(naiveMatmul(4, 4, 4, 4), 'webgpu');
    const broken = new TextDecoder().decode(art.bytes).replace('C_local[0i] = 0.0f;', 'C_local[0i] = 0i;');
    const err = await loadWebGPU({ ...art, bytes: new TextEncoder().encode(broken) }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/WGSL compiler refused matmul_naive/);
    expect((err as Error).message).toMatch(/WGSL line \d+:\d+/);
    expect((err as Error).message).toContain('C_local[0i] = 0i;');
  });

  it('says how to get an adapter when there is none', async () => {
    const stale = await buildWebGPU(naiveMatmul(4, 4, 4, 4), 'webgpu');
    // releaseWebGPU resolves once the device is lost, so the stale module already knows.
    await releaseWebGPU();
    await expect(stale.run(hostArray([4, 4]), hostArray([4, 4]), hostArray([4, 4]))).rejects.toThrow(/device is gone/);
    process.env['TENSORTUNE_WEBGPU_ADAPTER'] = 'no-such-adapter';
    try {
      await expect(getWebGPUAdapterInfo()).rejects.toThrow(/no WebGPU adapter found.*bash scripts\/install-webgpu-driver\.sh/);
    } finally {
      delete process.env['TENSORTUNE_WEBGPU_ADAPTER'];
    }
    expect((await getWebGPUAdapterInfo()).description.length).toBeGreaterThan(0);
  });

  it('refuses a target naming another device', async () => {
    await expect(buildWebGPU(naiveMatmul(4, 4, 4, 4), 'webgpu -device=nosuchgpu')).rejects.toThrow(/asks for device 'nosuchgpu'/);
  });
});
