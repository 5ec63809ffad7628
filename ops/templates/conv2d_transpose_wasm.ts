// ops/templates/conv2d_transpose_wasm.ts — the wasm schedule of conv2d_transpose_nchw in its sub-pixel form
// (ops/nn/conv2d_transpose.ts, dilation 1, a stride > 1): the output tile's rows and columns split into
// (quotient, phase), the phases unrolled outside the vector, so each phase is a dense convolution whose
// input reads are contiguous f32x4 along the quotient of the width (⌊(x + left)/sw⌋ is affine in it) and
// whose weights are broadcasts; stores go out at stride sw. The knobs are conv2d_wasm.ts's, same names,
// candidates and order, so config indices are unchanged. The dilated form and stride-1 convolutions
// take scheduleConvWasm.

import type { ConfigSpace } from '../../autotune/space.js';
import type { FallbackConfigEntity } from '../../autotune/fallback_config.js';
import type { Schedule } from '../../schedule/schedule.js';
import type { Stage } from '../../schedule/stage.js';
import type { Tensor } from '../../schedule/tensor.js';
import type { IterVar } from '../../tir/nodes.js';
import { convWasmStages, scheduleConvWasm } from './conv2d_wasm.js';
import { finishConvWasm } from './conv_wasm_common.js';

/** Accumulators of the untuned tile: 16 f32x4 registers (conv2d_wasm.ts measured spills past ~32). */
const DEFAULT_TILE_FLOATS = 64;

/** The strides of a sub-pixel conv2d_transpose anchor, or undefined for another op or form. */
export function subpixelStrides(anchor: Tensor): readonly [number, number] | undefined {
  const op = anchor.op;
  if (op.kind !== 'compute' || op.tag !== 'conv2d_transpose_nchw' || op.attrs['form'] !== 'subpixel') return undefined;
  return op.attrs['strides'] as readonly [number, number];
}

/**
 * The untuned default: f32x4 along the width's quotient, a tile of 8 (else 4, 2) quotient columns × sw
 * phases, rows in whole phase groups (sh, or 2·sh where few channels leave room), as many output channels
 * (4, 2, 1) as keep the tile ≤ DEFAULT_TILE_FLOATS; input channels in blocks of 8 with the kernel subset
 * outside them. For det's 2×2 stride-2 ConvTransposes: 2 channels × 2 rows × 16 columns (24 → 24), 1 × 4 × 16
 * (24 → 1). Measured on 24 → 24 at 80² (CPU time, load 15, loaded): 2 × 2 × 16 1.66 ms, 1 × 4 × 16 1.93,
 * 4 × 2 × 16 (128 floats) 1.91, 2 × 2 × 32 1.91, 4 × 2 × 8 3.11, 2 × 4 × 16 2.92.
 */
function subpixelFallback(cfg: FallbackConfigEntity, anchor: Tensor, sh: number, sw: number): void {
  const [, O, OH, OW] = anchor.dims as [number, number, number, number];
  const owi = [8, 4, 2].map((v) => v * sw).find((f) => f <= 32 && OW % f === 0) ?? Math.min(OW, 32);
  const ow = cfg.fallbackSplit('tile_ow', [-1, owi]).size[1]!;
  const co = (rows: number): number => [4, 2, 1].find((c) => O % c === 0 && c * rows * ow <= DEFAULT_TILE_FLOATS) ?? 1;
  // One phase group of rows; two where the channels leave half the accumulators unused (few output channels).
  const two = 2 * sh <= 8 && OH % (2 * sh) === 0 && co(sh) * sh * ow <= DEFAULT_TILE_FLOATS / 2;
  // (A phase group too tall for the tile, sh · ow > 64, takes one row: the rows' reads stay floordivs.)
  const rows = sh * ow <= DEFAULT_TILE_FLOATS ? (two ? 2 * sh : sh) : 1;
  cfg.fallbackSplit('tile_oh', [-1, rows]);
  cfg.fallbackSplit('tile_co', [-1, co(rows)]);
  cfg.fallbackSplit('tile_rc', [-1, 8]);
  cfg.fallbackKnob('reorder_r', 0);
  cfg.fallbackKnob('unroll_kw', true);
  cfg.fallbackKnob('vectorize', true);
  cfg.fallbackKnob('pad_inline', false);
  cfg.fallbackKnob('auto_unroll_max_step', 16);
  cfg.fallbackKnob('parallel', true);
  cfg.fallbackKnob('vec_axis', 'ow');
}

/**
 * Splits a tile axis of `extent` into (quotient, phase) when the stride divides it: the phase outer (to be
 * unrolled), the quotient inner. Otherwise the axis alone (its reads stay floordivs: scalar code).
 */
function phaseSplit(st: Stage, axis: IterVar, extent: number, stride: number): IterVar[] {
  if (stride === 1 || extent % stride !== 0) return [axis];
  const [q, p] = st.split(axis, { factor: stride }) as [IterVar, IterVar];
  return [p, q];
}

/** The tile order: phase loops and channels outside, the vector axis (width quotient or channels) last. */
function tileOrder(co: IterVar, oh: IterVar[], ow: IterVar[], alongCo: boolean): IterVar[] {
  // oh: [phase, quotient] or [axis]; rows keep quotient-major order, the width phase goes outside its quotient.
  const rows = oh.length === 2 ? [oh[1]!, oh[0]!] : oh;
  return alongCo ? [...rows, ...ow, co] : [co, ...rows, ...ow];
}

/**
 * Schedules `anchor`, a conv2d_transpose_nchw output [N, O, OH, OW], with its epilogue up to `outs` inside
 * `s` (the template 'conv2d_transpose_nchw.wasm'): the sub-pixel form with a stride > 1 as the file's head
 * says, anything else by scheduleConvWasm.
 */
export function scheduleConvTransposeWasm(cfg: ConfigSpace, s: Schedule, anchor: Tensor, outs: readonly Tensor[]): void {
  const strides = subpixelStrides(anchor);
  if (strides === undefined || (strides[0] === 1 && strides[1] === 1)) return scheduleConvWasm(cfg, s, anchor, outs);
  const op = anchor.op;
  if (op.kind !== 'compute' || op.reduceAxis.length !== 3) throw new TypeError(`conv2d_transpose wasm schedule: ${anchor.name} must have reduce axes rc, jy, jx`);
  const [sh, sw] = strides;
  const { t, cl } = convWasmStages(cfg, s, anchor, outs, (f) => subpixelFallback(f, anchor, sh, sw));
  const [ohN, owN] = ['tile_oh', 'tile_ow'].map((k) => cfg.getSplit(k).size[1]!) as [number, number];
  const alongCo = cfg.getKnob('vec_axis').val === 'co';
  const vec = cfg.getKnob('vectorize').val === true;

  const [n, co, oh, ow] = t.axis as [IterVar, IterVar, IterVar, IterVar];
  const [coo, coi] = cfg.getSplit('tile_co').apply(s, t, co) as [IterVar, IterVar];
  const [oho, ohi] = cfg.getSplit('tile_oh').apply(s, t, oh) as [IterVar, IterVar];
  const [owo, owi] = cfg.getSplit('tile_ow').apply(s, t, ow) as [IterVar, IterVar];
  const tileT = tileOrder(coi, phaseSplit(t, ohi, ohN, sh), phaseSplit(t, owi, owN, sw), alongCo);
  t.reorder(n, coo, oho, owo, ...tileT);
  const rows = t.fuse(t.fuse(n, coo), oho);
  if (cfg.getKnob('parallel').val === true) t.parallel(rows);
  // Every tile loop unrolled but the vector one: the accumulators' indices are constants, wasm locals.
  tileT.slice(0, -1).forEach((a) => t.unroll(a));
  if (vec) t.vectorize(tileT[tileT.length - 1]!);
  else t.unroll(tileT[tileT.length - 1]!);
  cl.computeAt(t, owo);

  const [nc, coc, ohc, owc] = cl.axis as [IterVar, IterVar, IterVar, IterVar];
  const [rc, jy, jx] = cl.reduceAxis as [IterVar, IterVar, IterVar];
  const [rco, rci] = cfg.getSplit('tile_rc').apply(s, cl, rc) as [IterVar, IterVar];
  const order = cfg.getKnob('reorder_r').val === 0 ? [rco, jy, jx, rci] : [rco, rci, jy, jx];
  if (cfg.getKnob('unroll_kw').val === true) cl.unroll(jx);
  const tileC = tileOrder(coc, phaseSplit(cl, ohc, ohN, sh), phaseSplit(cl, owc, owN, sw), alongCo);
  cl.reorder(...order, nc, ...tileC);
  tileC.slice(0, -1).forEach((a) => cl.unroll(a));
  if (vec) cl.vectorize(tileC[tileC.length - 1]!);
  else cl.unroll(tileC[tileC.length - 1]!);
  finishConvWasm(cfg, s, cl, rco, []);
}
