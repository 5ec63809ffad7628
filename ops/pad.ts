// ops/pad.ts — padding (ONNX Pad, TOPI pad / mirror_pad): constant, edge (replicate) and reflect modes.

import type { Expr } from '../schedule/expr.js';
import { compute, type Tensor } from '../schedule/tensor.js';
import { checkInts, checkNumber, checkTensor } from './check.js';
import { guardedRead } from './guard.js';
import { TAG } from './tags.js';

export type PadMode = 'constant' | 'edge' | 'reflect';

export interface PadOptions {
  /** 'constant' (default): `value` outside; 'edge': the nearest edge element; 'reflect': mirrored without repeating the edge (numpy/ONNX reflect). */
  readonly mode?: PadMode;
  /** The fill value of constant mode (default 0). */
  readonly value?: number;
}

/**
 * Pads x with padBefore[d] elements before and padAfter[d] after each dimension d (both of length
 * ndim, non-negative). Reflect needs each pad ≤ dim − 1.
 */
export function pad(x: Tensor, padBefore: readonly number[], padAfter: readonly number[], opts: PadOptions = {}): Tensor {
  checkTensor('pad', x);
  const need = 'non-negative integers (crop with stridedSlice)';
  const lo = checkInts('pad', padBefore, 'padBefore', x.ndim, (v) => v >= 0, need);
  const hi = checkInts('pad', padAfter, 'padAfter', x.ndim, (v) => v >= 0, need);
  const mode = opts.mode ?? 'constant';
  if (mode !== 'constant' && mode !== 'edge' && mode !== 'reflect') throw new RangeError(`pad: mode must be 'constant', 'edge' or 'reflect', got '${String(mode)}'`);
  const value = checkNumber('pad', opts.value ?? 0, 'value');
  if (x.dtype === 'int32' && !Number.isInteger(value)) throw new TypeError(`pad: value ${value} must be an integer for an int32 input`);
  if (mode === 'reflect') {
    x.dims.forEach((d, k) => {
      if (lo[k]! > d - 1 || hi[k]! > d - 1) throw new RangeError(`pad: reflect mode needs pads ≤ size − 1 on every axis; axis ${k} has size ${d} and pads ${lo[k]}, ${hi[k]}`);
    });
  }
  const shape = x.dims.map((d, k) => d + lo[k]! + hi[k]!);
  const padded = x.dims.map((_, k) => lo[k]! > 0 || hi[k]! > 0);
  return compute(shape, (...idx) => {
    const src = idx.map((e, k) => (lo[k] === 0 ? e : e.sub(lo[k]!)));
    if (mode === 'constant') return guardedRead(x, src, padded, value);
    return x.at(...src.map((j, k): Expr | number => {
      if (!padded[k]) return j;
      const d = x.dims[k]!;
      if (mode === 'edge') return j.max(0).min(d - 1);
      // reflect: -j before the start, 2(d-1) - j past the end.
      return d === 1 ? 0 : j.max(j.neg()).min(j.neg().add(2 * (d - 1)));
    }));
  }, 'T_pad', { tag: TAG.injective, attrs: { padBefore: lo, padAfter: hi, mode, value } });
}

