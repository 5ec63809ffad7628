// bench/ops_kernels.ts — the workloads of ../shared/workloads.json as our kernels, for the benchmarks that
// time them (bench/ops.ts beside the peers, bench/threads.ts for the thread pool's counts): the compute of
// each op and its variants (conv2d as NCHWc, Winograd and im2col + gemm, depthwise packed), scheduled untuned or from the
// shipped TopHub logs, built for a target, with seeded input arrays.

import { readFileSync } from 'node:fs';
import { createTask } from '../autotune/task.js';
import { defaultWorkloadsFile } from '../cli/workloads.js';
import { scheduleAnchor, taskOf } from '../ops/anchor.js';
import { batchMatmul, dense, matmul } from '../ops/matmul.js';
import { conv2d } from '../ops/nn/conv2d.js';
import { conv2dNCHWc, nchwcBlocks, packData, unpackOutput } from '../ops/nn/conv2d_nchwc.js';
import { conv2dWinograd } from '../ops/nn/conv2d_winograd.js';
import { conv2dGemm } from '../ops/nn/conv2d_gemm.js';
import { conv2dGemmNCHWc } from '../ops/nn/conv2d_gemm_nchwc.js';
import { depthwiseConv2dNCHWc } from '../ops/nn/depthwise_conv2d_nchwc.js';
import { scheduleRootInjective } from '../ops/templates/anchor_templates.js';
import { build } from '../runtime/build.js';
import type { BuiltModule } from '../runtime/module.js';
import { array, type NDArray } from '../runtime/ndarray.js';
import { lower } from '../schedule/lower.js';
import { createSchedule } from '../schedule/schedule.js';
import { placeholder, type Tensor } from '../schedule/tensor.js';
import { parseTarget } from '../target/target.js';
import { loadTophub } from '../tuning-logs/apply_history_best.js';
import { withDispatchContext } from '../tuning-logs/dispatch_context.js';

export interface Workload {
  readonly id: string; readonly op: string;
  readonly M?: number; readonly K?: number; readonly N?: number; readonly B?: number;
  readonly C?: number; readonly H?: number; readonly W?: number; readonly O?: number; readonly R?: number; readonly stride?: number; readonly pad?: number;
}

/** The workloads of ../shared/workloads.json. */
export function loadWorkloads(): Workload[] {
  return (JSON.parse(readFileSync(defaultWorkloadsFile(), 'utf8')) as { workloads: Workload[] }).workloads;
}

/** How a workload is built: as written, conv2d through NCHWc, Winograd F(2×2) and F(4×4), im2col + gemm (NCHW or NCHWc), depthwise packed in and out. */
export type Variant = '' | 'nchwc' | 'winograd' | 'winograd m4' | 'gemm' | 'gemm nchwc' | 'nchwc packed';

export function seeded(n: number, seed: number): Float32Array {
  let x = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 31 - 1;
  });
}

/** The workload's inputs, anchor and FLOP count (2 × multiply-adds, as workloads.json says). */
export function make(w: Workload): { inputs: Tensor[]; anchor: Tensor; flop: number } {
  switch (w.op) {
    case 'matmul': {
      const A = placeholder([w.M!, w.K!], 'float32', 'A');
      const B = placeholder([w.K!, w.N!], 'float32', 'B');
      return { inputs: [A, B], anchor: matmul(A, B), flop: 2 * w.M! * w.K! * w.N! };
    }
    case 'dense': {
      const X = placeholder([w.M!, w.K!], 'float32', 'X');
      const W = placeholder([w.N!, w.K!], 'float32', 'W');
      return { inputs: [X, W], anchor: dense(X, W), flop: 2 * w.M! * w.K! * w.N! };
    }
    case 'batch_matmul': {
      const A = placeholder([w.B!, w.M!, w.K!], 'float32', 'A');
      const B = placeholder([w.B!, w.K!, w.N!], 'float32', 'B');
      return { inputs: [A, B], anchor: batchMatmul(A, B), flop: 2 * w.B! * w.M! * w.K! * w.N! };
    }
    default: {
      const dw = w.op === 'depthwise_conv2d';
      const O = dw ? w.C! : w.O!;
      const X = placeholder([1, w.C!, w.H!, w.W!], 'float32', 'X');
      const Wt = placeholder([O, dw ? 1 : w.C!, w.R!, w.R!], 'float32', 'W');
      const Y = conv2d(X, Wt, { strides: w.stride!, padding: w.pad!, groups: dw ? w.C! : 1 });
      return { inputs: [X, Wt], anchor: Y, flop: 2 * Y.dims.reduce((a, b) => a * b, 1) * (dw ? 1 : w.C!) * w.R! * w.R! };
    }
  }
}

/**
 * conv2d through the packed layout: NCHW data packed in the kernel, weights packed once on the host
 * (as at build time), the NCHWc conv (untuned default), the output unpacked to NCHW.
 */
function makeNCHWc(w: Workload): { inputs: Tensor[]; anchor: Tensor; out: Tensor } {
  const { icBlock, ocBlock } = nchwcBlocks(w.C!, w.O!);
  const X = placeholder([1, w.C!, w.H!, w.W!], 'float32', 'X');
  const Wp = placeholder([w.O! / ocBlock, w.C! / icBlock, w.R!, w.R!, icBlock, ocBlock], 'float32', 'Wp');
  const anchor = conv2dNCHWc(packData(X, icBlock), Wp, { strides: w.stride!, padding: w.pad! });
  return { inputs: [X, Wp], anchor, out: unpackOutput(anchor) };
}

/** Depthwise as depthwise_conv2d_NCHWc with 4-channel blocks, data and output packed (weights packed as at build time). */
function makeDepthwiseNCHWc(w: Workload): { inputs: Tensor[]; anchor: Tensor; out: undefined } {
  if (w.C! % 4 !== 0) throw new RangeError(`bench/ops.ts: ${w.id}: C ${w.C} is not a multiple of 4 (the packed depthwise block)`);
  const Xp = placeholder([1, w.C! / 4, w.H!, w.W!, 4], 'float32', 'Xp');
  const Wp = placeholder([w.C! / 4, 1, w.R!, w.R!, 1, 4], 'float32', 'Wp');
  return { inputs: [Xp, Wp], anchor: depthwiseConv2dNCHWc(Xp, Wp, { strides: w.stride!, padding: w.pad! }), out: undefined };
}

/** conv2d by Winograd F(m×m, 3×3), m = 2 or 4 (3×3, stride 1 only), weights pre-transformed. */
function makeWinograd(w: Workload, tileSize: 2 | 4 = 2): { inputs: Tensor[]; anchor: Tensor; out: undefined } {
  const X = placeholder([1, w.C!, w.H!, w.W!], 'float32', 'X');
  // Weights transformed on the host ([(m + 2)², O, C], winogradWeightTransform), once at build time as NCHWc's packing.
  const Wt = placeholder([(tileSize + 2) ** 2, w.O!, w.C!], 'float32', 'U');
  return { inputs: [X, Wt], anchor: conv2dWinograd(X, Wt, { padding: w.pad!, tileSize }), out: undefined };
}

/** conv2d by im2col + gemm (conv2d_gemm): the OIHW weight read as [O, C·R·R] rows, the output NCHW with OH·OW as one axis. */
function makeGemm(w: Workload): { inputs: Tensor[]; anchor: Tensor; out: undefined } {
  const X = placeholder([1, w.C!, w.H!, w.W!], 'float32', 'X');
  const Wt = placeholder([w.O!, w.C! * w.R! * w.R!], 'float32', 'W');
  return { inputs: [X, Wt], anchor: conv2dGemm(X, Wt, { strides: w.stride!, padding: w.pad!, kernelSize: [w.R!, w.R!] }), out: undefined };
}

/**
 * conv2d by im2col + gemm in the packed layout (conv2d_gemm_NCHWc), with the transforms of the 'nchwc' variant around
 * it: NCHW data packed in the kernel, the weight packed once on the host as panels [O/ocb, C·R·R, ocb], the output unpacked.
 */
function makeGemmNCHWc(w: Workload): { inputs: Tensor[]; anchor: Tensor; out: Tensor } {
  const { icBlock, ocBlock } = nchwcBlocks(w.C!, w.O!);
  const X = placeholder([1, w.C!, w.H!, w.W!], 'float32', 'X');
  const Wp = placeholder([w.O! / ocBlock, w.C! * w.R! * w.R!, ocBlock], 'float32', 'Wp');
  const anchor = conv2dGemmNCHWc(packData(X, icBlock), Wp, { strides: w.stride!, padding: w.pad!, kernelSize: [w.R!, w.R!] });
  return { inputs: [X, Wp], anchor, out: unpackOutput(anchor) };
}

/**
 * Our kernel for `w` on `target` (untuned: the template's fallback; tuned: the shipped TopHub record, or
 * 'no log' when there is none), built, with seeded arrays for its arguments (free them, and dispose the module).
 */
export async function buildOurs(w: Workload, target: string, tuned: boolean, variant: Variant = ''): Promise<{ mod: BuiltModule; arrays: NDArray[] } | 'no log'> {
  const nchwc = variant === 'nchwc' || variant === 'gemm nchwc';
  const made = variant === 'nchwc' ? makeNCHWc(w) : variant === 'gemm nchwc' ? makeGemmNCHWc(w) : variant === 'winograd' ? makeWinograd(w) : variant === 'winograd m4' ? makeWinograd(w, 4) : variant === 'gemm' ? makeGemm(w)
    : variant === 'nchwc packed' ? makeDepthwiseNCHWc(w) : { ...make(w), out: undefined };
  const { inputs, anchor } = made;
  const outT = made.out ?? anchor;
  const s = createSchedule([outT]);
  const schedule = (): void => {
    scheduleAnchor(s, anchor, [outT], target);
    // What defaultSchedule does to the padded input left at root.
    if (target.startsWith('wasm')) scheduleRootInjective(s);
    if (nchwc) {
      // The layout transforms: packing inlined into the padded copy, the unpack parallel over rows.
      for (const st of s.stages) if (st.name === 'data_vec') st.computeInline();
      const u = s.stage(outT);
      if (u.steps.length === 0) u.parallel(u.fuse(u.axis[0]!, u.axis[1]!));
    }
  };
  if (tuned) {
    const ctx = loadTophub(target);
    const task = taskOf(anchor, target)!;
    if (!ctx.query(parseTarget(target).str, createTask(task.template, task.args, target).workloadKey)) return 'no log';
    await withDispatchContext(ctx, schedule);
  } else {
    schedule();
  }
  const mod = await build(lower(s, [...inputs, outT], { name: w.id.replace(/\W/g, '_') }), target);
  const arrays = [...inputs, outT].map((t, i) => array(seeded(t.dims.reduce((a, b) => a * b, 1), i + 1), [...t.dims]));
  return { mod, arrays };
}
