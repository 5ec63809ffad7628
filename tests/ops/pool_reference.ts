// tests/ops/pool_reference.ts — pooling by its ONNX definition in plain JS (the independent reference
// of tests/ops/pool.test.ts and pool_schedule.test.ts): each output visits its window; positions
// outside the input are skipped (max) or counted per count_include_pad (avg).

import type { Input } from './ops_harness.js';

export interface P { k: [number, number]; s?: [number, number]; p?: [number, number, number, number]; d?: [number, number]; ceil?: boolean; incl?: boolean }

/** Output length as PyTorch/ONNX: with ceil mode, the last window must start inside the input or its leading pad. */
export function outLen(len: number, k: number, s: number, d: number, lo: number, hi: number, ceil: boolean): number {
  const eff = (len + lo + hi - d * (k - 1) - 1) / s;
  let o = (ceil ? Math.ceil(eff) : Math.floor(eff)) + 1;
  if (ceil && (o - 1) * s >= len + lo) o--;
  return o;
}

/** Pooling by its definition: visit each window's positions, keep those inside the input. */
export function poolRef(x: Input, kind: 'max' | 'avg', q: P): { want: Float32Array; shape: number[] } {
  const [N, C, H, W] = x.t.dims as [number, number, number, number];
  const [sh, sw] = q.s ?? [1, 1];
  const [pt, pl, pb, pr] = q.p ?? [0, 0, 0, 0];
  const [dh, dw] = q.d ?? [1, 1];
  const oh = outLen(H, q.k[0], sh, dh, pt, pb, q.ceil === true);
  const ow = outLen(W, q.k[1], sw, dw, pl, pr, q.ceil === true);
  const out = new Float32Array(N * C * oh * ow);
  let o = 0;
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let y = 0; y < oh; y++) for (let xx = 0; xx < ow; xx++) {
    let acc = kind === 'max' ? -Infinity : 0;
    let real = 0;
    let padded = 0;
    for (let r = 0; r < q.k[0]; r++) for (let t = 0; t < q.k[1]; t++) {
      const iy = y * sh + r * dh - pt;
      const ix = xx * sw + t * dw - pl;
      if (iy >= -pt && iy < H + pb && ix >= -pl && ix < W + pr) padded++;
      if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
      const v = x.data[((n * C + c) * H + iy) * W + ix]!;
      acc = kind === 'max' ? Math.max(acc, v) : acc + v;
      real++;
    }
    out[o++] = kind === 'max' ? acc : acc / (q.incl ? padded : real);
  }
  return { want: out, shape: [N, C, oh, ow] };
}
