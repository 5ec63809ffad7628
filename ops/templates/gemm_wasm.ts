// ops/templates/gemm_wasm.ts — the tunable wasm schedule of matmul and dense (AutoTVM-style template):
// tiles of the output per parallel task, a local accumulator tile, k split and reordered,
// the innermost output axis vectorized, the accumulation loops auto-unrolled.

import type { ConfigSpace } from '../../autotune/space.js';
import { FallbackConfigEntity } from '../../autotune/space.js';
import { createSchedule, type Schedule } from '../../schedule/schedule.js';
import type { Tensor } from '../../schedule/tensor.js';
import type { IterVar } from '../../tir/nodes.js';
import { dense, matmul } from '../matmul.js';

/** Loop orders of the accumulator stage tried by the 'reorder' knob (the output x axis stays innermost). */
const ORDERS = ['ko,ki,yc,xc', 'ko,yc,ki,xc', 'yc,ko,ki,xc'] as const;

/** Defines the knobs (or reads the chosen ones) and schedules C = a [M, N] product over K. */
export function scheduleGemmWasm(cfg: ConfigSpace, C: Tensor): Schedule {
  if (C.op.kind !== 'compute' || C.op.reduceAxis.length !== 1) throw new TypeError(`gemm wasm template: ${C.name} must be a single-reduction compute`);
  const [M, N] = C.dims as [number, number];
  const K = C.op.reduceAxis[0]!;
  // Knobs are defined first, in a fixed order: that order is the digit order of config indices.
  cfg.defineSplit('tile_y', M, { policy: 'verbose', maxFactor: 32 });
  cfg.defineSplit('tile_x', N, { policy: 'verbose', maxFactor: 64 });
  cfg.defineSplit('tile_k', K, { policy: 'verbose', maxFactor: 64 });
  cfg.defineKnob('reorder', [0, 1, 2]);
  cfg.defineKnob('vectorize', [true, false]);
  cfg.defineKnob('auto_unroll_max_step', [0, 16, 64]);
  cfg.defineKnob('unroll_y', [true, false]);
  cfg.defineKnob('parallel', [true, false]);
  if (cfg instanceof FallbackConfigEntity) {
    // Untuned default: a 4×8 accumulator tile (8 f32x4 registers), k blocks of 8 outside the rows
    // so each B vector serves 4 rows, vectorized along x, parallel tiles.
    cfg.fallbackSplit('tile_y', [-1, 4]);
    cfg.fallbackSplit('tile_x', [-1, 8]);
    cfg.fallbackSplit('tile_k', [-1, 8]);
    cfg.fallbackKnob('reorder', 0);
    cfg.fallbackKnob('vectorize', true);
    cfg.fallbackKnob('auto_unroll_max_step', 16);
    cfg.fallbackKnob('unroll_y', true);
    cfg.fallbackKnob('parallel', true);
  }
  const s = createSchedule(C);
  const CL = s.cacheWrite(C, 'local');
  const c = s.stage(C);
  const cl = s.stage(CL);

  const [y, x] = c.axis as [IterVar, IterVar];
  const [yo, yi] = cfg.getSplit('tile_y').apply(s, c, y) as [IterVar, IterVar];
  const [xo, xi] = cfg.getSplit('tile_x').apply(s, c, x) as [IterVar, IterVar];
  c.reorder(yo, xo, yi, xi);
  const tiles = c.fuse(yo, xo);
  if (cfg.getKnob('parallel').val === true) c.parallel(tiles);
  if (cfg.getKnob('vectorize').val === true) c.vectorize(xi);
  // Unrolled rows make every accumulator index constant, so wasm keeps the tile in locals (registers).
  const unrollY = cfg.getKnob('unroll_y').val === true;
  if (unrollY) c.unroll(yi);
  cl.computeAt(c, tiles);

  const [yc, xc] = cl.axis as [IterVar, IterVar];
  const [ko, ki] = cfg.getSplit('tile_k').apply(s, cl, cl.reduceAxis[0]!) as [IterVar, IterVar];
  const byName = { ko, ki, yc, xc };
  const chosen = ORDERS[cfg.getKnob('reorder').val as number]!.split(',').map((n) => byName[n as keyof typeof byName]);
  cl.reorder(...chosen);
  if (cfg.getKnob('vectorize').val === true) cl.vectorize(xc);
  if (unrollY) cl.unroll(yc);
  const step = cfg.getKnob('auto_unroll_max_step').val as number;
  if (step > 0) cl.pragma(chosen[0]!, 'auto_unroll_max_step', step);
  return s;
}

/** Template 'matmul.wasm': A [M, K] · B [K, N]. */
export function matmulWasm(cfg: ConfigSpace, A: Tensor, B: Tensor): readonly [Schedule, readonly Tensor[]] {
  const C = matmul(A, B);
  return [scheduleGemmWasm(cfg, C), [A, B, C]];
}

/** Template 'dense.wasm': X [M, K] · W [N, K]ᵀ. */
export function denseWasm(cfg: ConfigSpace, X: Tensor, W: Tensor): readonly [Schedule, readonly Tensor[]] {
  const Y = dense(X, W);
  return [scheduleGemmWasm(cfg, Y), [X, W, Y]];
}
