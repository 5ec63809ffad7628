// bench/ort_one_node.ts — the onnxruntime-web peer of bench/ops.ts: each workload of ../shared/workloads.json
// as a one-node ONNX model (Conv for conv2d and depthwise (group = C), MatMul for matmul and batch_matmul,
// Gemm transB=1 for dense), weights as initializers (as in a real model, so ORT may prepack them), run
// by onnxruntime-web's wasm execution provider in this process and timed like our kernels.

import onnxProto from 'onnx-proto';
import { timeRuns } from '../runtime/time_evaluator.js';

const { onnx } = onnxProto;

export interface BenchWorkload {
  readonly id: string; readonly op: string;
  readonly M?: number; readonly K?: number; readonly N?: number; readonly B?: number;
  readonly C?: number; readonly H?: number; readonly W?: number; readonly O?: number; readonly R?: number; readonly stride?: number; readonly pad?: number;
}

function floatTensor(name: string, shape: readonly number[], data: Float32Array): onnxProto.onnx.ITensorProto {
  return { name, dims: [...shape], dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

function valueInfo(name: string, shape: readonly number[]): onnxProto.onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: shape.map((d) => ({ dimValue: d })) } } } };
}

const ints = (name: string, v: readonly number[]): onnxProto.onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: [...v] });
const int = (name: string, v: number): onnxProto.onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INT, i: v });

/** The workload's one-node model (opset 17), its input X's shape and its weight's shape. */
export function oneNodeModel(w: BenchWorkload, fill: (n: number, seed: number) => Float32Array): { model: Uint8Array; xShape: number[] } {
  let xShape: number[];
  let wShape: number[];
  let node: onnxProto.onnx.INodeProto;
  let yShape: number[];
  switch (w.op) {
    case 'matmul': case 'batch_matmul': {
      const b = w.op === 'batch_matmul' ? [w.B!] : [];
      xShape = [...b, w.M!, w.K!];
      wShape = [...b, w.K!, w.N!];
      yShape = [...b, w.M!, w.N!];
      node = { opType: 'MatMul', input: ['X', 'Wt'], output: ['Y'], name: 'n0' };
      break;
    }
    case 'dense':
      xShape = [w.M!, w.K!];
      wShape = [w.N!, w.K!];
      yShape = [w.M!, w.N!];
      node = { opType: 'Gemm', input: ['X', 'Wt'], output: ['Y'], name: 'n0', attribute: [int('transB', 1)] };
      break;
    default: {
      const dw = w.op === 'depthwise_conv2d';
      const O = dw ? w.C! : w.O!;
      const [s, p, R] = [w.stride ?? 1, w.pad ?? 0, w.R!];
      xShape = [1, w.C!, w.H!, w.W!];
      wShape = [O, dw ? 1 : w.C!, R, R];
      yShape = [1, O, Math.floor((w.H! + 2 * p - R) / s) + 1, Math.floor((w.W! + 2 * p - R) / s) + 1];
      node = { opType: 'Conv', input: ['X', 'Wt'], output: ['Y'], name: 'n0', attribute: [ints('kernel_shape', [R, R]), ints('strides', [s, s]), ints('pads', [p, p, p, p]), ints('dilations', [1, 1]), int('group', dw ? w.C! : 1)] };
    }
  }
  const n = wShape.reduce((a, b) => a * b, 1);
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'tensortune-bench',
    opsetImport: [{ domain: '', version: 17 }],
    graph: { name: w.id, node: [node], initializer: [floatTensor('Wt', wShape, fill(n, 2))], input: [valueInfo('X', xShape)], output: [valueInfo('Y', yShape)] },
  });
  return { model: onnx.ModelProto.encode(model).finish(), xShape };
}

let initializedThreads: number | undefined;

/**
 * Seconds per run (best of `repeat` measurements of ≥ minRepeatMs) of the workload on onnxruntime-web
 * with `threads` threads. onnxruntime-web fixes its thread count at its first session: every call in
 * one process must use the same `threads` (an Error says so otherwise).
 */
export async function ortSeconds(w: BenchWorkload, threads: number, repeat: number, fill: (n: number, seed: number) => Float32Array, timer: 'wall' | 'process-cpu' = 'wall'): Promise<number> {
  const { run, release } = await ortRunner(w, threads, fill);
  try {
    await run();
    const t = await timeRuns(run, { number: 1, repeat, minRepeatMs: 200, timer });
    return t.min;
  } finally {
    await release();
  }
}

/**
 * The workload's one-node model in an onnxruntime-web session with `threads` threads (fixed per process, as
 * ortSeconds), and a run of it on seeded input (output disposed); release() ends the session.
 */
export async function ortRunner(w: BenchWorkload, threads: number, fill: (n: number, seed: number) => Float32Array): Promise<{ run: () => Promise<void>; release: () => Promise<void> }> {
  const ort = await import('onnxruntime-web');
  if (initializedThreads === undefined) {
    ort.env.wasm.numThreads = threads;
    initializedThreads = threads;
  } else if (initializedThreads !== threads) {
    throw new Error(`onnxruntime-web already runs with ${initializedThreads} threads in this process; it cannot switch to ${threads}`);
  }
  const { model, xShape } = oneNodeModel(w, fill);
  const session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const x = new ort.Tensor('float32', fill(xShape.reduce((a, b) => a * b, 1), 1), xShape);
  return {
    run: async () => {
      const out = await session.run({ X: x });
      out.Y!.dispose();
    },
    release: () => session.release(),
  };
}
