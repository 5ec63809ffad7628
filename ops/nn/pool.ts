// ops/nn/pool.ts — 2-D pooling on NCHW and on the packed NCHW[x]c layout (ONNX MaxPool/AveragePool, TOPI
// nn.pool2d with layout 'NCHW' / 'NCHW8c'): kernel, strides, padding [top, left, bottom, right], dilation,
// ceil mode, count-include-pad; global avg/max pool.

import * as te from '../../schedule/index.js';
import type { Expr } from '../../schedule/expr.js';
import { compute, reduceAxis, type Tensor } from '../../schedule/tensor.js';
import { checkFloat, checkInts, checkTensor, fmt } from '../check.js';
import { guardedRead } from '../guard.js';
import { max as reduceMax, mean } from '../reduction.js';
import { TAG } from '../tags.js';

export interface Pool2dOptions {
  /** [kh, kw]. */
  readonly kernel: readonly number[];
  /** [sh, sw] (default [1, 1]). */
  readonly strides?: readonly number[];
  /** [top, left, bottom, right] (default zeros), as ONNX pads and TVM. */
  readonly padding?: readonly number[];
  /** [dh, dw] (default [1, 1]). */
  readonly dilation?: readonly number[];
  /** Round the output size up (a last window may start in the padding's end but not past it). */
  readonly ceilMode?: boolean;
  /** Average pool only: divide by the whole window within the padded input (default false: only the real elements). */
  readonly countIncludePad?: boolean;
  /**
   * 'NCHW' (default): x is [N, C, H, W]. 'NCHWc': x is packed [N, C/b, H, W, b] (TVM layout 'NCHW{b}c', as
   * relay's AlterOpLayout leaves it between packed convolutions); the output is [N, C/b, oh, ow, b].
   */
  readonly layout?: 'NCHW' | 'NCHWc';
}

interface PoolGeometry { kh: number; kw: number; sh: number; sw: number; dh: number; dw: number; pt: number; pl: number; pb: number; pr: number; oh: number; ow: number }

/** Output length of one pooled axis (ONNX/PyTorch rule: with ceil mode, no window may start past the input plus its leading pad). */
export function pooledLength(len: number, k: number, s: number, d: number, padLo: number, padHi: number, ceilMode: boolean): number {
  const span = len + padLo + padHi - d * (k - 1) - 1;
  let out = (ceilMode ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceilMode && (out - 1) * s >= len + padLo) out--;
  return out;
}

function geometry(op: string, x: Tensor, o: Pool2dOptions): PoolGeometry {
  checkTensor(op, x);
  checkFloat(op, x);
  if (typeof o !== 'object' || o === null) throw new TypeError(`${op}: options { kernel: [kh, kw], … } are required`);
  if (o.layout !== undefined && o.layout !== 'NCHW' && o.layout !== 'NCHWc') throw new RangeError(`${op}: layout must be 'NCHW' or 'NCHWc', got ${JSON.stringify(o.layout)}`);
  const rank = o.layout === 'NCHWc' ? 5 : 4;
  if (x.ndim !== rank) throw new RangeError(`${op}: input must be ${rank === 4 ? '4-D NCHW' : '5-D NCHW[x]c (layout NCHWc)'}, got shape ${fmt(x.dims)}`);
  const pos = (v: number): boolean => v > 0;
  const [kh, kw] = checkInts(op, o.kernel, 'kernel', 2, pos, 'positive integers') as [number, number];
  const [sh, sw] = checkInts(op, o.strides ?? [1, 1], 'strides', 2, pos, 'positive integers') as [number, number];
  const [dh, dw] = checkInts(op, o.dilation ?? [1, 1], 'dilation', 2, pos, 'positive integers') as [number, number];
  const [pt, pl, pb, pr] = checkInts(op, o.padding ?? [0, 0, 0, 0], 'padding [top, left, bottom, right]', 4, (v) => v >= 0, 'non-negative integers') as [number, number, number, number];
  if (o.ceilMode !== undefined && typeof o.ceilMode !== 'boolean') throw new TypeError(`${op}: ceilMode must be a boolean`);
  const ekh = dh * (kh - 1) + 1;
  const ekw = dw * (kw - 1) + 1;
  if (Math.max(pt, pb) >= ekh || Math.max(pl, pr) >= ekw) {
    throw new RangeError(`${op}: padding [${pt}, ${pl}, ${pb}, ${pr}] must be smaller than the (dilated) kernel ${ekh}×${ekw}, or a window would hold only padding`);
  }
  const [, , H, W] = x.dims as [number, number, number, number];
  const oh = pooledLength(H, kh, sh, dh, pt, pb, o.ceilMode === true);
  const ow = pooledLength(W, kw, sw, dw, pl, pr, o.ceilMode === true);
  if (oh <= 0 || ow <= 0) {
    throw new RangeError(`${op}: output size ${oh}×${ow} ≤ 0: the ${ekh}×${ekw} (dilated) kernel is larger than the padded ${H + pt + pb}×${W + pl + pr} input`);
  }
  return { kh, kw, sh, sw, dh, dw, pt, pl, pb, pr, oh, ow };
}

function windows(g: PoolGeometry): { ry: ReturnType<typeof reduceAxis>; rx: ReturnType<typeof reduceAxis>; iy: (y: Expr) => Expr; ix: (x: Expr) => Expr } {
  const ry = reduceAxis(g.kh, 'ry');
  const rx = reduceAxis(g.kw, 'rx');
  const vy = new te.Expr(ry.variable);
  const vx = new te.Expr(rx.variable);
  return {
    ry, rx,
    iy: (y) => y.mul(g.sh).add(vy.mul(g.dh)).sub(g.pt),
    ix: (x) => x.mul(g.sw).add(vx.mul(g.dw)).sub(g.pl),
  };
}

/** Whether some window reaches outside the input along y and along x (padding, or ceil mode's last window). */
function mayLeave(g: PoolGeometry, H: number, W: number): [boolean, boolean] {
  return [g.pt > 0 || (g.oh - 1) * g.sh + (g.kh - 1) * g.dh - g.pt > H - 1, g.pl > 0 || (g.ow - 1) * g.sw + (g.kw - 1) * g.dw - g.pl > W - 1];
}

/** Max over each window; padding never wins (padded positions are left out of the reduction). Output [N, C, oh, ow]. */
export function maxPool2d(x: Tensor, opts: Pool2dOptions): Tensor {
  const g = geometry('maxPool2d', x, opts);
  const [N, C, H, W, B] = x.dims as [number, number, number, number, number | undefined];
  const leave = [false, false, ...mayLeave(g, H, W), false];
  return compute(outShape(g, N, C, B), (n, c, y, xx, b) => {
    const w = windows(g);
    // Padded positions read as -inf through the lazy guarded read (never evaluated outside the
    // input), so they never win; loop partitioning drops the guard from the interior.
    return te.max(guardedRead(x, at(n, c, w.iy(y), w.ix(xx), b), leave, -Infinity), [w.ry, w.rx]);
  }, 'T_max_pool2d', { tag: TAG.pool, attrs: { ...g, kind: 'max' } });
}

/** [N, C, oh, ow], or [N, C/b, oh, ow, b] for a packed input (B = its block). */
function outShape(g: PoolGeometry, N: number, C: number, B: number | undefined): number[] {
  return B === undefined ? [N, C, g.oh, g.ow] : [N, C, g.oh, g.ow, B];
}

/** The input index of (n, c, y, x) and, packed, the block lane b. */
function at(n: Expr, c: Expr, y: Expr, x: Expr, b: Expr | undefined): Expr[] {
  return b === undefined ? [n, c, y, x] : [n, c, y, x, b];
}

/** Number of r in [0, k) with lo ≤ start + r·d < hi, as an expression in `start`. */
function countInside(start: Expr, k: number, d: number, lo: number, hi: number): Expr {
  const ceilDiv = (a: Expr): Expr => a.add(d - 1).floordiv(d);
  const rmin = ceilDiv(start.neg().add(lo)).max(0);
  const rmax = ceilDiv(start.neg().add(hi)).min(k);
  return rmax.sub(rmin).max(0);
}

/**
 * Mean over each window: the window sum divided by the count of real elements in it, or with
 * countIncludePad by the count of positions within the padded input. Output [N, C, oh, ow].
 */
export function avgPool2d(x: Tensor, opts: Pool2dOptions): Tensor {
  const g = geometry('avgPool2d', x, opts);
  if (opts.countIncludePad !== undefined && typeof opts.countIncludePad !== 'boolean') throw new TypeError('avgPool2d: countIncludePad must be a boolean');
  const [N, C, H, W, B] = x.dims as [number, number, number, number, number | undefined];
  const leave = [false, false, ...mayLeave(g, H, W), false];
  const sum = compute(outShape(g, N, C, B), (n, c, y, xx, b) => {
    const w = windows(g);
    return te.sum(guardedRead(x, at(n, c, w.iy(y), w.ix(xx), b), leave, 0), [w.ry, w.rx]);
  }, 'T_avg_pool2d_sum', { tag: TAG.pool, attrs: { ...g, kind: 'sum' } });
  const include = opts.countIncludePad === true;
  return compute(outShape(g, N, C, B), (n, c, y, xx, b) => {
    const cy = countInside(y.mul(g.sh).sub(g.pt), g.kh, g.dh, include ? -g.pt : 0, include ? H + g.pb : H);
    const cx = countInside(xx.mul(g.sw).sub(g.pl), g.kw, g.dw, include ? -g.pl : 0, include ? W + g.pr : W);
    return sum.at(...at(n, c, y, xx, b)).div(cy.mul(cx).astype('float32'));
  }, 'T_avg_pool2d', { tag: TAG.elemwise, attrs: { countIncludePad: include } });
}

function check4d(op: string, x: Tensor): void {
  checkTensor(op, x);
  checkFloat(op, x);
  if (x.ndim !== 4) throw new RangeError(`${op}: input must be 4-D NCHW, got shape ${fmt(x.dims)}`);
}

/** Mean over H and W: [N, C, H, W] → [N, C, 1, 1] (ONNX GlobalAveragePool). */
export function globalAvgPool2d(x: Tensor): Tensor {
  check4d('globalAvgPool2d', x);
  return mean(x, [2, 3], true);
}

/** Max over H and W: [N, C, H, W] → [N, C, 1, 1] (ONNX GlobalMaxPool). */
export function globalMaxPool2d(x: Tensor): Tensor {
  check4d('globalMaxPool2d', x);
  return reduceMax(x, [2, 3], true);
}
