// relay/transform/layout_rule.ts — AlterOpLayout 'auto' (relay.build's default on wasm): whether one
// groups-1 nn.conv2d is packed NCHW[x]c. A rule on the conv's output width, from measurements of the two
// templates' default schedules (docs/relay.md "Layouts"), not a timing at build time, so that a build and
// autotune.extractTasks always take the same decision (deterministic, machine-independent).

import type { Call } from '../nodes.js';
import { nchwcBlocks } from '../../ops/op_params.js';
import { asTensor, type Type } from '../ty.js';

/**
 * Output rows narrower than this pack. The NCHW template vectorizes f32x4 over output columns, which
 * narrow rows cannot fill; NCHW[x]c vectorizes over output channels. Measured (default schedules, 1
 * thread): NCHWc 1.4× faster at OW 28 (C6), 5–6× at OW 14 and 7 (C9, C12), 3–7× at OW 5–20 (the
 * ResNet-style model's convs); at par (±10 %, within noise) on PaddleOCR cls's 1×1 convs with OW 96.
 */
export const PACK_MAX_WIDTH = 32;

/**
 * Whether AlterOpLayout 'auto' packs conv `c` (typed, groups 1): its input already packed (a conv after
 * a packed one; following the layout costs no transform and NCHWc is at least at par), or its output
 * rows narrower than PACK_MAX_WIDTH and more than one pixel (a 1×1 image, as squeeze-excite's convs and
 * heads, follows its input's layout: a transform would cost more than the matrix-vector product gains).
 */
export function packConvAuto(c: Call, inputPacked: boolean): boolean {
  if (inputPacked) return true;
  const [, , oh, ow] = asTensor(c.checkedType as Type, 'AlterOpLayout').shape as [number, number, number, number];
  return ow < PACK_MAX_WIDTH && oh * ow > 1;
}

/**
 * Whether AlterOpLayout 'auto' runs conv `c` (typed, groups 1, constant weight, not Winograd) as im2col + gemm in the
 * layout it got: `packed` false (left in NCHW) conv2d_gemm.wasm instead of conv2d_nchw, `packed` true
 * conv2d_gemm_NCHWc.wasm instead of conv2d_NCHWc.
 * NCHW: when it is strided. The NCHW template vectorizes f32x4 over output columns, which a stride turns into gathers
 * of every other input pixel; the gemm reads the columns as the im2col copy laid them out. Measured (untuned
 * defaults, 1 thread, CPU time, interleaved, bench/results/c7t15-s15.md): C1 (3 → 64, 7×7, stride 2, 224²) 37.6–38.0
 * vs 20.5–20.7 GFLOP/s; 16 → 32, 3×3, stride 2, 64² 30.6 vs 19.3; 3 → 16, 3×3, stride 2, 48×320 22.5 vs 19.3;
 * unstrided C3 (1×1) 35.8 vs 36.6 (even).
 * Packed: when its input channels pack in blocks of at least GEMM_NCHWC_MIN_IC_BLOCK (the im2col copies a tap's icb
 * channels as f32x4) and it is strided, or an unstrided 1×1 conv on an image of at least GEMM_NCHWC_MIN_1X1_PIXELS
 * output pixels. Measured the same way, conv2d_gemm_NCHWc ÷ the better of conv2d_NCHWc's default and TopHub record, on
 * packed data: session 16 (tiles within a row, bench/results/c7t16-s16.md), three processes: C7 (128 → 256, 3×3, stride
 * 2, 28²) 1.04–1.12×; 128 → 256 1×1 stride 2 on 28² 1.06–1.22×; 64 → 64 1×1 stride 2 on 56² 1.25–1.27×. Session 17 (row
 * tiles across output rows, bench/results/c7t17-s17.md): C7 1.20×; unstrided 1×1 on 56², 28², 14², 7² (C3's 64 → 64,
 * 128 → 128, 256 → 1024, 512 → 512) 1.04–1.19× in three processes each (every one a win); on a 1×1 image
 * (squeeze-excite's 64 → 16 and 16 → 64) 0.87–1.02× (a matrix-vector product: the row tile is one pixel), so not taken;
 * the 16-pixel line lies between the two, unmeasured.
 * Not taken: C1 on 3 channels (block 1, every value copied alone: 0.93×); unstrided 3×3 convs (Winograd takes most;
 * C6 1.07×, C9 1.02×, C12 1.12× in one loaded run).
 */
export function gemmConvAuto(c: Call, packed = false): boolean {
  const strides = c.attrs['strides'];
  const strided = Array.isArray(strides) && strides.some((s) => typeof s === 'number' && s > 1);
  if (!packed) return strided;
  const w = c.args[1];
  if (w?.kind !== 'Constant') return false;
  const [O, C, KH, KW] = w.data.shape as [number, number, number, number];
  if (nchwcBlocks(C, O).icBlock < GEMM_NCHWC_MIN_IC_BLOCK) return false;
  if (strided) return true;
  const [, , oh, ow] = asTensor(c.checkedType as Type, 'AlterOpLayout').shape as [number, number, number, number];
  return KH === 1 && KW === 1 && oh * ow >= GEMM_NCHWC_MIN_1X1_PIXELS;
}

/** The smallest input-channel block for which a packed conv runs as conv2d_gemm_NCHWc (gemmConvAuto). */
export const GEMM_NCHWC_MIN_IC_BLOCK = 4;

/** The fewest output pixels for which an unstrided 1×1 packed conv runs as conv2d_gemm_NCHWc (gemmConvAuto). */
export const GEMM_NCHWC_MIN_1X1_PIXELS = 16;
