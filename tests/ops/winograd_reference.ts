// tests/ops/winograd_reference.ts — what the Winograd tests (F(4×4): conv2d_winograd_m4.test.ts; F(2×2)'s vectorized
// transforms: conv2d_winograd_vec.test.ts) check against: 3×3 stride-1 cases no 2×2 or 4×4 tile divides (H, W odd or
// not multiples of 4, odd C, O not a multiple of 4, 1×1 and 2×2 images, batch 2, asymmetric padding), a float64
// direct convolution in plain JS, and the tolerance per output scaled by Σ|x·w|, the float32 rounding scale.

import { tensorArg } from '../../autotune/task.js';
import { winogradWeightTransform } from '../../ops/nn/conv2d_winograd.js';
import { convOut, seeded, type ConvCase } from './reference.js';

const base = { N: 1, KH: 3, KW: 3, strides: [1, 1], dilation: [1, 1], groups: 1 } as const;
export const ODD_CASES: readonly ConvCase[] = [
  { ...base, C: 5, H: 7, W: 9, O: 6, padding: [1, 0, 2, 1] },
  { ...base, N: 2, C: 3, H: 6, W: 5, O: 4, padding: [0, 0, 0, 0] },
  { ...base, C: 2, H: 1, W: 1, O: 3, padding: [1, 1, 1, 1] },
  { ...base, C: 3, H: 2, W: 2, O: 5, padding: [1, 1, 1, 1] },
  { ...base, C: 16, H: 10, W: 13, O: 12, padding: [1, 1, 1, 1] },
  { ...base, N: 2, C: 7, H: 11, W: 6, O: 9, padding: [2, 1, 0, 2] },
  { ...base, C: 9, H: 14, W: 14, O: 7, padding: [1, 1, 1, 1] },
  { ...base, C: 4, H: 9, W: 4, O: 5, padding: [0, 1, 1, 0] },
];

/** float64 direct convolution (gather form, 3×3, stride 1) and per output Σ|x·w|, its float32 rounding scale. */
export function directF64(x: Float32Array, w: Float32Array, c: ConvCase): { y: Float64Array; scale: Float64Array } {
  const [OH, OW] = convOut(c);
  const y = new Float64Array(c.N * c.O * OH * OW);
  const scale = new Float64Array(y.length);
  for (let n = 0; n < c.N; n++) for (let o = 0; o < c.O; o++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
    let acc = 0, abs = 0;
    for (let ci = 0; ci < c.C; ci++) for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++) {
      const ih = oh + ky - c.padding[0];
      const iw = ow + kx - c.padding[1];
      if (ih < 0 || ih >= c.H || iw < 0 || iw >= c.W) continue;
      const t = x[((n * c.C + ci) * c.H + ih) * c.W + iw]! * w[((o * c.C + ci) * 3 + ky) * 3 + kx]!;
      acc += t;
      abs += Math.abs(t);
    }
    const i = ((n * c.O + o) * OH + oh) * OW + ow;
    y[i] = acc;
    scale[i] = abs;
  }
  return { y, scale };
}

/**
 * First index where `got` is off `want` by more than rel·Σ|x·w| + 1e-6·|ref| + 1e-6, or -1 (0 when the lengths
 * differ). rel 4e-6 for F(4×4) (measured at most 9.7e-7, bench/winograd_accuracy.ts), 1e-6 for F(2×2) (1.2e-7).
 */
export function offBy(got: Float32Array, want: Float64Array, scale: Float64Array, rel = 4e-6): number {
  if (got.length !== want.length) return 0;
  return got.findIndex((g, i) => !(Math.abs(g - want[i]!) <= rel * scale[i]! + 1e-6 * Math.abs(want[i]!) + 1e-6));
}

/** One Winograd case set up for a template run: its workload args, input buffers and the float64 answer. */
export interface WinogradCaseRun {
  readonly args: readonly unknown[];
  readonly inputs: Float32Array[];
  readonly want: Float64Array;
  readonly scale: Float64Array;
  /** Whether the weights were transformed on the host ([T², O, C]) rather than passed raw ([O, C, 3, 3]). */
  readonly host: boolean;
}

/**
 * Case `k` of a conv2d_winograd{,_m4}.wasm test with inputs seeded from `seed`: the weights transformed on the host
 * (to [16 or 36, O, C] for tileSize 2 or 4) where k's parity is `hostOn`, the fused bias → relu → residual add where
 * it is `epilogueOn`, and the float64 direct conv (with the epilogue applied in float64) as the answer.
 */
export function winogradCaseRun(c: ConvCase, k: number, seed: number, tileSize: 2 | 4, hostOn: 0 | 1, epilogueOn: 0 | 1): WinogradCaseRun {
  const x = seeded(c.N * c.C * c.H * c.W, seed + 1);
  const w = seeded(c.O * c.C * 9, seed + 2);
  const ref = directF64(x, w, c);
  const withEpilogue = k % 2 === epilogueOn;
  const bias = seeded(c.O, seed + 3);
  const res = seeded(ref.y.length, seed + 4);
  const plane = ref.y.length / c.N / c.O;
  const want = withEpilogue ? ref.y.map((v, i) => Math.max(v + bias[Math.floor(i / plane) % c.O]!, 0) + res[i]!) : ref.y;
  const host = k % 2 === hostOn;
  const t = (tileSize + 2) ** 2;
  const [wArg, wShape] = host ? [winogradWeightTransform(w, [c.O, c.C, 3, 3], tileSize), [t, c.O, c.C]] : [w, [c.O, c.C, 3, 3]];
  const args = [tensorArg([c.N, c.C, c.H, c.W]), tensorArg(wShape), [...c.padding], ...(withEpilogue ? [['bias', 'relu', 'residual']] : [])];
  return { args, inputs: withEpilogue ? [x, wArg, bias, res] : [x, wArg], want, scale: ref.scale, host };
}
