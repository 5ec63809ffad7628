// ops/templates/conv2d_webgpu.ts — the tunable WebGPU schedule of the NCHW convolutions (conv2d_nchw,
// grouped, depthwise, conv2d_transpose): block tiles of co × oh × ow on blockIdx, thread tiles on
// threadIdx, a register tile of outputs per thread, the input patch and weights of each input-channel
// block staged through workgroup memory by all threads, and the epilogue fused into the thread's tile.
// Knob `vec` = 4 vectorizes the thread's output-width tile by 4 (NCHW keeps ow contiguous; output
// channels are OH·OW apart): vec4 accumulators and FMAs, vec4 stores of the output (and of the fused
// epilogue) where OW is a multiple of 4 (codegen/wgsl/vec4_layout.ts binds such buffers as arrays of vec4),
// and vec4 fetches of a staged input row when its length allows. Unaligned accesses (odd OW, stride 2,
// a padded or dilated window) stay scalar inside the vector code; a tile that overhangs OW keeps a guard
// and the vectorizer leaves that loop serial, so every config computes the same answer.
// On a target with subgroups (`webgpu -subgroup-size=8`) knob `warp` = 1 (ungrouped convs) puts a subgroup's
// lanes on output channels and stages the input patch in warp memory: each lane loads part of it once and
// the lanes read it by subgroup broadcast/shuffle (codegen/wgsl/lower_warp_memory.ts); each lane reads its
// own channels' weights from global memory. No workgroup memory, no barriers, one subgroup per workgroup.
// With vec 4 the lanes' ow tiles are vec4s and the patch is read by vec4 shuffles where aligned.

import type { ConfigSpace } from '../../autotune/space.js';
import { FallbackConfigEntity } from '../../autotune/fallback_config.js';
import type { Schedule } from '../../schedule/schedule.js';
import { inputTensors, type Tensor } from '../../schedule/tensor.js';
import type { IterVar } from '../../tir/nodes.js';
import { fuseEpilogue } from './epilogue.js';
import { cooperativeFetch, MAX_SHARED_BYTES, MAX_THREADS } from './gemm_webgpu.js';
import { inPlaceDevice, targetSubgroupSize } from './webgpu_target.js';
import { MAX_UNROLLED_STEP, unrolledStepProblem } from './webgpu_unroll_limit.js';

/**
 * Register tile limit per thread (floats): the tile's loops are unrolled, so this bounds the kernel's size. 256 as
 * the gemm template's 16 × 16; larger tiles cut loads per FMA, which bound kernels on lavapipe (docs/webgpu.md).
 */
const MAX_REGISTER_TILE = 256;

/**
 * The warp default's pixels a lane (rows, columns): the most pixels, at most 49, in a tile whose sides divide OH
 * and OW (at most 8 each); among equals the taller. C2, C6, C9, C12: 7 × 7. Each weight a lane loads (a gather on
 * lavapipe) feeds one FMA per pixel of its tile, so more pixels a lane is fewer gathers per FMA; past ~49
 * accumulators LLVM spills (1 channel × 7 × 7 beat 2 × 7 × 7 and 1 × 8 × 8: docs/webgpu.md "Session 11").
 */
export function warpPixelTile(OH: number, OW: number): [number, number] {
  const divs = (n: number): number[] => [8, 7, 6, 5, 4, 3, 2, 1].filter((d) => n % d === 0);
  const pairs = divs(OH).flatMap((h) => divs(OW).map((w): [number, number] => [h, w])).filter(([h, w]) => h * w <= 49);
  return pairs.reduce((best, p) => (p[0] * p[1] > best[0] * best[1] || (p[0] * p[1] === best[0] * best[1] && p[0] > best[0]) ? p : best));
}

/**
 * The in-place default's layout (session 13; a `webgpu -device=llvmpipe` target without subgroups, ungrouped convs):
 * one workgroup of 8 invocations (lavapipe's SIMD width) over (oh, ow), `toh` × `tow`, each 8 output channels × 1 row
 * × `iow` pixels read straight from global memory (stage_shared false). iow: the largest divisor of OW up to 14; tow: the largest of 8, 4, 2, 1
 * that divides OW / iow (no idle lanes along ow); toh = 8 / tow. C6 (OW 28): 4 × 2 lanes of 14 pixels.
 */
export function directPixelTile(OW: number): { toh: number; tow: number; iow: number } {
  const iow = Math.max(...[14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1].filter((d) => OW % d === 0));
  const tow = [8, 4, 2, 1].find((t) => (OW / iow) % t === 0)!;
  return { toh: 8 / tow, tow, iow };
}

/**
 * The in-place default for a small image (`webgpu -device=llvmpipe` without subgroups, ungrouped, stride 1, not
 * dilated): when the whole OH × OW output fits one lane's pixel tile (at most 49 pixels, as warpPixelTile) and the
 * window is larger than 1 × 1, a lane computes `ico` = 2 output channels × the whole image, the 8 lanes of a
 * workgroup on output channels, the window (ry, rx) unrolled. Why (docs/webgpu.md "Session 15"): lavapipe gathers
 * every storage-buffer load lane by lane whatever its address (gallivm takes the broadcast path only for addresses
 * built from constants), so loads, not FMAs, bound the kernel. With the image in one tile every tap's padding test
 * is a constant once the window is unrolled: the padded taps fold away and each input pixel is loaded once per
 * input channel for all 9 taps (C12: 49 input + 18 weight loads for 722 FMAs a channel, against directPixelTile's
 * 21 + 72 for 456). C12 by CPU time beside tfjs-webgpu: 5.2–5.8 against 3.3–3.7 GFLOP per CPU-second; on C6 and C2
 * (28², 56²: several tiles, the padding tests stay dynamic) the same layout lost, so undefined there.
 */
export function wholeImageTile(OH: number, OW: number, KH: number, KW: number): { ico: number } | undefined {
  if (OH * OW > 49 || KH * KW === 1 || KH * KW * 2 * OH * OW > MAX_UNROLLED_STEP) return undefined;
  return { ico: 2 };
}

/**
 * Defines the knobs (or reads the chosen ones) and schedules `anchor`, a convolution output
 * [N, O, OH, OW] with reduce axes [rc, ry, rx] (or [ry, rx] for depthwise), with its epilogue up to
 * `outs`, inside `s`.
 */
export function scheduleConvWebGPU(cfg: ConfigSpace, s: Schedule, anchor: Tensor, outs: readonly Tensor[]): void {
  const op = anchor.op;
  if (op.kind !== 'compute' || anchor.ndim !== 4 || op.reduceAxis.length < 2) {
    throw new TypeError(`conv webgpu template: ${anchor.name} must be a 4-D convolution compute (NCHW) with [rc,] ry, rx reduce axes`);
  }
  const [, O, OH, OW] = anchor.dims as [number, number, number, number];
  const hasRc = op.reduceAxis.length === 3;
  const attrs = op.attrs as { strides?: readonly number[]; dilation?: readonly number[]; groups?: number; kernel_shape?: readonly number[] };
  const transposed = op.tag === 'conv2d_transpose_nchw';
  const [sh, sw] = transposed ? [1, 1] : (attrs.strides ?? [1, 1]);
  const [dh, dw] = attrs.dilation ?? [1, 1];
  const [KH, KW] = [op.reduceAxis[hasRc ? 1 : 0]!, op.reduceAxis[hasRc ? 2 : 1]!].map((a) => (a.dom.extent as { value: number }).value) as [number, number];
  const [data, kernel] = inputTensors(op) as [Tensor, Tensor];
  // Staging needs the patch of one input-channel block to be the same for the whole block: ungrouped convs.
  const canStage = hasRc && (attrs.groups ?? 1) === 1;

  cfg.defineSplit('tile_co', O, { numOutputs: 3, policy: 'verbose', maxFactor: 16 });
  cfg.defineSplit('tile_oh', OH, { numOutputs: 3, policy: 'verbose', maxFactor: 16 });
  cfg.defineSplit('tile_ow', OW, { numOutputs: 3, policy: 'verbose', maxFactor: 16 });
  if (hasRc) cfg.defineSplit('tile_rc', op.reduceAxis[0]!, { numOutputs: 2, policy: 'verbose', maxFactor: 16 });
  cfg.defineKnob('stage_shared', canStage ? [true, false] : [false]);
  cfg.defineKnob('auto_unroll_max_step', [0, 16, 64]);
  cfg.defineKnob('vec', [1, 4]);
  const sg = targetSubgroupSize();
  // Only where the target has subgroups: 1 stages the input patch in warp memory (see the file's head).
  if (sg) cfg.defineKnob('warp', canStage ? [0, 1] : [0]);
  // Only where the device reads in place, without subgroups (lavapipe's plain target): true unrolls the window loops
  // (ry, rx) in the TIR, as TVM's `ann_reduce` 'try_unroll' (see windowTile). Defined last, so config i of the space
  // without it is config i here with the window rolled: records of that space keep their indices.
  const inPlace = sg === undefined && inPlaceDevice();
  if (inPlace) cfg.defineKnob('unroll_window', [false, true]);
  const isWarp = (c: ConfigSpace): boolean => sg !== undefined && c.getKnob('warp').val === 1;
  const unrollsWindow = (c: ConfigSpace): boolean => inPlace && c.getKnob('unroll_window').val === true;
  // Why a config is refused (threads per workgroup, register tile, workgroup memory), or undefined.
  const invalid = (c: ConfigSpace): string | undefined => {
    const [, tco, ico] = c.getSplit('tile_co').size as [number, number, number];
    const [, toh, ioh] = c.getSplit('tile_oh').size as [number, number, number];
    const [, tow, iow] = c.getSplit('tile_ow').size as [number, number, number];
    const rci = hasRc ? c.getSplit('tile_rc').size[1]! : 1;
    if (tco * toh * tow > MAX_THREADS) return `${tco}×${toh}×${tow} threads exceed the workgroup limit ${MAX_THREADS}`;
    if (ico * ioh * iow > MAX_REGISTER_TILE) return `register tile ${ico}×${ioh}×${iow} exceeds ${MAX_REGISTER_TILE} floats`;
    if (c.getKnob('vec').val === 4 && iow % 4 !== 0) return `vec 4 needs the thread's ow tile ${iow} to be a multiple of 4`;
    // The window unrolled: taps × register tile of straight-line FMAs (webgpu_unroll_limit.ts). Not warp 1's
    // (subgroup target), which unrolls it too: C1's shipped record there is 49 taps × 49 pixels = 2401 FMAs.
    if (unrollsWindow(c)) {
      const why = unrolledStepProblem(`unroll_window: ${KH}×${KW} taps × a ${ico}×${ioh}×${iow} register tile`, KH * KW * ico * ioh * iow);
      if (why !== undefined) return why;
    }
    if (isWarp(c)) {
      if (tco !== sg || toh !== 1 || tow !== 1) {
        return `warp 1 needs one subgroup per workgroup, its lanes on output channels: ${tco}×${toh}×${tow} threads, not ${sg}×1×1 (tile_co's, tile_oh's and tile_ow's thread factors)`;
      }
      if (c.getKnob('stage_shared').val === true) return 'warp 1 stages no workgroup memory: stage_shared must be false';
    } else if (c.getKnob('stage_shared').val === true) {
      const rows = (toh * ioh - 1) * sh + (KH - 1) * dh + 1;
      const cols = (tow * iow - 1) * sw + (KW - 1) * dw + 1;
      const bytes = (rci * rows * cols + tco * ico * rci * KH * KW) * 4;
      if (bytes > MAX_SHARED_BYTES) return `${bytes} bytes of workgroup memory exceed ${MAX_SHARED_BYTES}`;
    }
    return undefined;
  };
  if (cfg instanceof FallbackConfigEntity) {
    // Untuned default: the first of these tilings (largest divisors within the limits) that the template
    // accepts. A large register tile comes first: on lavapipe (WebGPU on the CPU) the staged loads, not the
    // FMAs, bound the kernel, and a thread of 8 channels × 2 × 4 pixels does 64 FMAs per 14 loads against
    // 4 per 4 for 2 × 1 × 2. About 8 pixels a thread: up to 4 along ow, the rest along oh (a whole 7-pixel
    // column on 7×7 images). Measured by `bench/webgpu_tiles.ts` beside tfjs-webgpu: C6 0.6 → 2.2, C12
    // 0.3 → 1.5 GFLOP/s. Ungrouped, non-transposed convs only (the staged path); the others keep the small
    // tile, the last entry, which was the only default before.
    const iow = [4, 3, 2, 1].find((f) => OW % f === 0)!;
    const tilings: Array<[number[], number[], number[], number]> = canStage && !transposed
      ? [[[-1, 4, 8], [-1, 4, Math.floor(8 / iow)], [-1, 8, 4], 4], [[-1, 4, 8], [-1, 4, 1], [-1, 8, 4], 4], [[-1, 4, 4], [-1, 4, 1], [-1, 8, 4], 2]]
      : [];
    tilings.push([[-1, 4, 2], [-1, 4, 1], [-1, 8, 2], 4]);
    cfg.fallbackKnob('auto_unroll_max_step', 16);
    // With subgroups (ungrouped convs): warp 1, 1 channel a lane, 1 input channel a step, and the pixel tile of
    // warpPixelTile (7 × 7 on C2, C6, C9, C12). A lane's weights are gathers (each lane its own channel) and
    // the patch reads broadcasts, so a weight feeds as many FMAs as the lane has pixels, whatever its channel
    // count: more channels a lane add gathers and accumulators, not reuse. CPU time, same process (session 11,
    // load 13–25; docs/webgpu.md "Subgroups"): 1 × 7 × 7 against session 10's 4 × 4 × 4 (C9 4 × 7 × 2): C6 16.2 vs
    // 5.4, C2 15.0 vs 5.5, C9 15.6 vs 6.2 GFLOP per CPU-second; 2 × 7 × 7 9.0–9.2, 1 × 8 × 8 (C2) 13.0. vec 4
    // measured level with vec 1 (session 10), so vec 1. Else, or where that does not resolve, as without.
    if (sg !== undefined) {
      const [poh, pow] = warpPixelTile(OH, OW);
      cfg.fallbackKnob('warp', canStage ? 1 : 0);
      cfg.fallbackKnob('stage_shared', false);
      cfg.fallbackSplit('tile_co', [-1, sg, 1]);
      cfg.fallbackSplit('tile_oh', [-1, 1, poh]);
      cfg.fallbackSplit('tile_ow', [-1, 1, pow]);
      if (hasRc) cfg.fallbackSplit('tile_rc', [-1, 1]);
      cfg.fallbackKnob('vec', 1);
      if (canStage && invalid(cfg) === undefined) tilings.length = 0;
      else cfg.fallbackKnob('warp', 0);
    }
    // Where the target's device reads in place (lavapipe: webgpu_target.ts inPlaceDevice), without subgroups
    // (ungrouped, non-transposed convs): directPixelTile's layout, reading the input and weights in place, 1 input
    // channel a step, no unroll pragma. On lavapipe every load in a loop is a per-lane gather
    // whether it comes from global or workgroup memory, so staging only adds the copy and the barriers; a lane's 8
    // channels × 14 pixels do 112 FMAs per 8 weight + 14 input loads. CPU time beside tfjs-webgpu in one process
    // (session 13, load 8–10; docs/webgpu.md "Session 13"): C6 6.37 vs 3.82 (the staged default), C9 3.29 vs 2.17,
    // C2 6.93 vs 4.46 GFLOP per CPU-second; 4 channels 3.3, 16 channels 4.8–4.9, 7 pixels 5.8–6.5 (C6); unrolling the
    // window lost (3.9). Where it does not resolve, and on other devices (plain `webgpu`: SwiftShader ran this
    // layout 30× slower, docs/webgpu.md), the staged tilings below.
    if (inPlace && canStage && !transposed) {
      const { toh, tow, iow } = directPixelTile(OW);
      cfg.fallbackKnob('stage_shared', false);
      cfg.fallbackKnob('auto_unroll_max_step', 0);
      cfg.fallbackKnob('vec', 1);
      cfg.fallbackSplit('tile_rc', [-1, 1]);
      // A small image (C12's 7 × 7): the whole image a lane, lanes on output channels, the window unrolled
      // (wholeImageTile), where that resolves; else directPixelTile's layout, the window rolled.
      const whole = [1, 1].every((x, i) => (attrs.strides ?? [1, 1])[i] === x && (attrs.dilation ?? [1, 1])[i] === x) ? wholeImageTile(OH, OW, KH, KW) : undefined;
      if (whole !== undefined) {
        cfg.fallbackKnob('unroll_window', true);
        cfg.fallbackSplit('tile_co', [-1, 8, whole.ico]);
        cfg.fallbackSplit('tile_oh', [-1, 1, OH]);
        cfg.fallbackSplit('tile_ow', [-1, 1, OW]);
      }
      if (whole === undefined || invalid(cfg) !== undefined) {
        cfg.fallbackKnob('unroll_window', false);
        cfg.fallbackSplit('tile_co', [-1, 1, 8]);
        cfg.fallbackSplit('tile_oh', [-1, toh, 1]);
        cfg.fallbackSplit('tile_ow', [-1, tow, iow]);
      }
      if (invalid(cfg) === undefined) tilings.length = 0;
      else cfg.fallbackKnob('auto_unroll_max_step', 16);
    }
    if (tilings.length > 0) {
      cfg.fallbackKnob('stage_shared', canStage);
      cfg.fallbackKnob('vec', 1);
    }
    for (const [co, oh, ow, rc] of tilings) {
      cfg.fallbackSplit('tile_co', co);
      cfg.fallbackSplit('tile_oh', oh);
      cfg.fallbackSplit('tile_ow', ow);
      if (hasRc) cfg.fallbackSplit('tile_rc', [-1, rc]);
      if (invalid(cfg) === undefined) break;
    }
  }
  // The template's validity predicate (a multiFilter).
  cfg.multiFilter(invalid);
  const tco = cfg.getSplit('tile_co').size[1]!;
  const toh = cfg.getSplit('tile_oh').size[1]!;
  const tow = cfg.getSplit('tile_ow').size[1]!;
  const stage = cfg.getKnob('stage_shared').val === true;
  const warp = isWarp(cfg);

  const { out } = fuseEpilogue(s, anchor, outs);
  const CL = s.cacheWrite(anchor, 'local');
  if (out !== anchor) s.stage(anchor).computeInline();
  const DS = stage ? s.cacheRead(data, 'shared', [CL]) : undefined;
  const WS = stage ? s.cacheRead(kernel, 'shared', [CL]) : undefined;
  const DW = warp ? s.cacheRead(data, 'warp', [CL]) : undefined;
  // The padded (or dilated) input is read through its guarded expression: by the shared fetch or the tile.
  if (data.op.kind === 'compute') s.stage(data).computeInline();
  const t = s.stage(out);
  const cl = s.stage(CL);

  const [n, co, oh, ow] = t.axis as [IterVar, IterVar, IterVar, IterVar];
  const [bco, tcoAx, icoAx] = cfg.getSplit('tile_co').apply(s, t, co) as [IterVar, IterVar, IterVar];
  const [boh, tohAx, iohAx] = cfg.getSplit('tile_oh').apply(s, t, oh) as [IterVar, IterVar, IterVar];
  const [bow, towAx, iowAx] = cfg.getSplit('tile_ow').apply(s, t, ow) as [IterVar, IterVar, IterVar];
  t.reorder(n, bco, boh, bow, tcoAx, tohAx, towAx, icoAx, iohAx, iowAx);
  t.bind(t.fuse(n, bco), 'blockIdx.z');
  t.bind(boh, 'blockIdx.y');
  t.bind(bow, 'blockIdx.x');
  // warp 1: the subgroup's lanes (threadIdx.x) on output channels; else threadIdx.x on ow.
  t.bind(tcoAx, warp ? 'threadIdx.x' : 'threadIdx.z');
  t.bind(tohAx, 'threadIdx.y');
  t.bind(towAx, warp ? 'threadIdx.z' : 'threadIdx.x');
  cl.computeAt(t, towAx);

  const [nc, coc, ohc, owc] = cl.axis as [IterVar, IterVar, IterVar, IterVar];
  const red = cl.reduceAxis;
  let outer: IterVar;
  if (hasRc) {
    const [rco, rcin] = cfg.getSplit('tile_rc').apply(s, cl, red[0]!) as [IterVar, IterVar];
    cl.reorder(rco, rcin, red[1]!, red[2]!, nc, coc, ohc, owc);
    outer = rco;
    const step = cfg.getKnob('auto_unroll_max_step').val as number;
    if (step > 0) cl.pragma(rcin, 'auto_unroll_max_step', step);
    // warp 1 unrolls the window, so the patch reads of one input channel name their lanes by constants.
    if (warp || unrollsWindow(cfg)) for (const ax of [red[1]!, red[2]!]) cl.unroll(ax);
  } else {
    cl.reorder(red[0]!, red[1]!, nc, coc, ohc, owc);
    outer = red[0]!;
    if (unrollsWindow(cfg)) for (const ax of [red[0]!, red[1]!]) cl.unroll(ax);
    const step = cfg.getKnob('auto_unroll_max_step').val as number;
    if (step > 0) cl.pragma(red[0]!, 'auto_unroll_max_step', step);
  }
  const vec = cfg.getKnob('vec').val as number;
  if (vec > 1) {
    t.vectorize(iowAx);
    cl.vectorize(owc);
  }
  // The register tile's loops are always unrolled, so the accumulators are indexed by constants: a
  // dynamically indexed local array lives in memory (on lavapipe every access becomes a gather).
  for (const ax of [icoAx, iohAx, ...(vec > 1 ? [] : [iowAx])]) t.unroll(ax);
  for (const ax of [coc, ohc, ...(vec > 1 ? [] : [owc])]) cl.unroll(ax);
  // A staged input row of the block is (tow·iow − 1)·sw + (KW − 1)·dw + 1 long: fetched as vec4 when that is a
  // multiple of 4 (1×1 stride-1 convolutions); the weights' rows (KW) are fetched by scalars.
  const cols = (tow * cfg.getSplit('tile_ow').size[2]! - 1) * sw + (KW - 1) * dw + 1;
  for (const staged of [DS, WS]) {
    if (!staged) continue;
    const st = s.stage(staged);
    st.computeAt(cl, outer);
    cooperativeFetch(st, [tco, toh, tow], staged === DS && vec > 1 && cols % vec === 0 ? vec : 1);
  }
  if (DW) {
    // The lanes (threadIdx.x) fill the patch; unrolled, each lane's part is indexed by constants. With vec 4 and
    // rows a multiple of 4 long, each lane stores vec4s (4 consecutive elements a lane), so a vec4 read of the
    // patch that starts at a multiple of 4 is one shuffle of a vec4; the others are read element by element.
    const st = s.stage(DW);
    st.computeAt(cl, outer);
    cooperativeFetch(st, [tco], vec > 1 && cols % vec === 0 ? vec : 1, { unrollOuter: true });
  }
}
