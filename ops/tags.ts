// ops/tags.ts — the op tags of the library (TOPI's tag vocabulary): default schedules read them to
// tell elementwise/injective stages (inlined into consumers) from reductions and anchors.

/** Tags as TOPI writes them (python/tvm/topi/tag.py). */
export const TAG = {
  elemwise: 'elemwise',
  broadcast: 'broadcast',
  injective: 'injective',
  commReduce: 'comm_reduce',
  softmax: 'softmax_output',
  /** TOPI's T_softmax_exp, exp(x − max): kept as a stage (not inlined) so each exp is computed once. */
  softmaxExp: 'softmax_exp',
  pool: 'pool',
  norm: 'norm',
} as const;

/** Tags of anchor ops: compute-heavy ops scheduled by a tunable template (ops/anchor.ts). */
export const ANCHOR_TAGS = ['conv2d_nchw', 'conv2d_NCHWc', 'conv2d_winograd', 'conv2d_winograd_m4', 'conv2d_gemm', 'conv2d_gemm_NCHWc', 'conv2d_nchw_packed', 'depthwise_conv2d_nchw', 'depthwise_conv2d_NCHWc', 'conv2d_transpose_nchw', 'dense', 'matmul', 'batch_matmul'] as const;
export type AnchorTag = (typeof ANCHOR_TAGS)[number];

/** Whether a tag names an anchor op. */
export function isAnchorTag(tag: string): tag is AnchorTag {
  return (ANCHOR_TAGS as readonly string[]).includes(tag);
}
