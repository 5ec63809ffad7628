// relay/backend/build.ts — relay.build: optimize the module (SimplifyInference, FoldConstant,
// DeadCodeElimination, FuseOps), lower each distinct fused function to one kernel with the tuning
// logs' best configs, plan memory, and load the graph executor. Reports which kernel used which record.

import { GraphExecutor, type GraphInput, type GraphOutputs } from '../../runtime/graph_executor.js';
import type { GraphProfile, ProfileOptions } from '../../runtime/graph_profile.js';
import type { GraphPlan, PlanConstant, PlanIO, PlanKernel, PlanTensor } from '../../runtime/graph_plan.js';
import type { TimeEvaluatorOptions, TimeResult } from '../../runtime/module.js';
import { parseTarget, type Target } from '../../target/index.js';
import { applyHistoryBest, loadTophub, type ApplyHistoryBest } from '../../tuning-logs/apply_history_best.js';
import type { LogRecord } from '../../tuning-logs/record.js';
import { postOrder } from '../functor.js';
import { typeOf, type Expr, type IRModule, type RelayFunction } from '../nodes.js';
import { BATCH_MATMUL_PACK } from '../op/batch_matmul_pack.js';
import { DENSE_PACK } from '../op/dense_pack.js';
import { printExpr } from '../printer.js';
import { AlterConvWeightWebGPU, packsConvWeights } from '../transform/alter_conv_webgpu.js';
import { AlterDenseLayout } from '../transform/alter_dense_layout.js';
import { AlterOpLayout, layoutMode, type AlterOpLayoutOptions, type ConvChoice, type LayoutMode } from '../transform/alter_op_layout.js';
import { winogradOption, type WinogradOption } from '../transform/conv_impl.js';
import { DeadCodeElimination } from '../transform/dead_code.js';
import { DivToMul } from '../transform/div_to_mul.js';
import { FoldConstant } from '../transform/fold_constant.js';
import { FuseOps } from '../transform/fuse_ops.js';
import { InferType } from '../transform/infer_type.js';
import { sequential, type Pass, type PassTrace } from '../transform/pass.js';
import { SimplifyInference } from '../transform/simplify_inference.js';
import { SimplifyPower } from '../transform/simplify_power.js';
import { asTensor, sizeOf } from '../ty.js';
import { lowerFunction, type AnchorReport } from './lower_function.js';
import { planMemory, type PlanStep } from './memory_plan.js';

export interface BuildOptions {
  /** 'wasm' (default), 'wasm -threads=2', 'webgpu', … */
  readonly target?: string | Target;
  /** Log files or records whose best configs schedule the anchors; default: the shipped TopHub logs. */
  readonly tuningLogs?: string | readonly string[] | readonly LogRecord[] | ApplyHistoryBest;
  /**
   * AlterOpLayout on wasm (packed NCHW[x]c convolutions, weights packed at build time, the layout kept
   * between them): 'auto' (default) packs the convolutions its rule picks (relay/transform/layout_rule.ts),
   * true or 'nchwc' every groups-1 convolution, false or 'nchw' none. WebGPU builds never pack NCHW[x]c (on
   * `webgpu -device=llvmpipe` without subgroups conv weights are packed in output-channel blocks whatever this says:
   * relay/transform/alter_conv_webgpu.ts).
   */
  readonly alterOpLayout?: boolean | LayoutMode;
  /**
   * Winograd F(2×2, 3×3) on wasm for 3×3, stride-1, dilation-1, groups-1 convolutions with a constant weight
   * (weights transformed once at build time): 'auto' (default) picks per conv by the tuning logs' best record of
   * the Winograd and the direct task, else by the default rule (relay/transform/conv_impl.ts); true every such
   * conv; false none. With alterOpLayout false/'nchw' only true applies. WebGPU builds never use it.
   */
  readonly winograd?: WinogradOption;
  /**
   * im2col + gemm on wasm for the groups-1 convs with a constant weight that layout 'auto' picks
   * (relay/transform/layout_rule.ts gemmConvAuto): conv2d_gemm.wasm for strided ones left in NCHW, conv2d_gemm_NCHWc.wasm
   * for strided packed ones with input blocks of ≥ 4 channels. Default true; false keeps conv2d_nchw and conv2d_NCHWc for them.
   */
  readonly convGemm?: boolean;
  /**
   * Products on constant weights (nn.dense, nn.matmul) on wasm whose config packs B (pack_b) read a weight
   * packed into the config's panels once at build time instead of packing it in every call (AlterDenseLayout,
   * TVM's dense_pack with a pre-packed weight). Default true; false keeps the per-call pack (A/B benchmarks).
   */
  readonly prepackDense?: boolean;
}

export interface KernelReport {
  readonly name: string;
  /** How many graph nodes run this kernel (identical fused functions share one). */
  readonly uses: number;
  readonly anchor?: AnchorReport;
}

/** How AlterOpLayout ran one Winograd-eligible conv (3×3, stride 1, groups 1, constant weight). */
export interface ConvImplReport {
  /** The conv's ONNX node name, if it has one. */
  readonly node?: string;
  readonly implementation: 'winograd' | 'direct';
  /** With implementation 'winograd': m of F(m×m, 3×3), 2 or 4. */
  readonly tileSize?: number;
  /** 'log': the faster tuning record; 'rule': the default rule (no record of either); 'option': winograd true/false. */
  readonly source: 'log' | 'rule' | 'option';
}

export interface BuildReport {
  readonly target: string;
  /** Per Winograd-eligible conv, in model order: which implementation it got and why (wasm). */
  readonly convs: readonly ConvImplReport[];
  /** Products (nn.dense / nn.matmul) on constant weights whose weight AlterDenseLayout packed at build time (wasm). */
  readonly prepackedProducts: number;
  readonly passes: readonly PassTrace[];
  readonly kernels: readonly KernelReport[];
  readonly memory: {
    /** Bytes of the reused intermediate storages (peak of intermediates). */
    readonly intermediateBytes: number;
    /** What one buffer per intermediate tensor would need. */
    readonly naiveIntermediateBytes: number;
    readonly weightBytes: number;
    /** Every storage: intermediates, inputs, outputs and weights. */
    readonly totalBytes: number;
  };
  readonly seconds: number;
}

/**
 * The optimization pipeline of relay.build (TVM's opt_level 3 subset that applies here, and DivToMul once constants
 * are folded: a division by a constant costs more than a multiply on wasm, see relay/transform/div_to_mul.ts; and
 * SimplifyPower, so an all-equal constant exponent reaches ops.pow as a number: relay/transform/simplify_power.ts).
 */
export const BUILD_PASSES = [InferType, SimplifyInference, FoldConstant, DivToMul, SimplifyPower, DeadCodeElimination, FuseOps, DeadCodeElimination] as const;

/**
 * The passes relay.build runs (and extractTasks, so tuned tasks are the ones a build meets): BUILD_PASSES,
 * with AlterOpLayout(target, mode, alter) and a second FoldConstant after the first FoldConstant on wasm unless
 * the mode is 'nchw' (and `alter.winograd` is not true). On `webgpu -device=llvmpipe` without subgroups
 * (packsConvWeights) AlterConvWeightWebGPU runs there instead: groups-1 convs on constant weights read them packed in
 * blocks of 8 output channels, packed once at build time. The second FoldConstant folds the layout_transforms
 * AlterOpLayout puts on constants (per-channel bias/scale) and the Winograd weight transforms, so they run once
 * at build time: TVM's order (AlterOpLayout, then FoldConstant; src/relay/backend/utils.cc GetPassPrefix).
 * On wasm, unless `prepackDense` is false, AlterDenseLayout runs just before AlterOpLayout (products on constant weights get
 * their weight packed into the config's panels, folded by the same FoldConstant, or are marked `const_weight`), whatever
 * the conv layout mode; 'mark' (extractTasks) only marks them, so they are extracted as their prepacked tasks.
 */
export function buildPasses(target: Target, alterOpLayout?: boolean | LayoutMode, alter: AlterOpLayoutOptions = {}, prepackDense: boolean | 'mark' = true): readonly Pass[] {
  const mode = layoutMode(alterOpLayout);
  const winograd = winogradOption(alter.winograd);
  if (packsConvWeights(target)) {
    return [InferType, SimplifyInference, FoldConstant, DivToMul, SimplifyPower, AlterConvWeightWebGPU(target), DeadCodeElimination, FuseOps, DeadCodeElimination];
  }
  if (target.kind !== 'wasm') return BUILD_PASSES;
  const alterConv = mode !== 'nchw' || winograd === true ? [AlterOpLayout(target, mode, { ...alter, winograd })] : [];
  const alterDense = prepackDense === false ? [] : [AlterDenseLayout(target, {
    ...(alter.records !== undefined ? { records: alter.records } : {}), ...(prepackDense === 'mark' ? { markOnly: true } : {}),
  })];
  if (alterConv.length + alterDense.length === 0) return BUILD_PASSES;
  return [InferType, SimplifyInference, FoldConstant, DivToMul, SimplifyPower, ...alterDense, ...alterConv, FoldConstant, DeadCodeElimination, FuseOps, DeadCodeElimination];
}

function dispatchContext(opts: BuildOptions, target: Target): ApplyHistoryBest {
  const l = opts.tuningLogs;
  if (l === undefined) return loadTophub(target.str);
  if (typeof l === 'object' && 'lookup' in l) return l as ApplyHistoryBest;
  return applyHistoryBest(l as string | readonly string[] | readonly LogRecord[]);
}

/** The operators a fused function runs, in post order ('nn.conv2d', 'add', 'nn.relu'): the plan lists them for profiles. */
function fusedOps(fn: RelayFunction): string[] {
  const names: string[] = [];
  for (const e of postOrder(fn.body)) if (e.kind === 'Call' && typeof e.op === 'string') names.push(e.op);
  return names;
}

/** A built model: run it, benchmark it, read its report and plan (deploy packs the plan as a bundle). */
export class GraphModule {
  constructor(readonly plan: GraphPlan, readonly report: BuildReport, private readonly executor: GraphExecutor) {}

  /** Runs the model; outputs in the model's order (an array) and by name (`.byName`). */
  run(inputs: Readonly<Record<string, GraphInput>>): Promise<GraphOutputs> {
    return this.executor.run(inputs);
  }

  /** Whole-model latency (TVM's time evaluator over all kernels; inputs set once). */
  benchmark(inputs: Readonly<Record<string, GraphInput>>, opts?: TimeEvaluatorOptions): Promise<TimeResult> {
    return this.executor.benchmark(inputs, opts);
  }

  /** Per-kernel profile (TVM's debug_executor; GraphExecutor.profile): wasm only. */
  profile(inputs: Readonly<Record<string, GraphInput>>, opts?: ProfileOptions): Promise<GraphProfile> {
    return this.executor.profile(inputs, opts);
  }

  dispose(): void {
    this.executor.dispose();
  }
}

/**
 * Builds `mod` for `opts.target`. Throws with the fused function's name when lowering or compiling
 * one fails, and for models whose outputs are tuples of tuples.
 */
export async function build(mod: IRModule, opts: BuildOptions = {}): Promise<GraphModule> {
  const t0 = performance.now();
  const target = parseTarget(opts.target ?? 'wasm');
  const ctx = dispatchContext(opts, target);
  const passes: PassTrace[] = [];
  const convs: ConvImplReport[] = [];
  const onChoice = (ch: ConvChoice): void => {
    convs.push({ ...(ch.call.span !== undefined ? { node: ch.call.span } : {}), implementation: ch.winograd ? 'winograd' : 'direct', ...(ch.winograd ? { tileSize: ch.tileSize } : {}), source: ch.source });
  };
  const fused = sequential(buildPasses(target, opts.alterOpLayout, { winograd: opts.winograd, gemm: opts.convGemm !== false, records: ctx, onChoice }, opts.prepackDense ?? true), mod, passes);
  const main = fused.main;

  // Tensors: every value of the graph gets an id; kernels read and write ids.
  const ids = new Map<Expr, number>();
  const tensors: PlanTensor[] = [];
  const idOf = (e: Expr): number => {
    const id = ids.get(e);
    if (id === undefined) throw new Error(`relay.build: ${e.kind} is used before it is computed`);
    return id;
  };
  const addTensor = (e: Expr): number => {
    const tt = asTensor(typeOf(e), 'relay.build');
    tensors.push({ storage: -1, shape: tt.shape, dtype: tt.dtype });
    ids.set(e, tensors.length - 1);
    return tensors.length - 1;
  };
  const inputs: { name: string; id: number }[] = main.params.map((p) => ({ name: p.name, id: addTensor(p) }));
  const constants: { id: number; data: Float32Array | Int32Array }[] = [];
  const steps: (PlanStep & { fn: RelayFunction })[] = [];
  let prepackedProducts = 0;
  for (const e of postOrder(main.body, false)) {
    if (e.kind === 'Call' && typeof e.op !== 'string') prepackedProducts += postOrder(e.op.body, false).filter((x) => x.kind === 'Call' && (x.op === DENSE_PACK || x.op === BATCH_MATMUL_PACK)).length;
    if (e.kind === 'Constant') constants.push({ id: addTensor(e), data: e.data.values });
    else if (e.kind === 'Call') {
      if (typeof e.op === 'string') throw new Error(`relay.build: ${e.op} was left outside any fused function`);
      steps.push({ fn: e.op, reads: e.args.map(idOf), writes: addTensor(e) });
    } else if (e.kind === 'TupleGetItem') {
      throw new Error('relay.build: tuple projections outside fused functions are not supported');
    }
  }
  const outputExprs = main.body.kind === 'Tuple' ? main.body.fields : [main.body];
  const outNames = main.attrs.outputNames ?? outputExprs.map((_, i) => `output${i}`);
  const outputs = outputExprs.map((e, i) => ({ name: outNames[i] ?? `output${i}`, id: idOf(e) }));

  const pinned = new Set<number>([...inputs.map((i) => i.id), ...constants.map((c) => c.id), ...outputs.map((o) => o.id)]);
  const mem = planMemory({ bytes: tensors.map((x) => Math.max(4, sizeOf({ kind: 'TensorType', shape: x.shape, dtype: x.dtype }) * 4)), pinned, steps });
  const placed = (id: number): PlanTensor => ({ ...tensors[id]!, storage: mem.storageOf[id]! });

  // One kernel per distinct fused function (same text = same kernel).
  const kernelsByKey = new Map<string, { lowered: Awaited<ReturnType<typeof lowerFunction>>; report: { name: string; uses: number } }>();
  const planKernels: PlanKernel[] = [];
  for (const s of steps) {
    const key = printExpr(s.fn);
    let k = kernelsByKey.get(key);
    if (k === undefined) {
      k = { lowered: await lowerFunction(s.fn, target, ctx), report: { name: s.fn.attrs.name ?? 'fused', uses: 0 } };
      kernelsByKey.set(key, k);
    }
    k.report.uses++;
    planKernels.push({ name: s.fn.attrs.name ?? 'fused', artifact: k.lowered.artifact, args: [...s.reads.map(placed), placed(s.writes)], ops: fusedOps(s.fn) });
  }
  const io = (x: { name: string; id: number }): PlanIO => ({ name: x.name, ...placed(x.id) });
  const planConstants: PlanConstant[] = constants.map((c) => ({ ...placed(c.id), data: c.data }));
  const plan: GraphPlan = {
    format: 'tensortune-graph-plan', version: 1, target: target.str, storages: mem.storages,
    inputs: inputs.map(io), outputs: outputs.map(io), constants: planConstants, kernels: planKernels,
  };
  const executor = await GraphExecutor.load(plan);
  const weightBytes = constants.reduce((a, c) => a + c.data.byteLength, 0);
  const report: BuildReport = {
    target: target.str, convs, prepackedProducts, passes,
    kernels: [...kernelsByKey.values()].map((k) => (k.lowered.anchor ? { ...k.report, anchor: k.lowered.anchor } : k.report)),
    memory: {
      intermediateBytes: mem.intermediateBytes, naiveIntermediateBytes: mem.naiveIntermediateBytes, weightBytes,
      totalBytes: mem.storages.reduce((a, b) => a + b, 0),
    },
    seconds: (performance.now() - t0) / 1000,
  };
  return new GraphModule(plan, report, executor);
}

/** The build report as text: one line per kernel with its record, then memory. */
export function formatReport(r: BuildReport): string {
  const lines = r.kernels.map((k) => {
    const a = k.anchor;
    // A missing record or one from another target is warned about once on stderr (applyTemplate), not here.
    const src = a === undefined ? 'default schedule' : a.source === 'log' ? `${a.template} config ${a.configIndex} from ${a.record ?? 'records'}` : `${a.template} default config`;
    return `${k.name}${k.uses > 1 ? ` ×${k.uses}` : ''}: ${src}`;
  });
  if (r.convs.length > 0) {
    const n = (impl: string, src: string): number => r.convs.filter((c) => c.implementation === impl && c.source === src).length;
    const part = (impl: 'winograd' | 'direct'): string => (['log', 'rule', 'option'] as const).filter((s) => n(impl, s) > 0).map((s) => `${n(impl, s)} by ${s === 'option' ? 'the winograd option' : s === 'log' ? 'the tuning log' : 'the default rule'}`).join(', ') || 'none';
    const m4 = r.convs.filter((c) => c.implementation === 'winograd' && c.tileSize === 4).length;
    lines.push(`3×3 stride-1 convs: Winograd ${part('winograd')}${m4 > 0 ? ` (${m4} as F(4×4, 3×3))` : ''}; direct ${part('direct')}`);
  }
  if (r.prepackedProducts > 0) lines.push(`products on constant weights: ${r.prepackedProducts} with the weight packed at build time`);
  const m = r.memory;
  lines.push(`memory: intermediates ${m.intermediateBytes} B (${m.naiveIntermediateBytes} B without reuse), weights ${m.weightBytes} B, total ${m.totalBytes} B`);
  return lines.join('\n');
}
