// ops/templates/gemm_webgpu.ts — the tunable WebGPU schedule of matmul, dense and batch_matmul (AutoTVM's
// CUDA dense style): block and thread tiles bound to blockIdx/threadIdx (batch on blockIdx.z), both
// inputs staged through workgroup (shared) memory per k-block with a cooperative fetch by all threads,
// a register tile of outputs per thread, unroll, and the epilogue fused into the thread's output tile.

import type { ConfigSpace } from '../../autotune/space.js';
import { FallbackConfigEntity } from '../../autotune/fallback_config.js';
import type { Schedule } from '../../schedule/schedule.js';
import type { Stage } from '../../schedule/stage.js';
import { inputTensors, type Tensor } from '../../schedule/tensor.js';
import type { IterVar } from '../../tir/nodes.js';
import { fuseEpilogue } from './epilogue.js';

/** WebGPU's default limits (maxComputeInvocationsPerWorkgroup, maxComputeWorkgroupStorageSize). */
export const MAX_THREADS = 256;
export const MAX_SHARED_BYTES = 16384;

/** Splits a staged tile's fused axes over the workgroup's threads (cooperative fetch), x fastest. */
export function cooperativeFetch(stage: Stage, threads: readonly number[]): void {
  const fused = stage.axis.reduce((a, b) => stage.fuse(a, b));
  const total = threads.reduce((a, b) => a * b, 1);
  let [, inner] = stage.split(fused, { factor: total });
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
 * Defines the knobs (or reads the chosen ones) and schedules `anchor` = a [..., M, N] product over one
 * reduce axis inside `s`, with its epilogue up to `outs`.
 */
export function scheduleGemmWebGPU(cfg: ConfigSpace, s: Schedule, anchor: Tensor, outs: readonly Tensor[]): void {
  const op = anchor.op;
  if (op.kind !== 'compute' || op.reduceAxis.length !== 1 || anchor.ndim < 2) throw new TypeError(`gemm webgpu template: ${anchor.name} must be a single-reduction compute of rank ≥ 2`);
  const [M, N] = anchor.dims.slice(-2) as [number, number];
  const K = op.reduceAxis[0]!;
  // [blocks, threads, per-thread] for y and x; [k-blocks, k per stage] for k.
  cfg.defineSplit('tile_y', M, { numOutputs: 3, policy: 'verbose', maxFactor: 16 });
  cfg.defineSplit('tile_x', N, { numOutputs: 3, policy: 'verbose', maxFactor: 16 });
  cfg.defineSplit('tile_k', K, { numOutputs: 2, policy: 'verbose', maxFactor: 32 });
  cfg.defineKnob('auto_unroll_max_step', [0, 16, 64]);
  if (cfg instanceof FallbackConfigEntity) {
    // Untuned default: 8×8 threads, 4×4 outputs each (a 32×32 block), k staged 8 at a time.
    cfg.fallbackSplit('tile_y', [-1, 8, 4]);
    cfg.fallbackSplit('tile_x', [-1, 8, 4]);
    cfg.fallbackSplit('tile_k', [-1, 8]);
    cfg.fallbackKnob('auto_unroll_max_step', 16);
  }
  const ty = cfg.getSplit('tile_y').size[1]!;
  const tx = cfg.getSplit('tile_x').size[1]!;
  // The template's validity predicate (a multiFilter): threads per workgroup and workgroup memory.
  cfg.multiFilter((c) => {
    const [, ty, yi] = c.getSplit('tile_y').size as [number, number, number];
    const [, tx, xi] = c.getSplit('tile_x').size as [number, number, number];
    const tk = c.getSplit('tile_k').size[1]!;
    if (ty * tx > MAX_THREADS) return `${ty}×${tx} threads exceed the workgroup limit ${MAX_THREADS}`;
    const sharedBytes = (ty * yi * tk + tk * tx * xi) * 4;
    return sharedBytes > MAX_SHARED_BYTES ? `${sharedBytes} bytes of workgroup memory exceed ${MAX_SHARED_BYTES}` : undefined;
  });

  const [A, B] = inputTensors(op) as [Tensor, Tensor];
  const { out } = fuseEpilogue(s, anchor, outs);
  const CL = s.cacheWrite(anchor, 'local');
  if (out !== anchor) s.stage(anchor).computeInline();
  const AA = s.cacheRead(A, 'shared', [CL]);
  const BB = s.cacheRead(B, 'shared', [CL]);
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
  if (step > 0) cl.pragma(ki, 'auto_unroll_max_step', step);

  for (const staged of [AA, BB]) {
    const st = s.stage(staged);
    st.computeAt(cl, ko);
    cooperativeFetch(st, [ty, tx]);
  }
}
