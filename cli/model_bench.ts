// cli/model_bench.ts — timing a whole model for `tensortune bench`: latency median/p90 over repeated
// measurements (TVM's time evaluator), and onnxruntime-web on the same ONNX file and inputs.

import { timeRuns } from '../runtime/time_evaluator.js';
import type { HostTensor } from '../runtime/npy.js';
import type { TensorInfo } from '../runtime/bundle.js';

export interface Latency {
  /** Seconds per inference. */
  readonly median: number;
  readonly p90: number;
  readonly mean: number;
  readonly min: number;
  /** Seconds per inference of each measurement (`number` inferences each). */
  readonly samples: readonly number[];
  readonly number: number;
}

/** The q-quantile (0..1) of `xs` by the nearest-rank method. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

/**
 * Runs `run` (one inference, awaited) until at least `minRuns` runs and `minMs` milliseconds have
 * passed; returns the number of runs. TVM's time evaluator warms up with one run, which is not
 * enough for a peer compiled to a large wasm module: V8 tiers its code up (Liftoff → TurboFan)
 * over the first calls and its thread pool spins up, so onnxruntime-web's first measurements of
 * the PaddleOCR classifier were 70, 54, 48, 43 and 34 ms, then 3–6 ms (measured). Both sides of a
 * comparison get the same warm-up. `clock` (milliseconds) is injectable for tests.
 */
export async function warmUp(run: () => Promise<unknown> | unknown, opts: { minRuns?: number; minMs?: number } = {}, clock: () => number = () => performance.now()): Promise<number> {
  const minRuns = opts.minRuns ?? 10;
  const minMs = opts.minMs ?? 500;
  const t0 = clock();
  let runs = 0;
  while (runs < minRuns || clock() - t0 < minMs) {
    await run();
    runs++;
  }
  return runs;
}

/** Times `run` (one inference) as TVM's time evaluator: a warm-up, then `repeat` measurements of ≥ minRepeatMs. */
export async function timeLatency(run: () => Promise<unknown>, opts: { repeat?: number; minRepeatMs?: number } = {}): Promise<Latency> {
  const t = await timeRuns(async () => { await run(); }, { number: 1, repeat: opts.repeat ?? 20, minRepeatMs: opts.minRepeatMs ?? 20 });
  return { median: t.median, p90: quantile(t.results, 0.9), mean: t.mean, min: t.min, samples: t.results, number: t.number };
}

export interface OrtModel {
  /** Outputs in the model's output order. */
  run(inputs: ReadonlyMap<string, HostTensor>): Promise<HostTensor[]>;
  readonly threads: number;
  readonly outputNames: readonly string[];
  release(): Promise<void>;
}

/**
 * onnxruntime-web (wasm execution provider, `threads` threads) on `model`, in this process.
 * `inputs` gives each input's ONNX dtype: int64 inputs are fed as BigInt64Array.
 */
export async function ortModel(model: Uint8Array, inputs: readonly TensorInfo[], threads: number): Promise<OrtModel> {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = threads;
  const session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const dtypes = new Map(inputs.map((i) => [i.name, i.dtype]));
  return {
    threads: Number(ort.env.wasm.numThreads),
    outputNames: session.outputNames,
    async run(feedsIn) {
      const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {};
      for (const [name, t] of feedsIn) {
        const shape = [...t.shape];
        if (dtypes.get(name) === 'int64') feeds[name] = new ort.Tensor('int64', BigInt64Array.from(t.data, (v) => BigInt(v)), shape);
        else feeds[name] = t.dtype === 'int32' ? new ort.Tensor('int32', t.data as Int32Array, shape) : new ort.Tensor('float32', t.data as Float32Array, shape);
      }
      const out = await session.run(feeds);
      return session.outputNames.map((n) => {
        const o = out[n]!;
        const data = o.data instanceof BigInt64Array ? Int32Array.from(o.data, (v) => Number(v)) : o.data instanceof Int32Array ? o.data : Float32Array.from(o.data as Float32Array);
        return { data, shape: [...o.dims], dtype: data instanceof Int32Array ? 'int32' as const : 'float32' as const };
      });
    },
    release: () => session.release(),
  };
}

/** Largest |a − b| relative to max |b| (1e-6 floor), for comparing our outputs with a peer's. */
export function maxRelativeError(a: HostTensor, b: HostTensor): number {
  if (a.data.length !== b.data.length) return Infinity;
  let scale = 1e-6;
  for (const v of b.data) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < a.data.length; i++) worst = Math.max(worst, Math.abs(a.data[i]! - b.data[i]!) / scale);
  return worst;
}
