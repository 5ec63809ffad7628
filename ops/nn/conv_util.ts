// ops/nn/conv_util.ts — argument checking shared by the convolutions: strides/dilation pairs, padding
// [top, left, bottom, right], output sizes, and the zero-padded read of an NCHW input.

import { all, constValue, ifThenElse, type Expr, type ExprLike } from '../../schedule/expr.js';
import { compute, type Tensor } from '../../schedule/tensor.js';

/** [top, left, bottom, right], as ONNX `pads` for 2-D and TVM's 4-element padding. */
export type Padding4 = readonly [number, number, number, number];

/** A pair [h, w] from a number or a 2-element list of positive integers. */
export function pair(op: string, name: string, v: number | readonly number[] | undefined, dflt: number, min = 1): readonly [number, number] {
  const p = v === undefined ? [dflt, dflt] : typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2) {
    throw new RangeError(`${op}: ${name} must be a number or [h, w], got ${JSON.stringify(v)}`);
  }
  for (const x of p) {
    if (!Number.isInteger(x) || x < min) throw new RangeError(`${op}: ${name} must be integers ≥ ${min}, got ${JSON.stringify(v)}`);
  }
  return [p[0]!, p[1]!];
}

/** Padding as [top, left, bottom, right]; a number pads all sides, [h, w] pads both sides of each axis. */
export function padding4(op: string, v: number | readonly number[] | undefined): Padding4 {
  const p = v === undefined ? [0, 0, 0, 0] : typeof v === 'number' ? [v, v, v, v] : v.length === 2 ? [v[0]!, v[1]!, v[0]!, v[1]!] : v;
  if (!Array.isArray(p) || p.length !== 4) {
    throw new RangeError(`${op}: padding must be [top, left, bottom, right] (4 numbers; or a number, or [h, w]), got ${JSON.stringify(v)} of length ${Array.isArray(v) ? v.length : 'none'}`);
  }
  for (const x of p) {
    if (!Number.isInteger(x) || x < 0) throw new RangeError(`${op}: padding must be non-negative integers, got ${JSON.stringify(v)}`);
  }
  return [p[0]!, p[1]!, p[2]!, p[3]!];
}

/** Checks a tensor's rank and float32 dtype; returns its dims. */
export function checkRank(op: string, t: Tensor, rank: number, what: string, layout: string): readonly number[] {
  if (t.ndim !== rank) throw new RangeError(`${op}: ${what} ${t.name} must be ${rank}-D (${layout}), got shape [${t.dims.join(', ')}]`);
  if (t.dtype !== 'float32') throw new TypeError(`${op}: ${what} ${t.name} must be float32, got ${t.dtype}`);
  return t.dims;
}

/** A positive output size, or an error that names the axis and the sizes that made it. */
export function outSize(op: string, axis: string, size: number, detail: string): number {
  if (!(size > 0)) throw new RangeError(`${op}: output ${axis} would be ${size} (${detail}); use a smaller kernel, stride or dilation, or more padding`);
  return size;
}

/** floor((in + padBefore + padAfter − dilation·(k − 1) − 1) / stride) + 1, as ONNX Conv and TVM. */
export function convOutSize(op: string, axis: string, input: number, k: number, stride: number, dilation: number, padBefore: number, padAfter: number): number {
  const span = dilation * (k - 1) + 1;
  const size = Math.floor((input + padBefore + padAfter - span) / stride) + 1;
  return outSize(op, axis, size, `input ${input} + padding ${padBefore}+${padAfter}, dilated kernel ${span}, stride ${stride}`);
}

/** `c ? X[idx] : 0` with the lazy te.ifThenElse (TVM's if_then_else): the read happens only in bounds. */
function guardedRead(X: Tensor, idx: readonly Expr[], conds: readonly Expr[]): Expr {
  if (conds.length === 0) return X.at(...idx);
  return ifThenElse(all(...conds), X.at(...idx), constValue(0, X.dtype));
}

/**
 * The zero-padded input (TOPI's `data_pad`, tag 'injective,pad'), or X itself when nothing pads: NCHW
 * [N, C, H, W] → [N, C, H + top + bottom, W + left + right], or packed NCHW[x]c [N, C/b, H, W, b] →
 * [N, C/b, H + top + bottom, W + left + right, b] (TVM's x86 NCHWc convolutions pad the same axes).
 * Only the sides that pad are guarded.
 */
export function padNCHW(X: Tensor, pad: Padding4, name = 'data_pad'): Tensor {
  const [top, left, bottom, right] = pad;
  if (top + left + bottom + right === 0) return X;
  const [N, C, H, W, block] = X.dims as [number, number, number, number, number | undefined];
  const read = (lead: readonly Expr[], y: Expr, x: Expr, tail: readonly Expr[]): Expr => paddedRead(X, lead, y.sub(top), x.sub(left), tail, pad);
  const shape = [N, C, H + top + bottom, W + left + right];
  const attrs = { tag: 'injective,pad', attrs: { padding: pad } };
  // Two lambdas, not one with a rest parameter: compute names the loop variables after the parameters (n, c, y, x, b).
  return block === undefined
    ? compute(shape, (n, c, y, x) => read([n, c], y, x, []), name, attrs)
    : compute([...shape, block], (n, c, y, x, b) => read([n, c], y, x, [b]), name, attrs);
}

/**
 * X[...lead, iy, ix, ...tail] of an image whose axes lead.length and lead.length + 1 are H and W, zero-padded by `pad`:
 * iy, ix in the unpadded image's coordinates. Only the sides that pad are guarded (a side without padding is never
 * crossed), and the read happens only in bounds (a lazy if_then_else). padNCHW's stage and the im2col stages of
 * conv2d_gemm / conv2d_gemm_NCHWc read through it.
 */
export function paddedRead(X: Tensor, lead: readonly Expr[], iy: Expr, ix: Expr, tail: readonly Expr[], pad: Padding4): Expr {
  const [top, left, bottom, right] = pad;
  const H = X.dims[lead.length]!;
  const W = X.dims[lead.length + 1]!;
  const conds: Expr[] = [];
  if (top > 0) conds.push(iy.ge(0));
  if (bottom > 0) conds.push(iy.lt(H));
  if (left > 0) conds.push(ix.ge(0));
  if (right > 0) conds.push(ix.lt(W));
  return guardedRead(X, [...lead, iy, ix, ...tail], conds);
}

/** A read of X with a condition: `cond ? X[idx] : 0`, lazily (for dilated inputs). */
export function maskedRead(X: Tensor, idx: readonly Expr[], cond: ExprLike[]): Expr {
  return guardedRead(X, idx, cond as Expr[]);
}
