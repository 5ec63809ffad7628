// runtime/graph_executor.ts — runs a graph plan (runtime/graph_plan.ts): planned storages allocated
// once, constants written once, then per run: inputs copied in, kernels run in order, outputs copied
// out. wasm kernels share the wasm memory; on WebGPU (runtime/webgpu/graph_webgpu.ts) every storage
// is a device buffer and all kernels go in one command buffer, so nothing leaves the device between them.

import type { CompiledArtifact } from '../codegen/artifact.js';
import { parseTarget } from '../target/index.js';
import { checkPlan, planBytes, type GraphBackend, type GraphLoadOptions, type GraphPlan, type PlanIO } from './graph_plan.js';
import { checkProfileOptions, profileRuns, type GraphProfile, type ProfileOptions } from './graph_profile.js';
import type { NDArrayLike, TimeEvaluatorOptions, TimeResult } from './module.js';
import { array, NDArray } from './ndarray.js';
import { checkTimerFor, timeRuns } from './time_evaluator.js';
import { loadWasm, type WasmModule } from './wasm_module.js';

/** A model input: an NDArray (or anything with shape/dtype/data) or a typed array of the right length. */
export type GraphInput = NDArrayLike | Float32Array | Int32Array;

/** The outputs in the model's order; `byName` maps output names to the same arrays. */
export interface GraphOutputs extends ReadonlyArray<NDArray> {
  readonly byName: Readonly<Record<string, NDArray>>;
}

function inputValues(io: PlanIO, given: GraphInput | undefined): Float32Array | Int32Array {
  if (given === undefined) throw new Error(`graph executor: input '${io.name}' is missing`);
  const n = io.shape.reduce((a, b) => a * b, 1);
  if (given instanceof Float32Array || given instanceof Int32Array) {
    if (given.length !== n) throw new RangeError(`graph executor: input '${io.name}' has ${given.length} values, expected ${n} for shape [${io.shape.join(', ')}]`);
    return given;
  }
  if (given.shape.length !== io.shape.length || given.shape.some((d, i) => d !== io.shape[i])) {
    throw new RangeError(`graph executor: input '${io.name}' has shape [${given.shape.join(', ')}], the model was built for [${io.shape.join(', ')}]`);
  }
  if (given.dtype !== io.dtype) throw new TypeError(`graph executor: input '${io.name}' is ${given.dtype}, expected ${io.dtype}`);
  return given.data;
}

/**
 * Kernels and storages on wasm: one NDArray per storage, views per tensor, one loaded module per
 * artifact. Each kernel's arguments are checked and turned into its call (entry and addresses) once,
 * here; a run is then a synchronous loop of those calls, with the thread pool held hot across it.
 */
async function wasmBackend(plan: GraphPlan): Promise<GraphBackend> {
  const storages = plan.storages.map((bytes) => new NDArray([Math.max(1, Math.ceil(bytes / 4))], 'float32'));
  const view = (t: { storage: number; shape: readonly number[]; dtype: 'float32' | 'int32' }): NDArray => storages[t.storage]!.view(t.shape, t.dtype);
  for (const c of plan.constants) view(c).copyFrom(c.data);
  const modules = new Map<CompiledArtifact, WasmModule>();
  for (const k of plan.kernels) if (!modules.has(k.artifact)) modules.set(k.artifact, await loadWasm(k.artifact));
  const calls = plan.kernels.map((k) => modules.get(k.artifact)!.bind(...k.args.map(view)));
  const pool = [...modules.values()].find((m) => m.workers !== undefined)?.workers;
  const inputs = plan.inputs.map(view);
  const outputs = plan.outputs.map(view);
  const loaded = [...modules.values()];
  const runKernels = (): void => {
    pool?.beginRun();
    try {
      for (let i = 0; i < calls.length; i++) calls[i]!();
    } finally {
      pool?.endRun();
    }
  };
  const runStamped = (stamp: (i: number) => void): void => {
    pool?.beginRun();
    try {
      for (let i = 0; i < calls.length; i++) {
        stamp(i);
        calls[i]!();
      }
      stamp(calls.length);
    } finally {
      pool?.endRun();
    }
  };
  return {
    async run(values) {
      values.forEach((v, i) => inputs[i]!.copyFrom(v));
      runKernels();
      return outputs.map((o) => o.toArray());
    },
    runKernels,
    runStamped,
    sampledCalls: () => loaded.reduce((n, m) => n + m.sampledCalls, 0),
    dispose() {
      for (const m of modules.values()) m.dispose();
      for (const s of storages) s.free();
    },
  };
}

/** A loaded plan: `run` per call, `benchmark` by TVM's time evaluator. */
export class GraphExecutor {
  private disposed = false;

  private constructor(readonly plan: GraphPlan, private readonly backend: GraphBackend) {}

  /** Checks the plan, allocates its storages on the target's device and loads every kernel once. */
  static async load(plan: GraphPlan, opts: GraphLoadOptions = {}): Promise<GraphExecutor> {
    checkPlan(plan);
    const kind = parseTarget(plan.target).kind;
    if (kind === 'wasm') return new GraphExecutor(plan, await wasmBackend(plan));
    const { webgpuGraphBackend } = await import('./webgpu/graph_webgpu.js');
    return new GraphExecutor(plan, await webgpuGraphBackend(plan, opts));
  }

  get inputNames(): string[] {
    return this.plan.inputs.map((i) => i.name);
  }

  get outputNames(): string[] {
    return this.plan.outputs.map((o) => o.name);
  }

  /** Bytes of all planned storages (the peak memory of a run, weights included). */
  get memoryBytes(): number {
    return planBytes(this.plan);
  }

  /**
   * Runs the model: `inputs` by input name (every input required; shapes as built). Returns fresh
   * NDArrays (the caller frees them) in output order, also by name.
   */
  async run(inputs: Readonly<Record<string, GraphInput>>): Promise<GraphOutputs> {
    if (this.disposed) throw new Error('graph executor: used after dispose()');
    for (const name of Object.keys(inputs)) {
      if (!this.plan.inputs.some((i) => i.name === name)) throw new Error(`graph executor: '${name}' is not an input of the model (inputs: ${this.inputNames.join(', ')})`);
    }
    const values = this.plan.inputs.map((io) => inputValues(io, inputs[io.name]));
    const outs = await this.backend.run(values);
    const arrays = outs.map((v, i) => array(v, this.plan.outputs[i]!.shape, this.plan.outputs[i]!.dtype));
    const byName: Record<string, NDArray> = {};
    this.plan.outputs.forEach((o, i) => {
      byName[o.name] = arrays[i]!;
    });
    return Object.assign(arrays, { byName });
  }

  /**
   * Parallel-loop calls the runtime has timed so far to decide where each loop runs (LoopCosts.sampledCalls
   * summed over the kernels; runtime/parallel_cost.ts); 0 on WebGPU and for single-threaded kernels.
   */
  get sampledCalls(): number {
    return this.backend.sampledCalls?.() ?? 0;
  }

  /**
   * Times whole-model runs (inputs set once, kernels only), as TVM's time evaluator, warmed up as it warms
   * up a single kernel: runs are repeated (up to MAX_SETTLE_RUNS) until one adds no sampled parallel-loop
   * call, so every timed run uses settled dispatch decisions. Seconds per run.
   */
  async benchmark(inputs: Readonly<Record<string, GraphInput>>, opts: TimeEvaluatorOptions = {}): Promise<TimeResult> {
    checkTimerFor(opts, 'a model (GraphExecutor.benchmark)', 'its kernels may run on worker threads or a GPU; models are timed by wall clock');
    const outs = await this.run(inputs);
    for (const o of outs) o.free();
    const sampled = this.backend.sampledCalls;
    return timeRuns(() => this.backend.runKernels(), opts, undefined, sampled ? () => sampled() : undefined);
  }

  /**
   * Per-kernel profile (TVM's debug_executor): sets `inputs` (as run), then times every kernel of the plan where it
   * runs in the model, `opts.runs` times (runtime/graph_profile.ts), beside whole runs without the per-kernel clocks.
   * wasm only: throws an Error on WebGPU, whose kernels go to the device in one command buffer; RangeError for bad
   * options or timer 'process-cpu' on more than one thread.
   */
  async profile(inputs: Readonly<Record<string, GraphInput>>, opts: ProfileOptions = {}): Promise<GraphProfile> {
    const b = this.backend;
    const runStamped = b.runStamped;
    if (runStamped === undefined) {
      throw new Error(`graph executor: per-kernel profiling needs a target whose kernels the host calls one by one (wasm); '${this.plan.target}' submits them together`);
    }
    checkProfileOptions(this.plan, opts);
    const outs = await this.run(inputs);
    for (const o of outs) o.free();
    return profileRuns(this.plan, {
      runKernels: () => void b.runKernels(),
      runStamped: (stamp) => runStamped(stamp),
      ...(b.sampledCalls ? { sampledCalls: () => b.sampledCalls!() } : {}),
    }, opts);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.backend.dispose();
  }
}
