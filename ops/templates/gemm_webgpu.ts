// ops/templates/gemm_webgpu.ts — the tunable WebGPU schedule of matmul, dense and batch_matmul (AutoTVM's
// CUDA dense style): block and thread tiles bound to blockIdx/threadIdx (batch on blockIdx.z), both
// inputs staged through workgroup (shared) memory per k-block with a cooperative fetch by all threads,
// a register tile of outputs per thread, unroll, and the epilogue fused into the thread's output tile.
// Knob `vec` = 4 vectorizes the innermost contiguous axis by 4 (the staged fetches and the register tile's
// x), which codegen/wgsl turns into vec4 loads and stores (global, shared and local; vec4_layout.ts), as
// tfjs-webgpu's vec4 matmul; a multiFilter allows it only where every contiguous extent is a multiple of 4.
// On a target with subgroups (`webgpu -subgroup-size=8`) knob `warp` = 1 stages A in warp memory instead
// (TVM's "warp" scope: each lane of a subgroup loads part of the tile once, the others read it by subgroup
// broadcast/shuffle; codegen/wgsl/lower_warp_memory.ts) and reads B straight from global memory: no
// workgroup memory, no barriers, one subgroup per workgroup.

import type { ConfigSpace } from '../../autotune/space.js';
import { FallbackConfigEntity } from '../../autotune/fallback_config.js';
import type { Schedule } from '../../schedule/schedule.js';
import type { Stage } from '../../schedule/stage.js';
import { inputTensors, type Tensor } from '../../schedule/tensor.js';
import type { IterVar } from '../../tir/nodes.js';
import { fuseEpilogue } from './epilogue.js';
import { inPlaceDevice, targetSubgroupSize } from './webgpu_target.js';
import { unrolledStepProblem } from './webgpu_unroll_limit.js';

/** WebGPU's default limits (maxComputeInvocationsPerWorkgroup, maxComputeWorkgroupStorageSize). */
export const MAX_THREADS = 256;
export const MAX_SHARED_BYTES = 16384;

/**
 * Splits a staged tile's fused axes over the workgroup's threads (cooperative fetch), x fastest; with
 * `vec` > 1 each thread copies `vec` consecutive elements as one vector (the tile's size and its
 * innermost extent must be multiples of `vec`, so every vector stays within one row). `unrollOuter`
 * unrolls the rounds (each thread's copies), as a warp tile needs.
 */
export function cooperativeFetch(stage: Stage, threads: readonly number[], vec = 1, opts: { unrollOuter?: boolean } = {}): void {
  let fused = stage.axis.reduce((a, b) => stage.fuse(a, b));
  if (vec > 1) {
    const [outer, lanes] = stage.split(fused, { factor: vec });
    stage.vectorize(lanes);
    fused = outer;
  }
  const total = threads.reduce((a, b) => a * b, 1);
  let [rounds, inner] = stage.split(fused, { factor: total });
  // Unrolled, a per-thread (local or warp) destination is indexed by constants.
  if (opts.unrollOuter) stage.unroll(rounds);
  const tags = ['threadIdx.z', 'threadIdx.y', 'threadIdx.x'] as const;
  const used = tags.slice(3 - threads.length);
  for (let i = 0; i < threads.length - 1; i++) {
    const rest = threads.slice(i + 1).reduce((a, b) => a * b, 1);
    const [outer, in2] = stage.split(inner, { factor: rest });
    stage.bind(outer, used[i]!);
    inner = in2;
  }
  stage.bind(inner, used[threads.length - 1]!);
}

/**
 * The untuned default's setter: `fallbackGemm`, or a caller's own (conv2d_winograd's products). `inPlace`: the
 * target's device reads in place (webgpu_target.ts inPlaceDevice) and has no subgroups, so the space has
 * `stage_shared`.
 */
export type GemmFallback = (cfg: FallbackConfigEntity, rowsAligned: boolean, sg: number | undefined, inPlace: boolean) => void;

/**
 * Defines the knobs (or reads the chosen ones) and schedules `anchor` = a [..., M, N] product over one
 * reduce axis inside `s`, with its epilogue up to `outs`; `fallback` sets the untuned default (fallbackGemm).
 */
export function scheduleGemmWebGPU(cfg: ConfigSpace, s: Schedule, anchor: Tensor, outs: readonly Tensor[], fallback: GemmFallback = fallbackGemm): void {
  const op = anchor.op;
  if (op.kind !== 'compute' || op.reduceAxis.length !== 1 || anchor.ndim < 2) throw new TypeError(`gemm webgpu template: ${anchor.name} must be a single-reduction compute of rank ≥ 2`);
  const [M, N] = anchor.dims.slice(-2) as [number, number];
  const K = op.reduceAxis[0]!;
  const sg = targetSubgroupSize();
  // [blocks, threads, per-thread] for y and x; [k-blocks, k per stage] for k. With subgroups a thread may
  // keep 32 rows: A's loads are shared by the lanes, so taller tiles pay (16 without them, as before).
  cfg.defineSplit('tile_y', M, { numOutputs: 3, policy: 'verbose', maxFactor: sg ? 32 : 16 });
  cfg.defineSplit('tile_x', N, { numOutputs: 3, policy: 'verbose', maxFactor: 16 });
  cfg.defineSplit('tile_k', K, { numOutputs: 2, policy: 'verbose', maxFactor: 32 });
  cfg.defineKnob('auto_unroll_max_step', [0, 16, 64]);
  cfg.defineKnob('vec', [1, 4]);
  // Only where the target has subgroups: 1 stages A in warp memory (see the file's head), 0 as without.
  if (sg) cfg.defineKnob('warp', [0, 1]);
  // Only where the target's device reads in place (lavapipe: webgpu_target.ts) and has no subgroups (where warp 1
  // is the path without workgroup memory): false reads A and B straight from global memory, no staging copy, no
  // barriers. Defined last, so every config of the space without it keeps its index (the first knob is the least
  // significant digit) with true, the staged layout, at index 0; plain `webgpu` and other devices keep that space.
  const inPlace = sg === undefined && inPlaceDevice();
  if (inPlace) cfg.defineKnob('stage_shared', [true, false]);
  const [A, B] = inputTensors(op) as [Tensor, Tensor];
  // Row lengths in memory of the inputs and the output: vec4 accesses need each a multiple of 4.
  const rowsAligned = [A, B, ...outs].every((t) => t.dims[t.ndim - 1]! % 4 === 0);
  if (cfg instanceof FallbackConfigEntity) fallback(cfg, rowsAligned, sg, inPlace);
  const isWarp = (c: ConfigSpace): boolean => sg !== undefined && c.getKnob('warp').val === 1;
  // Both inputs staged through workgroup memory: warp 0 on a subgroup target, stage_shared true where the space has
  // it, always elsewhere.
  const isStaged = (c: ConfigSpace): boolean => (sg !== undefined ? !isWarp(c) : !inPlace || c.getKnob('stage_shared').val === true);
  const warp = isWarp(cfg);
  const stage = isStaged(cfg);
  const ty = cfg.getSplit('tile_y').size[1]!;
  const tx = cfg.getSplit('tile_x').size[1]!;
  // The template's validity predicate (a multiFilter): threads per workgroup, workgroup memory, warp 1's unrolled step.
  cfg.multiFilter((c) => {
    const [, ty, yi] = c.getSplit('tile_y').size as [number, number, number];
    const [, tx, xi] = c.getSplit('tile_x').size as [number, number, number];
    const tk = c.getSplit('tile_k').size[1]!;
    if (ty * tx > MAX_THREADS) return `${ty}×${tx} threads exceed the workgroup limit ${MAX_THREADS}`;
    if (isWarp(c)) {
      // One subgroup per workgroup: its lanes are threadIdx.x, so their order is the subgroup's.
      if (tx !== sg || ty !== 1) return `warp 1 needs one subgroup per workgroup: ${ty}×${tx} threads, not 1×${sg} (tile_y's and tile_x's thread factors)`;
      // One element (or vector) per stage would sit in one lane that no store pattern names.
      if (yi * tk <= (c.getKnob('vec').val as number)) return `warp 1 needs more than one ${c.getKnob('vec').val === 4 ? 'vector' : 'element'} of A per stage (tile_y's ${yi} × tile_k's ${tk})`;
      // warp 1 unrolls the k stage: its straight-line code is the register tile × tile_k FMAs (webgpu_unroll_limit.ts).
      const why = unrolledStepProblem(`warp 1: tile_k's ${tk} × a ${yi}×${xi} register tile`, yi * xi * tk);
      if (why !== undefined) return why;
    }
    const staged = isStaged(c);
    if (staged) {
      const sharedBytes = (ty * yi * tk + tk * tx * xi) * 4;
      if (sharedBytes > MAX_SHARED_BYTES) return `${sharedBytes} bytes of workgroup memory exceed ${MAX_SHARED_BYTES}`;
    }
    if (c.getKnob('vec').val === 4) {
      // The staged (or warp) tiles' rows are tk (A, and B of dense) or tx·xi (B of matmul) long; the thread's x tile
      // is xi. Read in place (stage_shared false), only the thread's x tile is a vector (B's and the output's rows).
      if (!rowsAligned) return `vec 4 needs rows that are multiples of 4 (last dims ${[A, B, ...outs].map((t) => t.dims[t.ndim - 1]).join(', ')})`;
      const readInPlace = inPlace && !staged;
      if (!readInPlace && (tk % 4 !== 0 || xi % 4 !== 0)) return `vec 4 needs tile_k ${tk} and the thread's x tile ${xi} to be multiples of 4`;
      if (xi % 4 !== 0) return `vec 4 needs the thread's x tile ${xi} to be a multiple of 4`;
    }
    return undefined;
  });
  const { out } = fuseEpilogue(s, anchor, outs);
  const CL = s.cacheWrite(anchor, 'local');
  if (out !== anchor) s.stage(anchor).computeInline();
  // warp 1: A in warp memory, B read in place; stage_shared false: both read in place; else both staged
  // through workgroup memory.
  const staged = warp ? [s.cacheRead(A, 'warp', [CL])] : stage ? [s.cacheRead(A, 'shared', [CL]), s.cacheRead(B, 'shared', [CL])] : [];
  const c = s.stage(out);
  const cl = s.stage(CL);

  const batch = c.axis.slice(0, -2);
  const [y, x] = c.axis.slice(-2) as [IterVar, IterVar];
  const [by, tyAx, yiAx] = cfg.getSplit('tile_y').apply(s, c, y) as [IterVar, IterVar, IterVar];
  const [bx, txAx, xiAx] = cfg.getSplit('tile_x').apply(s, c, x) as [IterVar, IterVar, IterVar];
  c.reorder(...batch, by, bx, tyAx, txAx, yiAx, xiAx);
  if (batch.length > 0) c.bind(batch.reduce((a, b) => c.fuse(a, b)), 'blockIdx.z');
  c.bind(by, 'blockIdx.y');
  c.bind(bx, 'blockIdx.x');
  c.bind(tyAx, 'threadIdx.y');
  c.bind(txAx, 'threadIdx.x');
  cl.computeAt(c, txAx);

  const [yc, xc] = cl.axis.slice(-2) as [IterVar, IterVar];
  const [ko, ki] = cfg.getSplit('tile_k').apply(s, cl, cl.reduceAxis[0]!) as [IterVar, IterVar];
  cl.reorder(...cl.axis.slice(0, -2), ko, ki, yc, xc);
  const step = cfg.getKnob('auto_unroll_max_step').val as number;
  // warp 1 unrolls the k stage, so each read of A's warp tile names its lane by a constant (a broadcast).
  if (warp) cl.unroll(ki);
  else if (step > 0) cl.pragma(ki, 'auto_unroll_max_step', step);
  const vec = cfg.getKnob('vec').val as number;
  if (vec > 1) {
    c.vectorize(xiAx);
    cl.vectorize(xc);
  }
  // The register tile's loops are always unrolled, so the accumulators are indexed by constants: a
  // dynamically indexed local array lives in memory (on lavapipe every access becomes a gather).
  for (const ax of [yiAx, ...(vec > 1 ? [] : [xiAx])]) c.unroll(ax);
  for (const ax of [yc, ...(vec > 1 ? [] : [xc])]) cl.unroll(ax);

  for (const t of staged) {
    const st = s.stage(t);
    st.computeAt(cl, ko);
    // Warp memory is filled by the subgroup's lanes (threadIdx.x) only.
    cooperativeFetch(st, warp ? [tx] : [ty, tx], vec, { unrollOuter: warp });
  }
}

/**
 * The untuned default. Where the target's device reads in place (`inPlace`: lavapipe without subgroups; session 13,
 * chosen by device since session 14): stage_shared false, one workgroup of 8 invocations (lavapipe's SIMD width) in a
 * row, each 16 rows × 8 columns (two vec4s) read straight from global memory, k 4 a step. On lavapipe every load in
 * a loop is a per-lane gather whether it comes from global or workgroup memory, so staging only adds the copy and
 * the barriers; a lane's 16 loads of A and 2 vec4 loads of B feed 128 FMAs. CPU time beside tfjs-webgpu in one
 * process (512³, load 8–10; docs/webgpu.md "Session 13"): 8.7–10.4 GFLOP per CPU-second against 2.8–3.5 for the
 * staged default (3.5–5.1× tfjs-webgpu against 1.2–1.7×). With subgroups of `sg`: warp 1, one subgroup of sg lanes
 * per workgroup, each lane 32 rows × 4 columns, k 4 at a time (docs/webgpu.md "Subgroups"). Elsewhere (plain
 * `webgpu`, SwiftShader, GPUs), or where warp 1 does not resolve (N < sg): 8×8 threads, 8×8 outputs each, k staged
 * 8 at a time (512³ on lavapipe, session 7: 64 FMAs per 16 staged loads beat 16 per 8, 1.89–2.41 GFLOP/s against 4×4
 * outputs' 0.94–1.62; the in-place layout ran 30× slower on SwiftShader).
 */
export function fallbackGemm(cfg: FallbackConfigEntity, rowsAligned: boolean, sg: number | undefined, inPlace: boolean): void {
  const resolve = (tx: number): void => {
    // Where the rows allow vec 4 but the x tile resolved to no multiple of 4 (N = 12: 6), 4 outputs keep vec 4.
    if (rowsAligned && cfg.getSplit('tile_x').size[2]! % 4 !== 0) cfg.fallbackSplit('tile_x', [-1, tx, 4]);
    // The fallback splits are the nearest sizes the space holds (tile_k of K = 20 is 5, not 8), so vec 4
    // only where the resolved k stage and x tile are multiples of 4: the default must satisfy the filter.
    const tk = cfg.getSplit('tile_k').size[1]!;
    const xi = cfg.getSplit('tile_x').size[2]!;
    cfg.fallbackKnob('vec', rowsAligned && tk % 4 === 0 && xi % 4 === 0 ? 4 : 1);
  };
  cfg.fallbackKnob('auto_unroll_max_step', 16);
  if (inPlace) {
    cfg.fallbackKnob('stage_shared', false);
    cfg.fallbackSplit('tile_y', [-1, 1, 16]);
    cfg.fallbackSplit('tile_x', [-1, 8, 8]);
    cfg.fallbackSplit('tile_k', [-1, 4]);
    resolve(8);
    return;
  }
  if (sg !== undefined) {
    cfg.fallbackSplit('tile_y', [-1, 1, 32]);
    cfg.fallbackSplit('tile_x', [-1, sg, 4]);
    cfg.fallbackSplit('tile_k', [-1, 4]);
    cfg.fallbackKnob('warp', 1);
    resolve(sg);
    // A shape too small for a subgroup's threads (N < sg) resolves to other thread counts: no warp then.
    if (cfg.getSplit('tile_x').size[1] === sg && cfg.getSplit('tile_y').size[1] === 1) return;
    cfg.fallbackKnob('warp', 0);
  }
  cfg.fallbackSplit('tile_y', [-1, 8, 8]);
  cfg.fallbackSplit('tile_x', [-1, 8, 8]);
  cfg.fallbackSplit('tile_k', [-1, 8]);
  resolve(8);
}
