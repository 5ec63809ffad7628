// schedule/lower.ts — te.lower: schedule → loop nest (schedule_ops.ts) → TIR's lowering passes
// (tir/pipeline.ts: storage flatten, simplify, loop partition, vectorize, unroll, remove no-op,
// and user passes by phase). The target's passes run in compile/build (codegen/target_passes.ts).
// TENSORTUNE_DEBUG=lower prints the loop nest and the IR after each pass (done by the pipeline).

import type { PrimFunc } from '../tir/nodes.js';
import { runLoweringPasses, type LowerStep } from '../tir/pipeline.js';
import type { PassContext } from '../tir/pass_context.js';
import type { Schedule } from './schedule.js';
import { scheduleOps } from './schedule_ops.js';
import type { Tensor } from './tensor.js';

export interface LowerOptions {
  /** The function name (an identifier); 'default_function' when omitted, as in TVM. */
  readonly name?: string;
  /** Also return the IR after each step. */
  readonly trace?: boolean;
  /** Pass configuration and user passes (default: the current one, see tir.withPassContext). */
  readonly passContext?: PassContext;
}

export interface LoweredWithTrace {
  readonly func: PrimFunc;
  /** 'schedule.scheduleOps' (the unlowered loop nest), then one entry per TIR pass. */
  readonly steps: readonly LowerStep[];
}

/** Lowers a schedule to a TIR PrimFunc whose params are `args`, in order. */
export function lower(s: Schedule, args: readonly Tensor[], opts: LowerOptions & { readonly trace: true }): LoweredWithTrace;
export function lower(s: Schedule, args: readonly Tensor[], opts?: LowerOptions): PrimFunc;
export function lower(s: Schedule, args: readonly Tensor[], opts: LowerOptions = {}): PrimFunc | LoweredWithTrace {
  const loopNest = scheduleOps(s, args, opts.name ?? 'default_function');
  const lowered = runLoweringPasses(loopNest, { trace: opts.trace === true, ...(opts.passContext ? { ctx: opts.passContext } : {}) });
  if (opts.trace !== true) return lowered.func;
  return { func: lowered.func, steps: [{ name: 'schedule.scheduleOps', func: loopNest, changed: true, ms: 0 }, ...lowered.steps] };
}
