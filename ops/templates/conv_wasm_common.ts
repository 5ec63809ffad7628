// ops/templates/conv_wasm_common.ts — the steps the wasm convolution templates (NCHW and NCHWc) share:
// finding the padded input stage, and placing it and the auto-unroll pragma as the knobs say.

import type { ConfigSpace } from '../../autotune/space.js';
import type { Schedule } from '../../schedule/schedule.js';
import type { Stage } from '../../schedule/stage.js';
import { inputTensors, type Operation, type Tensor } from '../../schedule/tensor.js';
import type { IterVar } from '../../tir/nodes.js';

/** The padded inputs of a convolution compute (ops/pad.ts tags them 'injective,pad'). */
export function paddedInputs(op: Operation): Tensor[] {
  return inputTensors(op).filter((t) => t.op.kind === 'compute' && t.op.tag === 'injective,pad');
}

/**
 * Applies the 'auto_unroll_max_step' knob to the accumulator stage's outermost reduction loop, then the
 * 'pad_inline' knob to the padded inputs: inlined into the tile's reads (guarded), or their own root
 * stage (undoing a caller's traverse_inline), which the caller schedules as an injective stage.
 */
export function finishConvWasm(cfg: ConfigSpace, s: Schedule, acc: Stage, outerReduce: IterVar, pads: readonly Tensor[]): void {
  const step = cfg.getKnob('auto_unroll_max_step').val as number;
  if (step > 0) acc.pragma(outerReduce, 'auto_unroll_max_step', step);
  for (const p of pads) {
    if (cfg.getKnob('pad_inline').val === true) s.stage(p).computeInline();
    else s.stage(p).computeRoot();
  }
}
