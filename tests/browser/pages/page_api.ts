// tests/browser/pages/page_api.ts — what the browser test runs inside the page: it uses only the
// library's public entry (index.ts, served as the browser bundle /tensortune.js) and checks every
// result against a plain JavaScript reference computed in the same page.

import { build, nd, runtime, te, tir } from '../../../index.js';

/** What the page environment offers: isolation (SharedArrayBuffer) and WebGPU. */
export function environment(): { crossOriginIsolated: boolean; hardwareConcurrency: number; userAgent: string; hasGpu: boolean } {
  return {
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    hardwareConcurrency: navigator.hardwareConcurrency,
    userAgent: navigator.userAgent,
    hasGpu: (navigator as { gpu?: unknown }).gpu !== undefined,
  };
}

let workersStarted = 0;
let instrumented = false;

/**
 * Counts Web Workers the page starts, by wrapping the global constructor: the library's thread
 * pool uses `new Worker(blobUrl)` in a browser, so a count > 0 proves it took that path.
 */
export function instrumentWorkers(): void {
  if (instrumented) return;
  instrumented = true;
  const Original = globalThis.Worker;
  globalThis.Worker = class CountingWorker extends Original {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      workersStarted++;
    }
  };
}

export function workerCount(): number {
  return workersStarted;
}

/** Deterministic values in [-1, 1) from a small LCG, the same on every run. */
function seeded(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** C = A·B in double precision: the reference the compiled kernels must match. */
function jsMatmul(a: Float32Array, b: Float32Array, M: number, N: number, K: number): Float64Array {
  const c = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let k = 0; k < K; k++) {
      const aik = a[i * K + k]!;
      for (let j = 0; j < N; j++) c[i * N + j]! += aik * b[k * N + j]!;
    }
  }
  return c;
}

function maxAbsDiff(got: Float32Array | Int32Array, want: Float64Array): number {
  if (got.length !== want.length) throw new Error(`length ${got.length} differs from the reference's ${want.length}`);
  let m = 0;
  for (let i = 0; i < got.length; i++) m = Math.max(m, Math.abs(got[i]! - want[i]!));
  return Number.isNaN(m) ? Infinity : m;
}

function maxAbs(xs: Float64Array): number {
  let m = 0;
  for (const x of xs) m = Math.max(m, Math.abs(x));
  return m;
}

function matmulCompute(M: number, N: number, K: number): { A: te.Tensor; B: te.Tensor; C: te.Tensor } {
  const A = te.placeholder([M, K], 'float32', 'A');
  const B = te.placeholder([K, N], 'float32', 'B');
  const k = te.reduceAxis(K, 'k');
  const C = te.compute([M, N], (i, j) => te.sum(A.at(i, k).mul(B.at(k, j)), [k]), 'C');
  return { A, B, C };
}

export interface MatmulResult {
  readonly maxAbsDiff: number;
  readonly maxAbsRef: number;
  readonly info: Readonly<Record<string, string | number | boolean>>;
  /** Wall time of the first run (includes the workers' first compile of the kernel). */
  readonly milliseconds: number;
  /** Seconds per run from the module's timeEvaluator, one per repeat (empty when `repeat` is 0). */
  readonly seconds: readonly number[];
}

/** The CPU schedule of DESIGN.md: split, reorder, vectorize, unroll, parallel; built for `target`, run, checked. */
export async function wasmMatmul(M: number, N: number, K: number, target: string, repeat = 0): Promise<MatmulResult> {
  const { A, B, C } = matmulCompute(M, N, K);
  const s = te.createSchedule([C]);
  const c = s.stage(C);
  const [yo, yi] = c.split(c.axis[0]!, { factor: 8 });
  const [xo, xi] = c.split(c.axis[1]!, { factor: 16 });
  const [ko, ki] = c.split(c.reduceAxis[0]!, { factor: 4 });
  c.reorder(yo, xo, ko, yi, ki, xi);
  c.vectorize(xi);
  c.unroll(ki);
  c.parallel(yo);
  const f = te.lower(s, [A, B, C], { name: 'matmul_browser' });
  const mod = await build(f, target);
  const a = seeded(M * K, 1), b = seeded(K * N, 2);
  const na = nd.array(a, [M, K]), nb = nd.array(b, [K, N]), nc = nd.empty([M, N]);
  try {
    const t0 = performance.now();
    await mod.run(na, nb, nc);
    const milliseconds = performance.now() - t0;
    const want = jsMatmul(a, b, M, N, K);
    const check = { maxAbsDiff: maxAbsDiff(nc.data, want), maxAbsRef: maxAbs(want), info: { ...mod.info }, milliseconds };
    // One run per repeat (minRepeatMs 0): the tests check the shape of the result, not a speed, and
    // raising `number` toward a minimum time makes a 2-thread run on a loaded machine take very long.
    const seconds = repeat > 0 ? (await mod.timeEvaluator({ number: 1, repeat, minRepeatMs: 0 }).run(na, nb, nc)).results : [];
    return { ...check, seconds };
  } finally {
    mod.dispose();
    na.free(); nb.free(); nc.free();
  }
}

/** The error message of `wasmMatmul` for this target, or 'no error' when it runs and matches. */
export async function wasmMatmulError(M: number, N: number, K: number, target: string): Promise<string> {
  try {
    const r = await wasmMatmul(M, N, K, target);
    return r.maxAbsDiff < 1e-4 ? 'no error' : `wrong result: max abs diff ${r.maxAbsDiff}`;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * A parallel loop whose second half (the worker's range with 2 threads: i = 4 … 7) stores far out of bounds,
 * run once; returns its error message ('no error' if none). With `steps`, the loop follows that step schedule
 * (ThreadPool.stepSchedule, a test hook): [1, 1] makes the Web Worker take its hand-off and claim i = 4 before
 * the caller claims anything, so the trap is the worker's every time. Without, whichever thread claims
 * i = 4 … 7 first traps (the caller steals a late worker's chunks).
 */
export async function workerTrapMessage(steps?: number[]): Promise<string> {
  const A = tir.buffer('A', [8], 'float32');
  const i = tir.variable('i');
  const ix = tir.select(tir.ge(i, tir.intImm(4)), tir.mul(i, tir.intImm(200_000_000)), i);
  const f = tir.primFunc('oob', [A], tir.forLoop(i, 0, 8, 'parallel', tir.bufferStore(A, tir.floatImm(1), [ix])));
  const mod = await build(f, 'wasm -threads=2');
  const a = nd.empty([8]);
  const pool = runtime.threadPool(runtime.memoryPool().memory);
  // 8 iterations are far below the runtime's dispatch threshold: make the loop go to the worker.
  const prev = runtime.setParallelCostModel(runtime.ALWAYS_PARALLEL);
  pool.stepSchedule(steps);
  try {
    await mod.run(a);
    return 'no error';
  } catch (e) {
    return (e as Error).message;
  } finally {
    pool.stepSchedule(undefined);
    runtime.setParallelCostModel(prev);
    mod.dispose();
    a.free();
  }
}

/** A host-side array for WebGPU runs (the runtime copies it to and from the GPU). */
function hostArray(data: Float32Array, shape: readonly number[]): runtime.NDArrayLike {
  return { shape, dtype: 'float32', size: data.length, data };
}

/** A GPU schedule: 8×8 output tiles per workgroup, one output per thread, bound to block/thread indices. */
export async function webgpuMatmul(M: number, N: number, K: number): Promise<MatmulResult> {
  const { A, B, C } = matmulCompute(M, N, K);
  const s = te.createSchedule([C]);
  const c = s.stage(C);
  const [by, bx, ty, tx] = c.tile(c.axis[0]!, c.axis[1]!, 8, 8);
  c.bind(by, 'blockIdx.y'); c.bind(bx, 'blockIdx.x');
  c.bind(ty, 'threadIdx.y'); c.bind(tx, 'threadIdx.x');
  const f = te.lower(s, [A, B, C], { name: 'matmul_webgpu_browser' });
  const mod = await build(f, 'webgpu');
  const a = seeded(M * K, 3), b = seeded(K * N, 4);
  const out = hostArray(new Float32Array(M * N), [M, N]);
  try {
    const t0 = performance.now();
    await mod.run(hostArray(a, [M, K]), hostArray(b, [K, N]), out);
    const milliseconds = performance.now() - t0;
    const want = jsMatmul(a, b, M, N, K);
    return { maxAbsDiff: maxAbsDiff(out.data, want), maxAbsRef: maxAbs(want), info: { ...mod.info }, milliseconds, seconds: [] };
  } finally {
    mod.dispose();
  }
}

/**
 * Hides navigator.gpu from the library, as a browser without WebGPU (or an insecure context) would:
 * the library must then say so rather than try the Node-only Dawn package.
 */
export function hideNavigatorGpu(): void {
  Object.defineProperty(Navigator.prototype, 'gpu', { value: undefined, configurable: true });
}

/** The error a WebGPU build gives where the browser offers no adapter (or 'no error'). */
export async function webgpuBuildError(): Promise<string> {
  const { A, B, C } = matmulCompute(4, 4, 4);
  const s = te.createSchedule([C]);
  const c = s.stage(C);
  c.bind(c.axis[0]!, 'threadIdx.y'); c.bind(c.axis[1]!, 'threadIdx.x');
  try {
    const mod = await build(te.lower(s, [A, B, C], { name: 'no_adapter' }), 'webgpu');
    mod.dispose();
    return 'no error';
  } catch (e) {
    return (e as Error).message;
  }
}
