// ops/schedule_webgpu.ts — default (untuned) WebGPU schedules of root stages, as TVM's CUDA
// schedule_injective and schedule_reduce: every output element a thread (fused axes split into
// blockIdx.x × threadIdx.x); a long reduction with few outputs is split across the threads of a
// workgroup with rfactor, partial results in workgroup (shared) memory, one thread combining them.

import type { Schedule } from '../schedule/schedule.js';
import type { Stage } from '../schedule/stage.js';
import { extentOf } from './schedule_wasm.js';

/** Threads per workgroup for one-output-per-thread kernels. */
export const WEBGPU_THREADS = 64;
/** Threads sharing one reduction (rfactor across the workgroup). */
export const WEBGPU_REDUCE_THREADS = 32;
/**
 * Most outputs reduced across threads (one workgroup each); with more, one thread per output already
 * fills the device.
 */
export const WEBGPU_RFACTOR_MAX_OUTPUTS = 4096;

/**
 * Fuses the data loops and binds them to blockIdx.x × threadIdx.x. A 0-D stage gets a singleton axis
 * (fuse of no axes, as TVM's schedule_injective does for scalars): one thread computes it.
 */
function bindFused(st: Stage, threads: number): void {
  const axes = [...st.axis];
  const fused = axes.length === 1 ? axes[0]! : st.fuse(...axes);
  const total = extentOf(fused);
  const t = Math.min(threads, total);
  const [bx, tx] = st.split(fused, { factor: t });
  st.bind(bx, 'blockIdx.x');
  st.bind(tx, 'threadIdx.x');
}

/** Elementwise/injective root stage: one thread per output element. */
export function scheduleInjectiveWebGPU(st: Stage): void {
  bindFused(st, WEBGPU_THREADS);
}

/**
 * A reduction over every axis (a 0-D output). With at least 2 × WEBGPU_THREADS elements on its longest
 * reduce axis: that axis split into WEBGPU_THREADS parts and rfactor'd — one workgroup of
 * WEBGPU_THREADS threads, each reducing its contiguous part into a partial (a [WEBGPU_THREADS] scratch
 * buffer), then one thread combining the partials in a second kernel (TVM's all-reduce in two
 * kernels instead of a cross-thread reduction). Shorter reductions run on one thread.
 */
function scheduleFullReduceWebGPU(s: Schedule, st: Stage): void {
  const red = [...st.reduceAxis];
  const longest = red.reduce<(typeof red)[number] | undefined>((best, a) => (best === undefined || extentOf(a) > extentOf(best) ? a : best), undefined);
  if (longest !== undefined && extentOf(longest) >= 2 * WEBGPU_THREADS) {
    const [ko] = st.split(longest, { nparts: WEBGPU_THREADS });
    const rf = s.stage(s.rfactor(s.outputOf(st), ko));
    bindFused(rf, WEBGPU_THREADS);
  }
  bindFused(st, 1);
}

/**
 * Reduction root stage. With at least 4 × WEBGPU_REDUCE_THREADS elements on the innermost reduce
 * axis and at most WEBGPU_RFACTOR_MAX_OUTPUTS outputs: one workgroup per output, its threads each
 * reducing a strided part (rfactor), then one combining the partials. Otherwise one thread per output.
 */
export function scheduleReduceWebGPU(s: Schedule, st: Stage): void {
  if (st.axis.length === 0) {
    scheduleFullReduceWebGPU(s, st);
    return;
  }
  const red = st.reduceAxis;
  const inner = red[red.length - 1];
  const outputs = st.axis.reduce((p, a) => p * extentOf(a), 1);
  if (inner && extentOf(inner) >= 4 * WEBGPU_REDUCE_THREADS && outputs <= WEBGPU_RFACTOR_MAX_OUTPUTS) {
    const [, ki] = st.split(inner, { factor: WEBGPU_REDUCE_THREADS });
    const rf = s.stage(s.rfactor(s.outputOf(st), ki));
    const axes = [...st.axis];
    const fused = axes.length === 1 ? axes[0]! : st.fuse(...axes);
    st.bind(fused, 'blockIdx.x');
    rf.computeAt(st, fused);
    rf.bind(rf.axis[0]!, 'threadIdx.x');
    return;
  }
  bindFused(st, WEBGPU_THREADS);
}
