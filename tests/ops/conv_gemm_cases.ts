// tests/ops/conv_gemm_cases.ts — the reference check shared by the conv2d_gemm and conv2d_gemm_NCHWc tests
// (tests/ops/conv2d_gemm*.test.ts): each case's data and OIHW weight seeded, its convolution by an independent
// reference (tfjs-core, or the plain-JS scatter form), bias → relu → residual applied on the host to every other
// case, and one config of the template run on the inputs in the op's own layout and compared. The two files
// differ only in layout (NCHW and the [O, C·KH·KW] weight, or NCHW{icb}c data, the packed weight and NCHW{ocb}c
// out), which each gives as a GemmConvLayout.

import { expect } from 'vitest';
import type { Rng } from '../../autotune/rng.js';
import type { ConfigEntity } from '../../autotune/space.js';
import { createTask } from '../../autotune/task.js';
import { jsConv2d, mismatch, runConfig, seeded, tfConv2d, type ConvCase } from './reference.js';

/** How a template's workload lays out a case: its args, its inputs, and where the reference's outputs go. */
export interface GemmConvLayout<C extends ConvCase> {
  /** The template's name (conv2d_gemm.wasm, conv2d_gemm_NCHWc.wasm). */
  readonly template: string;
  /** The template's args for a case, with the epilogue's ops when one is fused. */
  args(c: C, epilogue?: readonly string[]): unknown[];
  /** The op's data and weight from NCHW data x and OIHW weight w (packed by the test's own loops). */
  inputs(x: Float32Array, w: Float32Array, c: C): readonly [Float32Array, Float32Array];
  /** The reference's NCHW output in the op's output layout, and the output channel of each of its indices. */
  output(conv: Float32Array, c: C): { readonly values: Float32Array; channel(i: number): number };
}

/**
 * conv2d of a case by an independent reference: the plain-JS scatter form where tfjs cannot (stride and
 * dilation both > 1, which tfjs refuses) and for the 5×3 kernel (so the scatter form checks a case tfjs could
 * take too), tfjs-core's CPU conv2d otherwise. NCHW out.
 */
export function referenceConv(x: Float32Array, w: Float32Array, c: ConvCase): Float32Array {
  return c.KH === 5 || c.dilation[0] > 1 ? jsConv2d(x, w, c) : tfConv2d(x, w, c);
}

/**
 * Config `pick()` (undefined: the untuned default) of `layout.template` on each case against the reference,
 * bias → relu → residual fused on the cases whose index % 2 is `epilogueOn`; every case must build and run.
 * Draws one rng.int(2³⁰) seed per case before pick(), so a file's sampled configs stay those of its seed. `whereOf`
 * (optional) narrows a case's sampled configs to those a predicate accepts (runConfig's walk from the picked index).
 */
export async function casesMatch<C extends ConvCase>(
  layout: GemmConvLayout<C>, cases: readonly C[], rng: Rng, pick: () => number | undefined, epilogueOn: 0 | 1, target = 'wasm',
  whereOf?: (c: C) => (e: ConfigEntity) => boolean,
): Promise<void> {
  let ran = 0;
  for (const [k, c] of cases.entries()) {
    const seed = rng.int(1 << 30);
    const x = seeded(c.N * c.C * c.H * c.W, seed + 1);
    const w = seeded(c.O * c.C * c.KH * c.KW, seed + 2);
    const conv = referenceConv(x, w, c);
    const { values, channel } = layout.output(conv, c);
    const withEpilogue = k % 2 === epilogueOn;
    const bias = seeded(c.O, seed + 3);
    const res = seeded(conv.length, seed + 4);
    const want = withEpilogue ? values.map((v, i) => Math.max(v + bias[channel(i)]!, 0) + res[i]!) : values;
    const inputs = withEpilogue ? [...layout.inputs(x, w, c), bias, res] : [...layout.inputs(x, w, c)];
    const args = layout.args(c, withEpilogue ? ['bias', 'relu', 'residual'] : undefined);
    const index = pick();
    const r = await runConfig(layout.template, args as never, target, index ?? createTask(layout.template, args as never, target).defaultConfig!()!.index, inputs, whereOf?.(c));
    if (!r.out) continue;
    ran++;
    const i = mismatch(r.out, want, 1e-3);
    expect(i, `${JSON.stringify(c)} config ${r.config}: y[${i}] = ${r.out[i]}, expected ${want[i]}`).toBe(-1);
  }
  expect(ran).toBe(cases.length);
}
