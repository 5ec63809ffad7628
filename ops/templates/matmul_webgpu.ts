// ops/templates/matmul_webgpu.ts — the tunable WebGPU schedule of matmul (AutoTVM's CUDA dense style):
// block and thread tiles bound to blockIdx/threadIdx, both inputs staged through workgroup (shared)
// memory per k-block with a cooperative fetch by all threads, a local accumulator per thread, unroll.

import type { ConfigSpace } from '../../autotune/space.js';
import { FallbackConfigEntity } from '../../autotune/space.js';
import { createSchedule, type Schedule } from '../../schedule/schedule.js';
import type { Stage } from '../../schedule/stage.js';
import type { Tensor } from '../../schedule/tensor.js';
import type { IterVar } from '../../tir/nodes.js';
import { matmul } from '../matmul.js';

/** WebGPU's default limits (maxComputeInvocationsPerWorkgroup, maxComputeWorkgroupStorageSize). */
const MAX_THREADS = 256;
const MAX_SHARED_BYTES = 16384;

/** Splits a staged tile's fused axis over the ty × tx threads of the workgroup (cooperative fetch). */
function cooperativeFetch(stage: Stage, ty: number, tx: number): void {
  const [a, b] = stage.axis as [IterVar, IterVar];
  const fused = stage.fuse(a, b);
  const [, inner] = stage.split(fused, { factor: ty * tx });
  const [t1, t0] = stage.split(inner, { factor: tx });
  stage.bind(t1, 'threadIdx.y');
  stage.bind(t0, 'threadIdx.x');
}

/** Template 'matmul.webgpu': A [M, K] · B [K, N] on WebGPU. */
export function matmulWebGPU(cfg: ConfigSpace, A: Tensor, B: Tensor): readonly [Schedule, readonly Tensor[]] {
  const C = matmul(A, B);
  const [M, N] = C.dims as [number, number];
  const K = (C.op.kind === 'compute' ? C.op.reduceAxis[0] : undefined)!;
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
  const [, ty, yi] = cfg.getSplit('tile_y').size as [number, number, number];
  const [, tx, xi] = cfg.getSplit('tile_x').size as [number, number, number];
  const tk = cfg.getSplit('tile_k').size[1]!;
  if (ty * tx > MAX_THREADS) cfg.raiseError(`${ty}×${tx} threads exceed the workgroup limit ${MAX_THREADS}`);
  const sharedBytes = (ty * yi * tk + tk * tx * xi) * 4;
  if (sharedBytes > MAX_SHARED_BYTES) cfg.raiseError(`${sharedBytes} bytes of workgroup memory exceed ${MAX_SHARED_BYTES}`);

  const s = createSchedule(C);
  const CL = s.cacheWrite(C, 'local');
  const AA = s.cacheRead(A, 'shared', [CL]);
  const BB = s.cacheRead(B, 'shared', [CL]);
  const c = s.stage(C);
  const cl = s.stage(CL);

  const [y, x] = c.axis as [IterVar, IterVar];
  const [by, tyAx, yiAx] = cfg.getSplit('tile_y').apply(s, c, y) as [IterVar, IterVar, IterVar];
  const [bx, txAx, xiAx] = cfg.getSplit('tile_x').apply(s, c, x) as [IterVar, IterVar, IterVar];
  c.reorder(by, bx, tyAx, txAx, yiAx, xiAx);
  c.bind(by, 'blockIdx.y');
  c.bind(bx, 'blockIdx.x');
  c.bind(tyAx, 'threadIdx.y');
  c.bind(txAx, 'threadIdx.x');
  cl.computeAt(c, txAx);

  const [yc, xc] = cl.axis as [IterVar, IterVar];
  const [ko, ki] = cfg.getSplit('tile_k').apply(s, cl, cl.reduceAxis[0]!) as [IterVar, IterVar];
  cl.reorder(ko, ki, yc, xc);
  const step = cfg.getKnob('auto_unroll_max_step').val as number;
  if (step > 0) cl.pragma(ki, 'auto_unroll_max_step', step);

  for (const staged of [AA, BB]) {
    const st = s.stage(staged);
    st.computeAt(cl, ko);
    cooperativeFetch(st, ty, tx);
  }
  return [s, [A, B, C]];
}
