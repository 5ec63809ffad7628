// ops/templates/conv2d_wasm.ts — the tunable wasm schedule of the NCHW convolutions (conv2d_nchw, grouped,
// depthwise_conv2d_nchw, conv2d_transpose_nchw): an output tile of co × oh × ow, its accumulators in wasm
// locals (co, oh, ow unrolled but the vector axis: f32x4 along ow, or along co for narrow images), the
// reduction outside the tile, the padded input materialized once or read through a guarded load (whose
// border the width loop peels), the epilogue fused into the tile; tiles of (n, co, oh) run in parallel.

import type { ConfigSpace } from '../../autotune/space.js';
import { FallbackConfigEntity } from '../../autotune/fallback_config.js';
import type { Schedule } from '../../schedule/schedule.js';
import type { Stage } from '../../schedule/stage.js';
import type { Tensor } from '../../schedule/tensor.js';
import type { IterVar } from '../../tir/nodes.js';
import { finishConvWasm, paddedInputs } from './conv_wasm_common.js';
import { fuseEpilogue } from './epilogue.js';

/** Accumulator budget: co·oh·ow floats in locals; 16 f32x4 registers hold 64, spills start past ~32 vectors. */
const MAX_TILE_FLOATS = 128;

/**
 * The template's validity predicate (a multiFilter): the co·oh·ow accumulator tile must fit
 * MAX_TILE_FLOATS floats. Returns the reason a config is rejected, or undefined.
 */
export function convWasmTileFilter(cfg: ConfigSpace): string | undefined {
  const coI = cfg.getSplit('tile_co').size[1]!;
  const ohI = cfg.getSplit('tile_oh').size[1]!;
  const owI = cfg.getSplit('tile_ow').size[1]!;
  if (coI * ohI * owI > MAX_TILE_FLOATS) return `accumulator tile ${coI}×${ohI}×${owI} exceeds ${MAX_TILE_FLOATS} floats (32 f32x4 registers)`;
  return undefined;
}

/** The largest value of `prefs` that divides n, else 1. */
export function largestDivisor(n: number, prefs: readonly number[]): number {
  return prefs.find((p) => n % p === 0) ?? 1;
}

/**
 * The untuned default of scheduleConvWasm. Widths in fours: f32x4 along ow (a divisor ≤ 8, no tail), 4 output
 * channels, as many rows as keep the tile at ≤ 12 vector accumulators. Other widths (ResNet's 14² and 7²
 * layers, MobileNet's 7² depthwise) with channels in fours: f32x4 along co (8 or 4 channels; the weight
 * column is a gather, each input value of a convolution one broadcast, as TVM x86's conv2d_NCHWc puts
 * channel blocks in the vector lanes; a depthwise input is a gather too) × a row of ow ≤ 8 pixels, ≤ 16
 * vector accumulators.
 * Convolutions: 8 input channels per block with the kernel window outside them (reorder 0: each loaded
 * row serves every channel of the tile), the padded input materialized once (reads stay contiguous, no
 * guards). Depthwise: the padding inlined (a copy of the input costs as much as the convolution; the
 * width loop's border tiles are peeled, so the interior reads are unguarded). Kernel row unrolled.
 */
function convWasmFallback(cfg: FallbackConfigEntity, anchor: Tensor, hasRc: boolean): void {
  const [, O, , OW] = anchor.dims as [number, number, number, number];
  // Depthwise along co only without a channel multiplier (⌊o/m⌋ is not affine: no vector input read).
  const dataShape = anchor.op.kind === 'compute' ? (anchor.op.attrs['data_shape'] as readonly number[] | undefined) : undefined;
  const alongCo = OW % 4 !== 0 && O % 4 === 0 && (hasRc || dataShape?.[1] === O);
  const strides = anchor.op.kind === 'compute' ? (anchor.op.attrs['strides'] as readonly number[] | undefined) : undefined;
  const stride1 = strides !== undefined && strides.every((x) => x === 1);
  const depthwiseAlongOW = !hasRc && !alongCo && OW % 4 === 0;
  let pairRows = true;
  if (alongCo) {
    const co = largestDivisor(O, [8, 4]);
    const ow = cfg.fallbackSplit('tile_ow', [-1, 8]).size[1]!;
    cfg.fallbackSplit('tile_co', [-1, co]);
    cfg.fallbackSplit('tile_oh', [-1, Math.max(1, Math.floor(16 / ((co / 4) * ow)))]);
  } else if (depthwiseAlongOW) {
    // One channel, two rows: the 4 input rows of the pair are loaded once for both (the unrolled kernel
    // rows share them through the codegen's load cache), 9 weights and 4 accumulators stay in registers.
    // Stride 2 too (5 input rows for the pair instead of 6; D2 measured 8.1–8.5 GFLOP/s with 4 channels × 1
    // row, 9.4–9.9 with this, bench/conv_variants.ts, CPU time, load 10).
    cfg.fallbackSplit('tile_co', [-1, 1]);
    pairRows = cfg.fallbackSplit('tile_oh', [-1, 2]).size[1]! >= 2;
    cfg.fallbackSplit('tile_ow', [-1, largestDivisor(OW, [8, 4, 2])]);
  } else {
    const ow = largestDivisor(OW, [8, 4, 2]);
    const co = largestDivisor(O, [4, 2]);
    const rows = Math.max(1, Math.floor(12 / (co * Math.ceil(ow / 4))));
    cfg.fallbackSplit('tile_co', [-1, co]);
    cfg.fallbackSplit('tile_oh', [-1, Math.min(rows, 4)]);
    cfg.fallbackSplit('tile_ow', [-1, ow]);
  }
  if (hasRc) cfg.fallbackSplit('tile_rc', [-1, 8]);
  cfg.fallbackKnob('reorder_r', 0);
  cfg.fallbackKnob('unroll_kw', true);
  cfg.fallbackKnob('vectorize', true);
  cfg.fallbackKnob('pad_inline', !hasRc);
  // Stride-1 depthwise: the kernel rows unrolled too (3 × 2 rows × 3 taps = 18 steps; 3 × 7 × 3 along co),
  // so the row guards are loop-invariant and codegen's wasm.hoistInvariants unswitches the interior rows
  // free of them. (Strided depthwise measured slower unrolled: D2 8.0 → 5.5 GFLOP/s.) Not for a tile of one
  // row (an odd output height along the width), which shares no input row between unrolled kernel rows:
  // PaddleOCR cls's 5×5 depthwise on 3-row images ran 1.2–1.3× faster rolled (88×3×96: 121 → 91 µs, 40×3×96:
  // 55 → 42 µs, 32×15×40: 119 → 100 µs; 3×3 at par), bench/results/model13-s13-profile.md.
  cfg.fallbackKnob('auto_unroll_max_step', !hasRc && stride1 && pairRows ? 64 : 16);
  cfg.fallbackKnob('parallel', true);
  cfg.fallbackKnob('vec_axis', alongCo ? 'co' : 'ow');
}

/**
 * The template's knobs, in a fixed order (the digit order of config indices), for the convolution output
 * `anchor` [N, O, OH, OW] with reduce axes [rc,] ry, rx. Shared by conv2d_transpose_nchw's sub-pixel
 * schedule (conv2d_transpose_wasm.ts), so a record's index names the same knob values on both.
 */
export function defineConvWasmKnobs(cfg: ConfigSpace, anchor: Tensor): void {
  const op = anchor.op;
  if (op.kind !== 'compute') throw new TypeError(`conv wasm template: ${anchor.name} must be a compute`);
  const [, O, OH, OW] = anchor.dims as [number, number, number, number];
  const hasRc = op.reduceAxis.length === 3;
  cfg.defineSplit('tile_co', O, { policy: 'verbose', maxFactor: 16 });
  cfg.defineSplit('tile_oh', OH, { policy: 'verbose', maxFactor: 8 });
  cfg.defineSplit('tile_ow', OW, { policy: 'verbose', maxFactor: 32 });
  if (hasRc) cfg.defineSplit('tile_rc', op.reduceAxis[0]!, { policy: 'verbose', maxFactor: 64 });
  cfg.defineKnob('reorder_r', hasRc ? [0, 1] : [0]);
  cfg.defineKnob('unroll_kw', [true, false]);
  cfg.defineKnob('vectorize', [true, false]);
  cfg.defineKnob('pad_inline', [false, true]);
  cfg.defineKnob('auto_unroll_max_step', [0, 16, 64]);
  cfg.defineKnob('parallel', [true, false]);
  // Appended last, so the indices of records made before it (vec_axis 'ow') are unchanged.
  cfg.defineKnob('vec_axis', ['ow', 'co']);
}

/**
 * Where the direct and the sub-pixel (conv2d_transpose_wasm.ts) schedules start: the knobs (an untuned config
 * filled by `fallback`), the tile filter, the epilogue fused up to `outs`, and the local accumulator stage.
 * Returns the output stage `t` and the accumulator stage `cl` (TVM's cache_write "local").
 */
export function convWasmStages(
  cfg: ConfigSpace, s: Schedule, anchor: Tensor, outs: readonly Tensor[], fallback: (cfg: FallbackConfigEntity) => void,
  /** Knobs of this schedule alone, defined after the shared ones (their digits most significant) and before the fallback. */
  moreKnobs?: (cfg: ConfigSpace) => void,
): { t: Stage; cl: Stage } {
  defineConvWasmKnobs(cfg, anchor);
  moreKnobs?.(cfg);
  if (cfg instanceof FallbackConfigEntity) fallback(cfg);
  cfg.multiFilter(convWasmTileFilter);
  const { out } = fuseEpilogue(s, anchor, outs);
  const CL = s.cacheWrite(anchor, 'local');
  if (out !== anchor) s.stage(anchor).computeInline();
  return { t: s.stage(out), cl: s.stage(CL) };
}

/**
 * 'tile_loop' (session 17, appended after vec_axis so every older index names the same config, with 'co' first: the
 * order before it): which tile loop is outer in the parallel (n, ·, ·) loop. 'co' sweeps every output row for one
 * block of output channels (its weights stay in cache, the whole input streams once per block); 'oh' runs every channel
 * block on one output row (its few input rows stay in cache, the weights stream once per row) — direct convolutions
 * only: a depthwise channel reads its own rows, so 'oh' only scatters them (no knob there: its space and knob list, and
so a tuner's random draws over it, stay as they were).
 * CPU time, 1 thread, 5 interleaved rounds, load 13–16 (bench/results/search-s17-tileloop.md): C2 (64 ch, 56²) default
 * 35.8 → 37.8 GFLOP/s, its best known 39.0 → 40.4 (5 of 5 rounds each); C6 (128 ch, 28²) 0.98–1.02×; D1 0.97–0.99×.
 */
function defineTileLoop(cfg: ConfigSpace, hasRc: boolean): void {
  if (hasRc) cfg.defineKnob('tile_loop', ['co', 'oh']);
}

/**
 * The untuned default's 'tile_loop' (session 18): 'oh' when one image's weights are smaller than its padded input,
 * so the loop order re-reads the smaller operand (the weights once per row tile) and keeps the larger in one sweep;
 * else 'co' (the schedule before the knob). Per image: n is outermost in both orders. Measured on the seven conv
 * workloads' defaults, 'oh' ÷ 'co', 1 thread, CPU time, three processes × 5 interleaved rounds, load 16–19
 * (bench/results/search-s18-tileloop-p1..4.md, medians of per-round ratios): weights < input — C1 (3 → 64, 7×7/2,
 * 224²) 1.05–1.10, C2 (64 → 64, 56²) 1.01–1.21, C3 (1×1, 56²) 0.97–1.19 (median of five processes 1.04); weights ≥
 * input — C6 (128 → 128, 28²) 1.01–1.05 (round 15: 0.98), C7 0.98–1.07, C9 0.91–0.99, C12 0.90–0.92.
 * `attrs` missing (not a conv2d compute): 'co'.
 */
export function tileLoopByRule(anchor: Tensor): 'co' | 'oh' {
  const attrs = anchor.op.kind === 'compute' ? anchor.op.attrs : undefined;
  const data = attrs?.['data_shape'] as readonly number[] | undefined;
  const kernel = attrs?.['kernel_shape'] as readonly number[] | undefined;
  const pad = (attrs?.['padding'] as readonly number[] | undefined) ?? [0, 0, 0, 0];
  if (data?.length !== 4 || kernel?.length !== 4) return 'co';
  const [, C, H, W] = data as [number, number, number, number];
  const input = C * (H + pad[0]! + pad[2]!) * (W + pad[1]! + pad[3]!);
  const weights = kernel.reduce((a, b) => a * b, 1);
  return weights < input ? 'oh' : 'co';
}

/**
 * Defines the knobs (or reads the chosen ones) and schedules `anchor`, a convolution output
 * [N, O, OH, OW] whose reduce axes are [rc, ry, rx] (or [ry, rx] for depthwise), with its epilogue
 * up to `outs`, inside the schedule `s`.
 */
export function scheduleConvWasm(cfg: ConfigSpace, s: Schedule, anchor: Tensor, outs: readonly Tensor[]): void {
  const op = anchor.op;
  if (op.kind !== 'compute' || anchor.ndim !== 4 || op.reduceAxis.length < 2) {
    throw new TypeError(`conv wasm template: ${anchor.name} must be a 4-D convolution compute (NCHW) with [rc,] ry, rx reduce axes`);
  }
  const hasRc = op.reduceAxis.length === 3;
  const pads = paddedInputs(op);
  const fallback = (f: FallbackConfigEntity): void => {
    convWasmFallback(f, anchor, hasRc);
    if (hasRc) f.fallbackKnob('tile_loop', tileLoopByRule(anchor));
  };
  const { t, cl } = convWasmStages(cfg, s, anchor, outs, fallback, (c) => defineTileLoop(c, hasRc));

  const [n, co, oh, ow] = t.axis as [IterVar, IterVar, IterVar, IterVar];
  const [coo, coi] = cfg.getSplit('tile_co').apply(s, t, co) as [IterVar, IterVar];
  const [oho, ohi] = cfg.getSplit('tile_oh').apply(s, t, oh) as [IterVar, IterVar];
  const [owo, owi] = cfg.getSplit('tile_ow').apply(s, t, ow) as [IterVar, IterVar];
  const alongCo = cfg.getKnob('vec_axis').val === 'co';
  // The tile: co, oh, ow unrolled but for the vector axis, which is innermost.
  const tileT = alongCo ? [ohi, owi, coi] : [coi, ohi, owi];
  const ohOuter = hasRc && cfg.getKnob('tile_loop').val === 'oh';
  t.reorder(n, ...(ohOuter ? [oho, coo] : [coo, oho]), owo, ...tileT);
  // The width loop stays a loop of its own inside the parallel one: with the padding inlined,
  // loop partitioning peels its guarded first/last tiles and leaves a guard-free interior.
  const rows = ohOuter ? t.fuse(t.fuse(n, oho), coo) : t.fuse(t.fuse(n, coo), oho);
  if (cfg.getKnob('parallel').val === true) t.parallel(rows);
  const vec = cfg.getKnob('vectorize').val === true;
  // Unrolled tile loops make every accumulator index constant: wasm keeps them in locals.
  tileT.slice(0, 2).forEach((a) => t.unroll(a));
  if (vec) t.vectorize(tileT[2]!);
  else t.unroll(tileT[2]!);
  cl.computeAt(t, owo);

  const [nc, coc, ohc, owc] = cl.axis as [IterVar, IterVar, IterVar, IterVar];
  const red = cl.reduceAxis;
  let order: IterVar[];
  if (hasRc) {
    const [rco, rci] = cfg.getSplit('tile_rc').apply(s, cl, red[0]!) as [IterVar, IterVar];
    const [ry, rx] = [red[1]!, red[2]!];
    order = cfg.getKnob('reorder_r').val === 0 ? [rco, ry, rx, rci] : [rco, rci, ry, rx];
    if (cfg.getKnob('unroll_kw').val === true) cl.unroll(rx);
  } else {
    order = [red[0]!, red[1]!];
    if (cfg.getKnob('unroll_kw').val === true) cl.unroll(red[1]!);
  }
  // The output tile innermost, so the vectorized loop encloses no reduction loop.
  const tileC = alongCo ? [ohc, owc, coc] : [coc, ohc, owc];
  cl.reorder(...order, nc, ...tileC);
  tileC.slice(0, 2).forEach((a) => cl.unroll(a));
  if (vec) cl.vectorize(tileC[2]!);
  else cl.unroll(tileC[2]!);
  finishConvWasm(cfg, s, cl, order[0]!, pads);
}
