// ops/pack_weight.ts — weights laid out in blocks on the host: a product's as panels (TVM's layout_transform(W, 'NC', 'NC{bn}n')),
// a conv's OIHW weight in blocks of output channels ('OIHW{ob}o', lavapipe's plain WebGPU conv): what a model build
// does to a constant weight once, and what a prepacked tuning task's measurement feeds the kernel. Plain arrays only, so the operator templates and relay both use it without import circles.

/** Which product a packed weight came from: dense's W [N, K] or matmul's B [K, N]. */
export type PackSource = 'dense' | 'matmul';

/**
 * Packs a product's weight into panels of width `bn` on the host: Wp[xo, k, xi] = W[xo·bn + xi, k] (dense,
 * `shape` [N, K]) or B[k, xo·bn + xi] (matmul, `shape` [K, N]), zero where xo·bn + xi ≥ N (the last, partial
 * panel). Float32 in and out; Wp is [⌈N/bn⌉, K, bn]. Throws RangeError for a bad width or a size mismatch.
 */
export function packProductWeight(w: Float32Array, shape: readonly number[], bn: number, source: PackSource): { values: Float32Array; shape: [number, number, number] } {
  if (!Number.isInteger(bn) || bn < 1) throw new RangeError(`packProductWeight: panel width must be a positive integer, got ${bn}`);
  if (shape.length !== 2) throw new RangeError(`packProductWeight: the weight must be 2-D, got [${shape.join(', ')}]`);
  const [N, K] = source === 'dense' ? [shape[0]!, shape[1]!] : [shape[1]!, shape[0]!];
  if (w.length !== N * K) throw new RangeError(`packProductWeight: ${w.length} values for a [${shape.join(', ')}] weight`);
  const P = Math.ceil(N / bn);
  const out = new Float32Array(P * K * bn);
  for (let xo = 0; xo < P; xo++) {
    for (let k = 0; k < K; k++) {
      const row = (xo * K + k) * bn;
      for (let xi = 0; xi < bn; xi++) {
        const n = xo * bn + xi;
        if (n < N) out[row + xi] = source === 'dense' ? w[n * K + k]! : w[k * N + n]!;
      }
    }
  }
  return { values: out, shape: [P, K, bn] };
}

/**
 * Packs a batched weight B [b, K, N] (float32, row-major) into panels of width `bn`, batch by batch (packProductWeight's
 * matmul layout): Bp[t, xo, k, xi] = B[t, k, xo·bn + xi], zero where xo·bn + xi ≥ N; Bp is [b, ⌈N/bn⌉, K, bn]. Throws
 * RangeError for a bad width, a weight that is not 3-D or a size mismatch.
 */
export function packBatchedWeight(w: Float32Array, shape: readonly number[], bn: number): { values: Float32Array; shape: [number, number, number, number] } {
  if (shape.length !== 3) throw new RangeError(`packBatchedWeight: the weight must be 3-D [b, K, N], got [${shape.join(', ')}]`);
  const [b, K, N] = shape as [number, number, number];
  if (w.length !== b * K * N) throw new RangeError(`packBatchedWeight: ${w.length} values for a [${shape.join(', ')}] weight`);
  const parts = Array.from({ length: b }, (_, t) => packProductWeight(w.subarray(t * K * N, (t + 1) * K * N), [K, N], bn, 'matmul'));
  const P = Math.ceil(N / bn);
  const out = new Float32Array(b * P * K * bn);
  parts.forEach((p, t) => out.set(p.values, t * P * K * bn));
  return { values: out, shape: [b, P, K, bn] };
}

/**
 * Packs an OIHW conv weight [O, C, KH, KW] (float32) into blocks of `ob` output channels, innermost (TVM's
 * layout_transform(W, 'OIHW', 'OIHW{ob}o')): Wp[oo, c, y, x, oi] = W[oo·ob + oi, c, y, x], zero where oo·ob + oi ≥ O
 * (the last, partial block). Wp is [⌈O/ob⌉, C, KH, KW, ob]: the `ob` channels a tap are adjacent, so a kernel reads
 * them as vec4s (ops/nn/conv2d_packed.ts, lavapipe's plain WebGPU conv). Throws RangeError for a bad block, a weight
 * that is not 4-D or a size mismatch.
 */
export function packConvWeightOC(w: Float32Array, shape: readonly number[], ob: number): { values: Float32Array; shape: [number, number, number, number, number] } {
  if (!Number.isInteger(ob) || ob < 1) throw new RangeError(`packConvWeightOC: the output-channel block must be a positive integer, got ${ob}`);
  if (shape.length !== 4) throw new RangeError(`packConvWeightOC: the weight must be 4-D [O, C, KH, KW], got [${shape.join(', ')}]`);
  const [O, C, KH, KW] = shape as [number, number, number, number];
  if (w.length !== O * C * KH * KW) throw new RangeError(`packConvWeightOC: ${w.length} values for a [${shape.join(', ')}] weight`);
  const Ob = Math.ceil(O / ob);
  const taps = C * KH * KW;
  const out = new Float32Array(Ob * taps * ob);
  for (let o = 0; o < O; o++) {
    const base = Math.floor(o / ob) * taps * ob + (o % ob);
    for (let t = 0; t < taps; t++) out[base + t * ob] = w[o * taps + t]!;
  }
  return { values: out, shape: [Ob, C, KH, KW, ob] };
}
