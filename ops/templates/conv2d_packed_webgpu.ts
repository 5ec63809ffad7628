// ops/templates/conv2d_packed_webgpu.ts — the tunable WebGPU schedule of conv2d_nchw_packed (ops/nn/conv2d_packed.ts:
// NCHW data, the weight packed [⌈O/ob⌉, C, KH, KW, ob], NCHW output), for lavapipe's plain target
// (`webgpu -device=llvmpipe` without subgroups; relay picks it there only). Session 16's probe made real
// (bench/webgpu_conv_probe.ts 'TIR packed'; docs/webgpu.md "Session 16"): conv2d_webgpu.ts's in-place layout — a
// workgroup of lanes over (oh, ow), each lane a register tile of `ob`-channel blocks × rows × pixels, reading its
// input and weights straight from global memory — with the lane's weights of one tap read through a local cache
// stage whose `ob`-wide channel axis is split by 4 and vectorized: two vec4 loads a tap for ob 8 (the weight buffer
// bound as array<vec4<f32>>, codegen/wgsl/vec4_layout.ts) where the OIHW weight costs 8 scalar loads. On lavapipe
// every storage load whose address is not built from constants is a per-lane gather (docs/webgpu.md "Session 15"),
// and a vec4 gather fetches each lane's base once for 4 floats.
// Knobs: tile_cob (blocks of ob channels: workgroup, lanes, a lane's), tile_oh, tile_ow (workgroup, lanes, a lane's),
// tile_rc (input channels a step), auto_unroll_max_step, unroll_window (the window loops unrolled; at most
// webgpu_unroll_limit.ts's FMAs a step), weight_vec (4: the
// vec4 cache stage; 1: scalar reads of the packed weight, where ob is not a multiple of 4 the only value).

import type { ConfigSpace } from '../../autotune/space.js';
import { FallbackConfigEntity } from '../../autotune/fallback_config.js';
import type { Schedule } from '../../schedule/schedule.js';
import { inputTensors, type Tensor } from '../../schedule/tensor.js';
import type { IterVar } from '../../tir/nodes.js';
import { directPixelTile } from './conv2d_webgpu.js';
import { fuseEpilogue } from './epilogue.js';
import { MAX_THREADS } from './gemm_webgpu.js';
import { unrolledStepProblem } from './webgpu_unroll_limit.js';

/** Register tile limit per lane (floats), as conv2d_webgpu.ts: the tile's loops are unrolled. */
const MAX_REGISTER_TILE = 256;

/**
 * Defines the knobs (or reads the chosen ones) and schedules `anchor`, a conv2d_nchw_packed output [N, O, OH, OW]
 * reading a packed weight [⌈O/ob⌉, C, KH, KW, ob], with its epilogue up to `outs`, inside `s`. Throws TypeError for
 * an anchor that is not such a compute.
 */
export function scheduleConvPackedWebGPU(cfg: ConfigSpace, s: Schedule, anchor: Tensor, outs: readonly Tensor[]): void {
  const op = anchor.op;
  if (op.kind !== 'compute' || op.tag !== 'conv2d_nchw_packed' || anchor.ndim !== 4 || op.reduceAxis.length !== 3) {
    throw new TypeError(`conv2d_nchw_packed webgpu template: ${anchor.name} must be a conv2d_nchw_packed compute [N, O, OH, OW] with rc, ry, rx reduce axes`);
  }
  const [, , OH, OW] = anchor.dims as [number, number, number, number];
  const [data, kernel] = inputTensors(op) as [Tensor, Tensor];
  const [Ob, C, KH, KW, ob] = kernel.dims as [number, number, number, number, number];

  cfg.defineSplit('tile_cob', Ob, { numOutputs: 3, policy: 'verbose', maxFactor: 16 });
  cfg.defineSplit('tile_oh', OH, { numOutputs: 3, policy: 'verbose', maxFactor: 16 });
  cfg.defineSplit('tile_ow', OW, { numOutputs: 3, policy: 'verbose', maxFactor: 16 });
  cfg.defineSplit('tile_rc', C, { numOutputs: 2, policy: 'verbose', maxFactor: 16 });
  cfg.defineKnob('auto_unroll_max_step', [0, 16, 64]);
  cfg.defineKnob('unroll_window', [false, true]);
  cfg.defineKnob('weight_vec', ob % 4 === 0 ? [4, 1] : [1]);
  // Why a config is refused (lanes per workgroup, register tile, unrolled window size), or undefined.
  const invalid = (c: ConfigSpace): string | undefined => {
    const [, tco, icob] = c.getSplit('tile_cob').size as [number, number, number];
    const [, toh, ioh] = c.getSplit('tile_oh').size as [number, number, number];
    const [, tow, iow] = c.getSplit('tile_ow').size as [number, number, number];
    const tile = icob * ob * ioh * iow;
    if (tco * toh * tow > MAX_THREADS) return `${tco}×${toh}×${tow} threads exceed the workgroup limit ${MAX_THREADS}`;
    if (tile > MAX_REGISTER_TILE) return `register tile ${icob * ob}×${ioh}×${iow} exceeds ${MAX_REGISTER_TILE} floats`;
    // The straight-line code of a step (webgpu_unroll_limit.ts: 2048 FMAs until session 19, whose WGSL reached 1.26 MB).
    if (c.getKnob('unroll_window').val === true) return unrolledStepProblem(`unroll_window: ${KH}×${KW} taps × a ${tile}-float register tile`, KH * KW * tile);
    return undefined;
  };
  if (cfg instanceof FallbackConfigEntity) {
    // Untuned default: conv2d_webgpu.ts's in-place layout for lavapipe (directPixelTile: 8 lanes over (oh, ow), a
    // lane 1 row × iow pixels), a lane two blocks of ob channels (see below), 1 input channel a step, the
    // window rolled, the vec4 weight stage. Session 16's probe of it with one block a lane against conv2d_nchw's
    // default with the OIHW weight, CPU time in one process (load 9–25): C2 1.15–1.63× in 12 of 12 rounds, C6 ahead in
    // 10 of 12, C9 1.15–1.44×.
    // Session 18: a lane takes two blocks (16 channels for ob 8) where it can, so each input it loads feeds twice
    // the FMAs; the vec4 weight loads (two a tap a block) are what made that pay — session 13 measured 16 OIHW channels a
    // lane behind 8 (scalar weight loads). scripts/ab_tophub.ts, two blocks against one, CPU time, 8 rounds alternating,
    // load 16–20 (docs/webgpu.md "Session 18"): C2 1.58× (7 of 8 rounds), C6 1.59× (6 of 8), C9 1.54× (6 of 8). One
    // block where their count is odd (fallbackSplit takes divisors, so no lane computes a block past O) or where two
    // would exceed the register tile (ob over 9 with 14 pixels).
    const { toh, tow, iow } = directPixelTile(OW);
    cfg.fallbackSplit('tile_cob', [-1, 1, 2]);
    cfg.fallbackSplit('tile_oh', [-1, toh, 1]);
    cfg.fallbackSplit('tile_ow', [-1, tow, iow]);
    cfg.fallbackSplit('tile_rc', [-1, 1]);
    cfg.fallbackKnob('auto_unroll_max_step', 0);
    cfg.fallbackKnob('unroll_window', false);
    cfg.fallbackKnob('weight_vec', ob % 4 === 0 ? 4 : 1);
    if (invalid(cfg) !== undefined) cfg.fallbackSplit('tile_cob', [-1, 1, 1]);
  }
  cfg.multiFilter(invalid);

  const { out } = fuseEpilogue(s, anchor, outs);
  const CL = s.cacheWrite(anchor, 'local');
  if (out !== anchor) s.stage(anchor).computeInline();
  const WL = s.cacheRead(kernel, 'local', [CL]);
  // The padded (or dilated) input is read through its guarded expression by the tile.
  if (data.op.kind === 'compute') s.stage(data).computeInline();
  const t = s.stage(out);
  const cl = s.stage(CL);

  const [n, co, oh, ow] = t.axis as [IterVar, IterVar, IterVar, IterVar];
  // Output channels in blocks of ob first (the weight's blocks; O not a multiple of ob leaves a guarded tail), then
  // the blocks tiled: so a lane's channels are whole blocks and its weight reads start at a block.
  const [cob, coi] = t.split(co, { factor: ob });
  const [bco, tcoAx, icoAx] = cfg.getSplit('tile_cob').apply(s, t, cob) as [IterVar, IterVar, IterVar];
  const [boh, tohAx, iohAx] = cfg.getSplit('tile_oh').apply(s, t, oh) as [IterVar, IterVar, IterVar];
  const [bow, towAx, iowAx] = cfg.getSplit('tile_ow').apply(s, t, ow) as [IterVar, IterVar, IterVar];
  t.reorder(n, bco, boh, bow, tcoAx, tohAx, towAx, icoAx, coi, iohAx, iowAx);
  t.bind(t.fuse(n, bco), 'blockIdx.z');
  t.bind(boh, 'blockIdx.y');
  t.bind(bow, 'blockIdx.x');
  t.bind(tcoAx, 'threadIdx.z');
  t.bind(tohAx, 'threadIdx.y');
  t.bind(towAx, 'threadIdx.x');
  cl.computeAt(t, towAx);
  // The register tile's loops are unrolled, so the accumulators are indexed by constants (a dynamically indexed
  // local array lives in memory: on lavapipe every access a gather).
  for (const ax of [icoAx, coi, iohAx, iowAx]) t.unroll(ax);

  const [nc, coc, ohc, owc] = cl.axis as [IterVar, IterVar, IterVar, IterVar];
  const [rc, ry, rx] = cl.reduceAxis as [IterVar, IterVar, IterVar];
  const [rco, rci] = cfg.getSplit('tile_rc').apply(s, cl, rc) as [IterVar, IterVar];
  cl.reorder(rco, rci, ry, rx, nc, coc, ohc, owc);
  for (const ax of [coc, ohc, owc]) cl.unroll(ax);
  const step = cfg.getKnob('auto_unroll_max_step').val as number;
  if (step > 0) cl.pragma(rci, 'auto_unroll_max_step', step);
  if (cfg.getKnob('unroll_window').val === true) for (const ax of [ry, rx]) cl.unroll(ax);

  // The lane's weights of one tap: [icob blocks, 1, 1, 1, ob], loaded at the innermost reduce step. weight_vec 4
  // splits the ob axis by 4 and vectorizes it (vec4 loads); the rest unrolled, so every load's offset is constant
  // but for the tap's base.
  const wl = s.stage(WL);
  wl.computeAt(cl, rx);
  const wax = [...wl.axis];
  const last = wax.pop()!;
  if (cfg.getKnob('weight_vec').val === 4) {
    const [wo, wi] = wl.split(last, { factor: 4 });
    for (const a of [...wax, wo]) wl.unroll(a);
    wl.vectorize(wi);
  } else {
    for (const a of [...wax, last]) wl.unroll(a);
  }
}
