// ops/templates/gemm_wasm.ts — the tunable wasm schedule of matmul, dense and batch_matmul (AutoTVM-style
// template): tiles of the output per parallel task (batch axes fused in front), a local accumulator tile,
// k split and reordered, the innermost output axis vectorized, the accumulation loops auto-unrolled, B
// optionally packed into panels of the x tile (pack_b, gemm_pack.ts), and the elementwise epilogue (bias,
// activation, residual) fused into the output tile.

import type { ConfigSpace } from '../../autotune/space.js';
import { FallbackConfigEntity } from '../../autotune/fallback_config.js';
import type { Schedule } from '../../schedule/schedule.js';
import type { Stage } from '../../schedule/stage.js';
import type { Tensor } from '../../schedule/tensor.js';
import { asConstInt, type IterVar } from '../../tir/nodes.js';
import { fuseEpilogue } from './epilogue.js';
import { packPanels, readsBAlongK } from './gemm_pack.js';

/** Options of scheduleGemmWasm for templates that embed the products (Winograd). */
export interface GemmWasmOptions {
  /** Define the pack_b knob (default true); false keeps B as it is and the knob out of the space (Winograd's V). */
  readonly packB?: boolean;
  /**
   * B is a model's constant weight, packed once at build time (the `*_prepacked` tuning tasks): a config with pack_b
   * reads a placeholder of panels Bp [⌈N/bn⌉, K, bn] (returned as `packedB`, fed packed by the measurement) instead of
   * packing in the kernel, so tuning times what a model build runs (TVM's dense_pack under `in_tuning`). Same knobs.
   */
  readonly constB?: boolean;
  /** A caller's own untuned default, applied over the gemm's (conv2d_gemm's panels of im2col columns). */
  readonly fallback?: (cfg: FallbackConfigEntity) => void;
  /**
   * Keep the row tiles (y's outer loop) a serial loop inside the fused, parallel batch loops instead of fusing them in
   * (tile_order 'yx' only): where the y tile does not divide M, tir.loopPartition then peels the one partial row tile of
   * each batch, so the full tiles run unguarded (conv2d_gemm_NCHWc's rows are an image's OH·OW pixels, 196 for C7).
   */
  readonly rowTileLoop?: boolean;
  /** A caller's own knobs, defined after the gemm's (their config digits come last) and before the fallback. */
  readonly defineKnobs?: (cfg: ConfigSpace) => void;
  /**
   * With rowTileLoop, per config: the loop order of the batch axes (a permutation of their indices; default in order)
   * and how many of the leading ones make the fused parallel loop (default all; the rest run serially inside it), so
   * a caller can compute a stage once per parallel iteration (conv2d_gemm_NCHWc's im2col rows at (n, block), ob inside).
   */
  readonly batchLoops?: (cfg: ConfigSpace) => BatchLoops | undefined;
  /**
   * The anchor's [..., H, W, N] view whose two row axes are the product's M = H·W read as one (same memory,
   * Y[…, h, w, n] = anchor[…, h·W + w, n]): the epilogue is fused after the view and the output's two row axes are
   * fused into the y axis the row tiles split, so a tile may span rows (conv2d_gemm_NCHWc's output pixels).
   */
  readonly view?: Tensor;
}

/** The batch loops' order and parallel part (GemmWasmOptions.batchLoops). */
export interface BatchLoops {
  /** A permutation of the batch axes' indices; with blockTiles, index (number of batch axes) is the block loop. */
  readonly order: readonly number[];
  /** How many of the leading loops of `order` make the fused parallel loop (the rest run serially inside it). */
  readonly parallel: number;
  /** Row tiles split into blocks of this many tiles, the block loop placed among the batch loops by `order`. */
  readonly blockTiles?: number;
}

/** What scheduleGemmWasm made that the caller passes on: the panels placeholder that replaces B (constB with pack_b). */
export interface GemmWasmResult {
  readonly packedB?: Tensor;
  /** With rowTileLoop: the output stage and its fused batch loop (the parallel one), where a caller may attach stages. */
  readonly batchLoop?: { readonly stage: Stage; readonly axis: IterVar };
}

/** Loop orders of the accumulator stage tried by the 'reorder' knob (the output x axis stays innermost). */
const ORDERS = ['ko,ki,yc,xc', 'ko,yc,ki,xc', 'yc,ko,ki,xc'] as const;

/**
 * Defines the knobs (or reads the chosen ones) and schedules `anchor` = a [..., M, N] product over one
 * reduce axis K inside `s`, with its epilogue up to `outs`.
 */
export function scheduleGemmWasm(cfg: ConfigSpace, s: Schedule, anchor: Tensor, outs: readonly Tensor[], opts: GemmWasmOptions = {}): GemmWasmResult {
  const op = anchor.op;
  if (op.kind !== 'compute' || op.reduceAxis.length !== 1 || anchor.ndim < 2) throw new TypeError(`gemm wasm template: ${anchor.name} must be a single-reduction compute of rank ≥ 2`);
  const [M, N] = anchor.dims.slice(-2) as [number, number];
  const K = op.reduceAxis[0]!;
  // Knobs are defined first, in a fixed order: that order is the digit order of config indices.
  cfg.defineSplit('tile_y', M, { policy: 'verbose', maxFactor: 32 });
  cfg.defineSplit('tile_x', N, { policy: 'verbose', maxFactor: 64 });
  cfg.defineSplit('tile_k', K, { policy: 'verbose', maxFactor: 64 });
  cfg.defineKnob('reorder', [0, 1, 2]);
  cfg.defineKnob('vectorize', [true, false]);
  cfg.defineKnob('auto_unroll_max_step', [0, 16, 64]);
  cfg.defineKnob('unroll_y', [true, false]);
  cfg.defineKnob('parallel', [true, false]);
  // Appended last, so the indices of records made before them (pack_b false, tile_order 'yx') are unchanged.
  const packKnob = opts.packB !== false;
  if (packKnob) {
    cfg.defineKnob('pack_b', [false, true]);
    cfg.defineKnob('tile_order', ['yx', 'xy', 'yxy']);
  }
  // vec_k (dense only, where W [N, K] is contiguous along k as X is): TVM x86 dense_nopack — k split by tile_k,
  // its inner part rfactored into tile_k-wide vector partial sums per output, summed horizontally at the end.
  // A product on a weight packed at build time (ops/dense_pack.ts, attr packed_bn) defines the same knobs as the
  // product it replaces (dense reads W along k), so one record's index means the same config for both.
  const prepacked = typeof op.attrs['packed_bn'] === 'number' ? op.attrs['packed_bn'] : undefined;
  const vecKKnob = packKnob && (prepacked !== undefined ? op.tag === 'dense' : readsBAlongK(op));
  if (vecKKnob) {
    cfg.defineKnob('vec_k', [false, true]);
    cfg.multiFilter((c) => {
      if (c.getKnob('vec_k').val !== true) return undefined;
      if (c.getKnob('pack_b').val === true) return 'vec_k reads W along k; pack_b would pack it along n: pick one';
      const [ty, tx, tk] = ['tile_y', 'tile_x', 'tile_k'].map((n) => c.getSplit(n).size[1]!) as [number, number, number];
      const vectors = ty * tx * Math.ceil(tk / 4);
      return vectors > 32 ? `vec_k: ${ty}×${tx} outputs × ${tk} lanes of k = ${vectors} f32x4 accumulators, over 32` : undefined;
    });
  }
  // pack_at (session 12, appended last): 'root' packs all of B before the product (a stage of its own); 'panel'
  // packs each column panel inside the parallel loop over panels, just before the row tiles that use it, into a
  // per-thread buffer of K × bn floats that stays in L1 (MLAS's per-thread packed-B buffer, GotoBLAS's packed B
  // block): the packed copy is never written to and read back from L2, and the pack needs no loop of its own.
  if (packKnob) {
    cfg.defineKnob('pack_at', ['root', 'panel']);
    cfg.multiFilter((c) => c.getKnob('pack_at').val !== 'panel' ? undefined
      : c.getKnob('pack_b').val !== true ? "pack_at 'panel' packs B: it needs pack_b"
        : c.getKnob('tile_order').val !== 'xy' ? "pack_at 'panel' runs the row tiles inside each panel: it needs tile_order 'xy'" : undefined);
  }
  opts.defineKnobs?.(cfg);
  if (cfg instanceof FallbackConfigEntity) {
    const divTile = [8, 4, 2].find((f) => N % f === 0) ?? 1;
    // B packed into panels (below) that are zero past N lets the x tile of a 2-D product be 8 where no whole vector
    // divides N: only the last tile is guarded. CPU time, 1 thread, load 10, x tile 1 → 8: PP-OCRv4 rec's head
    // 40×120·6625ᵀ (6625 = 5³·53) 10.7 → 2.1–2.3 ms (bench/prepack.ts: 6.0 → 34 GFLOP/s; 1.7 ms prepacked), dense
    // 32×64·1001ᵀ 4.8–5.8×, matmul 64×96·96×{15, 21, 27} 1.5×, 2.2×, 3.4×, dense 17×37·29ᵀ 2.6×; but batch_matmul
    // 8×40×40·40×{15, 17, 21, 27} 0.61–0.77×, so batched products keep the divisor (bench/gemm_tail_tile.ts).
    const pack = M >= 16 && N > divTile;
    const xTile = packKnob && pack && anchor.ndim === 2 && divTile < 4 && N >= 8 ? 8 : divTile;
    // Untuned default: a 4×8 accumulator tile (8 f32x4 registers), k blocks of 8 outside the rows
    // so each B vector serves 4 rows, vectorized along x, parallel tiles. x takes a divisor of N that
    // is a whole number of vectors (8, 4, else 2 or 1), never e.g. 7 lanes — or, with B packed, 8 over a guarded tail.
    cfg.fallbackSplit('tile_y', [-1, 4]);
    if (xTile === divTile) cfg.fallbackSplit('tile_x', [-1, xTile]);
    else cfg.fallbackSplitSizes('tile_x', [xTile]);
    cfg.fallbackSplit('tile_k', [-1, 8]);
    cfg.fallbackKnob('reorder', 0);
    cfg.fallbackKnob('vectorize', true);
    cfg.fallbackKnob('auto_unroll_max_step', 16);
    cfg.fallbackKnob('unroll_y', true);
    cfg.fallbackKnob('parallel', true);
    // B packed into panels of the x tile (contiguous vector loads along k, no 4 KiB-strided rows) once
    // 16 rows of A share each panel; a GEMV (M = 1) would pay as much for the copy as for the product.
    // CPU time, 1 thread (bench/gemm_variants.ts): MM-1024 10.6 → 32.7 GFLOP/s, MM-512 29.3 → 35.6, DENSE-bert
    // 20.8 → 26.0, MM-skinny (M = 32) 27.1 → 28.3, MM-128 even; DENSE-fc (M = 1) 6.4 → 2.4.
    // With B packed, the row tiles innermost (tile_order 'xy') keep each panel in cache: MM-1024 33.9 → 36.8,
    // MM-512 37.5 → 42.2, MM-128 37.0 → 41.1, DENSE-bert 29.8 → 30.7 GFLOP/s (BMM-attn 39.1 → 37.1).
    if (packKnob) {
      cfg.fallbackKnob('pack_b', pack);
      // Where A outgrows the L2 cache (over 2 MiB: MM-1024's 4 MiB), blocks of 8 row tiles outermost ('yxy', GotoBLAS's
      // mc blocking) keep the block's rows of A cached across the column panels: MM-1024 35.8 → 39.3–41.0 GFLOP/s; on
      // MM-512 (1 MiB), DENSE-bert, MM-skinny and MM-128 'xy' stays ahead by 1–5 %.
      const order = !pack ? 'yx' : M * (asConstInt(K.dom.extent) ?? 0) * 4 > 2 << 20 ? 'yxy' : 'xy';
      cfg.fallbackKnob('tile_order', order);
      // Each panel packed by the thread that uses it, into an L1-resident buffer, with 'xy' (session 12, CPU time, 1
      // thread, load 16–21, bench/gemm_variants.ts): DENSE-bert 35.2 → 38.6 GFLOP/s, BMM-attn 38.3 → 39.4, MM-skinny
      // 31.6 → 32.8 and 36.1 → 36.3, MM-128 and MM-512 even; on 2 threads the pack is no longer a loop of its own.
      cfg.fallbackKnob('pack_at', order === 'xy' ? 'panel' : 'root');
    }
    // A dense with few rows (DENSE-fc, M = 1: a GEMV) reads W along k instead of gathering it along n: one row ×
    // the x tile × tile_k lanes of k as f32x4 accumulators (CPU time, 1 thread: 6.4–7.2 → 13–14 GFLOP/s with 8).
    if (vecKKnob) {
      cfg.fallbackKnob('vec_k', !pack);
      if (!pack) {
        cfg.fallbackSplit('tile_y', [-1, 1]);
        const [tx, tk] = gemvTile(N);
        cfg.fallbackSplit('tile_x', [-1, tx]);
        cfg.fallbackSplit('tile_k', [-1, tk]);
      }
    }
    opts.fallback?.(cfg);
  }
  // Only where the space allows it (pack_b, 'xy'): a refused config still instantiates, and the space then names why.
  const atPanel = packKnob && cfg.getKnob('pack_at').val === 'panel' && cfg.getKnob('pack_b').val === true && cfg.getKnob('tile_order').val === 'xy';
  if (prepacked !== undefined) checkPrepacked(cfg, prepacked, anchor.name);
  const packB = packKnob && cfg.getKnob('pack_b').val === true && prepacked === undefined;
  const packedB = packB && opts.constB === true ? packPanels(s, anchor, cfg.getSplit('tile_x').size[1]!, true).packed : undefined;
  const pack = packB && packedB === undefined
    ? schedulePack(s, anchor, cfg.getSplit('tile_x').size[1]!, cfg.getKnob('parallel').val === true && !atPanel, cfg.getKnob('vectorize').val === true)
    : undefined;
  const { out } = fuseEpilogue(s, opts.view ?? anchor, outs);
  const CL = s.cacheWrite(anchor, 'local');
  if (out !== anchor) s.stage(anchor).computeInline();
  if (opts.view !== undefined && out !== opts.view) s.stage(opts.view).computeInline();
  const c = s.stage(out);
  const cl = s.stage(CL);
  const result: GemmWasmResult = packedB !== undefined ? { packedB } : {};
  if (vecKKnob && cfg.getKnob('vec_k').val === true) {
    scheduleVecK(cfg, s, c, CL);
    return result;
  }

  const rows = opts.view !== undefined ? 3 : 2;
  const rootBatch = c.axis.slice(0, -rows);
  const loops = opts.rowTileLoop === true ? opts.batchLoops?.(cfg) : undefined;
  const [w, x] = c.axis.slice(-2) as [IterVar, IterVar];
  const y = rows === 3 ? c.fuse(c.axis[c.axis.length - 3]!, w) : w;
  const [yAll, yi] = cfg.getSplit('tile_y').apply(s, c, y) as [IterVar, IterVar];
  const [yb, yo] = loops?.blockTiles !== undefined ? c.split(yAll, { factor: loops.blockTiles }) : [undefined, yAll];
  const withBlock = yb !== undefined ? [...rootBatch, yb] : rootBatch;
  const batch = loops !== undefined ? loops.order.map((i) => withBlock[i]!) : rootBatch;
  const [xo, xi] = cfg.getSplit('tile_x').apply(s, c, x) as [IterVar, IterVar];
  const tileOrder = packKnob ? cfg.getKnob('tile_order').val : 'yx';
  const outer = tileOrderAxes(c, tileOrder, batch, yo, xo);
  c.reorder(...outer, yi, xi);
  // pack_at 'panel': the parallel loop runs over column panels (batch × xo), each packing its panel, then its row tiles.
  const panels = atPanel ? outer.slice(0, -1).reduce((a, b) => c.fuse(a, b)) : undefined;
  const rowLoop = opts.rowTileLoop === true && !panels && tileOrder === 'yx' && batch.length > 0;
  const batchLoop = rowLoop ? batch.slice(0, Math.max(1, loops?.parallel ?? batch.length)).reduce((a, b) => c.fuse(a, b)) : undefined;
  const tiles = panels ? yo : rowLoop ? xo : outer.reduce((a, b) => c.fuse(a, b));
  if (cfg.getKnob('parallel').val === true) c.parallel(panels ?? batchLoop ?? tiles);
  if (pack && panels) {
    pack.computeAt(c, panels);
    pack.scope = 'local';
  }
  if (cfg.getKnob('vectorize').val === true) c.vectorize(xi);
  // Unrolled rows make every accumulator index constant, so wasm keeps the tile in locals (registers).
  const unrollY = cfg.getKnob('unroll_y').val === true;
  if (unrollY) c.unroll(yi);
  cl.computeAt(c, tiles);

  const clBatch = cl.axis.slice(0, -2);
  const [yc, xc] = cl.axis.slice(-2) as [IterVar, IterVar];
  const [ko, ki] = cfg.getSplit('tile_k').apply(s, cl, cl.reduceAxis[0]!) as [IterVar, IterVar];
  const byName = { ko, ki, yc, xc };
  const chosen = ORDERS[cfg.getKnob('reorder').val as number]!.split(',').map((n) => byName[n as keyof typeof byName]);
  cl.reorder(...clBatch, ...chosen);
  if (cfg.getKnob('vectorize').val === true) cl.vectorize(xc);
  if (unrollY) cl.unroll(yc);
  const step = cfg.getKnob('auto_unroll_max_step').val as number;
  if (step > 0) cl.pragma(chosen[0]!, 'auto_unroll_max_step', step);
  return batchLoop !== undefined ? { ...result, batchLoop: { stage: c, axis: batchLoop } } : result;
}

/**
 * vec_k's untuned tile for N outputs: [tile_x, tile_k] for about 4 f32x4 accumulators (tile_x · tile_k / 4): rows of
 * W streamed at once = the largest divisor of N up to 4 (x is not vectorized here, so any divisor serves; a
 * non-divisor would guard every unrolled output), the lanes of k making up the rest (fallbackSplit then takes the
 * largest divisor of K within it). Why not 8 × 4 (the default before session 15): V8's TurboFan (x64, 15 usable xmm
 * registers) loads all of an iteration's W vectors before its multiplies, so 8 accumulators + 8 loads + X's vector
 * spill an accumulator to the stack, whose add chain then waits on a store and a reload every iteration (`node
 * --no-liftoff --print-wasm-code`). CPU time, 1 thread, load 6–11 (docs/ops.md "Session 15"): 1×1024·1000ᵀ
 * (DENSE-fc) 15–18 → 24–27 GFLOP/s, 1×2048·1000ᵀ 17 → 22–25, 1×512·1000ᵀ 16 → 21–23, 4×1024·1000ᵀ 13 → 25,
 * 1×1024·1001ᵀ (1 × 4 before) 8.8 → 19, 1×1024·1002ᵀ (2 × 4) 14 → 17; even where W streams from memory (1×768·3072ᵀ).
 */
export function gemvTile(N: number): [number, number] {
  const tx = [4, 3, 2].find((f) => N % f === 0) ?? 1;
  return [tx, tx >= 3 ? 4 : 16 / tx];
}

/**
 * A weight packed at build time in panels of `bn` needs a config that reads it so: pack_b on with tile_x's inner
 * size `bn` (AlterDenseLayout packs by the same config; a mismatch means the dispatch context changed in between).
 */
function checkPrepacked(cfg: ConfigSpace, bn: number, name: string): void {
  const packB = cfg.getKnob('pack_b').val === true;
  const tx = cfg.getSplit('tile_x').size[1]!;
  if (!packB || tx !== bn) {
    throw new RangeError(`gemm wasm template: ${name} reads a weight packed at build time in panels of ${bn}, but its config has pack_b ${packB} and tile_x ${tx} (build and pack with the same tuning records)`);
  }
}

/**
 * pack_b: B copied into panels of the x tile's width (TVM x86 dense_pack: packw_bn = tile_x[-1]) by a root stage of
 * the kernel, parallel over the panels, each panel row one vector store: contiguous loads for a matmul's B [K, N],
 * a 4-lane gather from W [N, K] for dense (DENSE-bert 30.5–31.4 → 34.0–36.8 GFLOP/s against a scalar copy along k).
 */
function schedulePack(s: Schedule, anchor: Tensor, bn: number, parallel: boolean, vectorize: boolean): Stage {
  const { stage } = packPanels(s, anchor, bn);
  const ax = stage.axis;
  const [xo, , xi] = ax.slice(-3) as [IterVar, IterVar, IterVar];
  const outer = [...ax.slice(0, -3), xo].reduce((a, b) => stage.fuse(a, b));
  if (vectorize && bn % 4 === 0) stage.vectorize(xi);
  if (parallel) stage.parallel(outer);
  return stage;
}

/**
 * vec_k (TVM x86 `_schedule_dense_nopack_template`): the output tiles as usual (tile_order, parallel); the local
 * accumulator CL's k is split by tile_k and the inner part rfactored into RF[kv, y, x] (tile_k lanes per output,
 * vectorized along kv, rows and columns unrolled so RF stays in v128 locals), each output the horizontal sum of
 * its lanes, then the fused epilogue. `reorder` and `tile_k`'s role as a k block do not apply here.
 */
function scheduleVecK(cfg: ConfigSpace, s: Schedule, c: Stage, CL: Tensor): void {
  const [y, x] = c.axis.slice(-2) as [IterVar, IterVar];
  const batch = c.axis.slice(0, -2);
  const [yo, yi] = cfg.getSplit('tile_y').apply(s, c, y) as [IterVar, IterVar];
  const [xo, xi] = cfg.getSplit('tile_x').apply(s, c, x) as [IterVar, IterVar];
  const outer = tileOrderAxes(c, cfg.getKnob('tile_order').val, batch, yo, xo);
  c.reorder(...outer, yi, xi);
  const tiles = outer.reduce((a, b) => c.fuse(a, b));
  if (cfg.getKnob('parallel').val === true) c.parallel(tiles);
  const unroll = cfg.getKnob('unroll_y').val === true;
  if (unroll) {
    c.unroll(yi);
    c.unroll(xi);
  }
  const cl = s.stage(CL);
  const [, kv] = cfg.getSplit('tile_k').apply(s, cl, cl.reduceAxis[0]!) as [IterVar, IterVar];
  const rf = s.stage(s.rfactor(s.outputOf(cl), kv));
  rf.scope = 'local';
  cl.computeAt(c, tiles);
  rf.computeAt(c, tiles);
  const [lane, ...rest] = rf.axis as [IterVar, ...IterVar[]];
  const [ry, rx] = rest.slice(-2) as [IterVar, IterVar];
  rf.reorder(...rest.slice(0, -2), rf.reduceAxis[0]!, ry, rx, lane);
  if (cfg.getKnob('vectorize').val === true) rf.vectorize(lane);
  if (unroll) {
    rf.unroll(ry);
    rf.unroll(rx);
    const [cy, cx] = cl.axis.slice(-2) as [IterVar, IterVar];
    cl.unroll(cy);
    cl.unroll(cx);
    cl.unroll(cl.reduceAxis[0]!);
  }
  const step = cfg.getKnob('auto_unroll_max_step').val as number;
  if (step > 0) rf.pragma(rf.reduceAxis[0]!, 'auto_unroll_max_step', step);
}

/**
 * The outer (tile) loops of the output for `tile_order`: 'yx' row tiles outside the column tiles (A's rows reused, B
 * streamed); 'xy' column tiles outside (each B panel reused by every row tile while A streams); 'yxy' blocks of 8 row
 * tiles outermost, then the column tiles, then the block's row tiles (the panel reused within a block of A that stays
 * cached). Batch axes lead.
 */
function tileOrderAxes(c: Stage, order: unknown, batch: readonly IterVar[], yo: IterVar, xo: IterVar): IterVar[] {
  if (order === 'xy') return [...batch, xo, yo];
  if (order !== 'yxy') return [...batch, yo, xo];
  const [yb, yt] = c.split(yo, { factor: 8 });
  return [...batch, yb, xo, yt];
}
