// autotune/roofline/bound.ts — a task's roofline bound (Williams, Waterman & Patterson, "Roofline: an insightful
// visual performance model for multicore architectures", CACM 52(4), 2009): the most FLOP/s its arithmetic intensity
// lets the machine's measured peak and bandwidth give; and the check of the fraction a tuning run stops at.

import { bytesOf } from '../../tir/dtype.js';
import type { Task } from '../task.js';

/** A roofline: compute peak in GFLOP/s (1e9 FLOP/s), memory bandwidth in GB/s (1e9 bytes/s). */
export interface Roofline {
  readonly gflops: number;
  readonly gbps: number;
}

export interface RooflineBound {
  /** The bound in FLOP/s: min(peak, intensity × bandwidth). */
  readonly boundFlops: number;
  /** Arithmetic intensity in FLOP per byte: flop ÷ bytes. */
  readonly intensity: number;
  /** Which roof is lower: 'compute' (the peak) or 'memory' (intensity × bandwidth). */
  readonly limitedBy: 'compute' | 'memory';
}

/**
 * The bytes a task must at least move per run: each of its tensors (inputs, then outputs, as the template returns
 * them) read or written once, elements × bytes per element (float32: 4). Bytes, not counting caches or re-reads.
 */
export function taskMinBytes(task: Task): number {
  return task.naive().tensors.reduce((sum, t) => sum + t.dims.reduce((a, d) => a * d, 1) * bytesOf(t.dtype), 0);
}

/**
 * The roofline bound of `flop` FLOPs (per run; multiply-add = 2) moving at least `bytes` bytes, on `roof`:
 * min(roof.gflops · 1e9, flop / bytes · roof.gbps · 1e9) FLOP/s. Throws RangeError naming a value that is not a
 * finite positive number.
 */
export function rooflineBound(flop: number, bytes: number, roof: Roofline): RooflineBound {
  for (const [name, v] of [['flop', flop], ['bytes', bytes], ['peak gflops', roof.gflops], ['bandwidth gbps', roof.gbps]] as const) {
    if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`rooflineBound: ${name} must be a finite positive number, got ${v}`);
  }
  const intensity = flop / bytes;
  const compute = roof.gflops * 1e9;
  const memory = intensity * roof.gbps * 1e9;
  return compute <= memory ? { boundFlops: compute, intensity, limitedBy: 'compute' } : { boundFlops: memory, intensity, limitedBy: 'memory' };
}

/** A task's bound on `roof` (its FLOP count and taskMinBytes). */
export function taskRooflineBound(task: Task, roof: Roofline): RooflineBound {
  return rooflineBound(task.flop, taskMinBytes(task), roof);
}

/**
 * Checks the share of the bound a run stops at: a number in (0, 1] (CubeCL's autotune stops at 0.85). Returns it;
 * throws RangeError naming `option` otherwise (≤ 0, > 1, NaN, not a number).
 */
export function checkRooflineFraction(fraction: unknown, option = 'stopAtRoofline.fraction'): number {
  if (typeof fraction !== 'number' || !(fraction > 0 && fraction <= 1)) {
    throw new RangeError(`${option} must be a number in (0, 1] (the share of the roofline bound at which a task stops; CubeCL uses 0.85), got ${String(fraction)}`);
  }
  return fraction;
}
