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

function zeroD(op: string, st: Stage): never {
  throw new Error(`defaultSchedule: webgpu: stage ${st.name} (${op}) is 0-D; a WebGPU kernel needs an axis to bind to threads — ` +
    'reduce with keepdims=true (shape [1, …]) instead of to a scalar');
}

/** Fuses the data loops and binds them to blockIdx.x × threadIdx.x. */
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
  if (st.axis.length === 0) zeroD('injective', st);
  bindFused(st, WEBGPU_THREADS);
}

/**
 * Reduction root stage. With at least 4 × WEBGPU_REDUCE_THREADS elements on the innermost reduce
 * axis and at most WEBGPU_RFACTOR_MAX_OUTPUTS outputs: one workgroup per output, its threads each
 * reducing a strided part (rfactor), then one combining the partials. Otherwise one thread per output.
 */
export function scheduleReduceWebGPU(s: Schedule, st: Stage): void {
  if (st.axis.length === 0) zeroD('reduction', st);
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
