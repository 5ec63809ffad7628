// runtime/graph_plan.ts — the graph executor's plan: plain data (JSON plus compiled kernels and
// typed-array weights, which runtime/bundle.ts packs into files). relay.build makes it; the
// executor (runtime/graph_executor.ts) runs it without the compiler.

import type { CompiledArtifact } from '../codegen/artifact.js';

export type PlanDType = 'float32' | 'int32';

/** A tensor living in a planned storage (at byte 0 of it). */
export interface PlanTensor {
  readonly storage: number;
  readonly shape: readonly number[];
  readonly dtype: PlanDType;
}

export interface PlanIO extends PlanTensor {
  readonly name: string;
}

export interface PlanConstant extends PlanTensor {
  readonly data: Float32Array | Int32Array;
}

export interface PlanKernel {
  /** The fused function's name ('fused_nn_conv2d_add_nn_relu'). */
  readonly name: string;
  /** Kernels with the same function share one artifact object. */
  readonly artifact: CompiledArtifact;
  /** The kernel's arguments in order: inputs, then the output last. */
  readonly args: readonly PlanTensor[];
  /** The operators fused into it, in order ('nn.conv2d', 'add', 'nn.relu'): for profiles; absent in older plans. */
  readonly ops?: readonly string[];
}

export interface GraphPlan {
  readonly format: 'tensortune-graph-plan';
  readonly version: 1;
  /** Canonical target string the kernels were compiled for. */
  readonly target: string;
  /** Byte size of each storage, by storage id. */
  readonly storages: readonly number[];
  readonly inputs: readonly PlanIO[];
  readonly outputs: readonly PlanIO[];
  readonly constants: readonly PlanConstant[];
  /** In execution order. */
  readonly kernels: readonly PlanKernel[];
}

export const PLAN_FORMAT = 'tensortune-graph-plan';

/** Checks a plan's structure (after unpacking a bundle, say) and names the first bad field. */
export function checkPlan(plan: GraphPlan): void {
  const bad = (msg: string): never => {
    throw new TypeError(`graph plan: ${msg}`);
  };
  if (plan?.format !== PLAN_FORMAT) bad(`format is ${JSON.stringify(plan?.format)}, expected '${PLAN_FORMAT}'`);
  if (plan.version !== 1) bad(`version ${plan.version} is not supported (1)`);
  const n = plan.storages.length;
  const checkTensor = (t: PlanTensor, where: string): void => {
    if (!Number.isInteger(t.storage) || t.storage < 0 || t.storage >= n) bad(`${where}: storage ${t.storage} does not exist (${n} storages)`);
    const bytes = t.shape.reduce((a, b) => a * b, 1) * 4;
    if (bytes > plan.storages[t.storage]!) bad(`${where}: needs ${bytes} bytes, storage ${t.storage} has ${plan.storages[t.storage]}`);
    if (t.dtype !== 'float32' && t.dtype !== 'int32') bad(`${where}: dtype ${t.dtype} is not float32 or int32`);
  };
  plan.inputs.forEach((t) => checkTensor(t, `input '${t.name}'`));
  plan.outputs.forEach((t) => checkTensor(t, `output '${t.name}'`));
  plan.constants.forEach((c, i) => {
    checkTensor(c, `constant ${i}`);
    if (c.data.length !== c.shape.reduce((a, b) => a * b, 1)) bad(`constant ${i}: ${c.data.length} values for shape [${c.shape.join(', ')}]`);
  });
  plan.kernels.forEach((k, i) => {
    if (!k.artifact || !(k.artifact.bytes instanceof Uint8Array)) bad(`kernel ${i} (${k.name}): no compiled artifact`);
    if (k.artifact.target.split(/\s+/)[0] !== plan.target.split(/\s+/)[0]) bad(`kernel ${i} (${k.name}) was compiled for '${k.artifact.target}', the plan is for '${plan.target}'`);
    k.args.forEach((a, j) => checkTensor(a, `kernel ${i} (${k.name}) argument ${j}`));
    if (k.ops !== undefined && !(Array.isArray(k.ops) && k.ops.every((o) => typeof o === 'string'))) bad(`kernel ${i} (${k.name}): ops must be a list of operator names`);
  });
}

/** Bytes of the planned storages (intermediates, inputs, outputs and constants together). */
export function planBytes(plan: GraphPlan): number {
  return plan.storages.reduce((a, b) => a + b, 0);
}

/** Options of loading a plan (GraphExecutor.load, loadBundle). */
export interface GraphLoadOptions {
  /**
   * WebGPU: given, loading reports its two stages, each once with 0 done first: 'create', as the distinct kernels'
   * pipelines are made (`total` distinct kernels); then 'dispatch', as each of the plan's `total` kernels is run
   * once on its own — lavapipe compiles a shader at its first dispatch, which with a cold Mesa shader cache takes
   * minutes for a model (docs/webgpu.md "Session 18"), so that work is done, and seen, at load rather than in a
   * silent first run. Not called for wasm, whose modules compile in milliseconds.
   */
  readonly onProgress?: (done: number, total: number, stage: 'create' | 'dispatch') => void;
}

/** What a target-specific executor does with a plan. */
export interface GraphBackend {
  /** Copies inputs in, runs every kernel, returns the outputs' values in plan order. */
  run(inputs: readonly (Float32Array | Int32Array)[]): Promise<(Float32Array | Int32Array)[]>;
  /** Runs the kernels only (inputs already in place), for timing; wasm runs synchronously. */
  runKernels(): Promise<void> | void;
  /**
   * Runs the kernels as runKernels, calling `stamp(i)` just before kernel i and `stamp(n)` after the last (n kernels),
   * synchronously: the per-kernel profiler's run (runtime/graph_profile.ts). Absent where kernels are not run one
   * by one from the host (WebGPU submits them all in one command buffer).
   */
  runStamped?(stamp: (i: number) => void): void;
  /**
   * Parallel-loop calls timed so far for dispatch decisions, summed over the kernels' modules
   * (LoopCosts.sampledCalls); absent where nothing is decided at run time (WebGPU).
   */
  sampledCalls?(): number;
  dispose(): void;
}
