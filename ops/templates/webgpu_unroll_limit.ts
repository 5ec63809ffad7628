// ops/templates/webgpu_unroll_limit.ts — the bound on a WebGPU kernel's straight-line code that every WebGPU template's
// multiFilter applies (AutoTVM's way: a config that cannot pay is removed from the space before a tuner proposes it).
// docs/webgpu.md "Session 19".

/**
 * The most FMAs one reduction step of a lane may hold once the TIR unrolls it: register tile × the loops unrolled
 * inside the step (the window taps of `unroll_window` in the conv templates, the k stage of a warp 1 gemm). Each such
 * FMA is a WGSL statement of 300–800 bytes (its guarded, clamped input index written out in full), and lavapipe's
 * compile grows with them: session 18's config 37429 of conv2d_nchw_packed (a 224-float tile × 9 taps unrolled, 2016
 * FMAs, 981 KB of WGSL) took 51 s of CPU to create its pipeline (174 s wall), where the default of that workload (224
 * FMAs a step, the window rolled, 159 KB) took 1.3 s for its pipeline and 11 s for its first dispatch (session 19,
 * loaded). Over samples of the spaces under the old limit (2048) the WGSL reached 1.26 MB (packed), 0.90 MB
 * (conv2d_nchw) and 1.67 MB (depthwise); such candidates end as RUN_TIMEOUTs. Source of 1024: the largest unrolled
 * window of a shipped kernel is 882 FMAs (conv2d_nchw's whole-image default for C12 and its TopHub record: 2 channels
 * × 49 pixels × 9 taps), the largest warp gemm record 512 (32 × 4 × tile_k 4); 1024 is the power of two above them,
 * so no shipped record or default is refused (tests/tuning-logs/tophub_records.test.ts) while the 2016-FMA kernels
 * are. Warp convs (subgroup target) are not bound: C1's shipped record there unrolls 49 taps × 49 pixels.
 */
export const MAX_UNROLLED_STEP = 1024;

/**
 * Why a step of `fmas` straight-line FMAs (described by `what`, e.g. 'unroll_window: 3×3 taps × a 8×2×14 register
 * tile') is refused, or undefined when it is within MAX_UNROLLED_STEP.
 */
export function unrolledStepProblem(what: string, fmas: number): string | undefined {
  return fmas > MAX_UNROLLED_STEP ? `${what} is ${fmas} FMAs a step unrolled: exceeds ${MAX_UNROLLED_STEP}` : undefined;
}
