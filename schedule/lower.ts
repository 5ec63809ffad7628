// schedule/lower.ts — te.lower: schedule → loop nest (schedule_ops.ts) → TIR's lowering passes
// (tir/pipeline.ts: storage flatten, simplify, loop partition, vectorize, unroll, remove no-op).
// TENSORTUNE_DEBUG=lower prints the loop nest and the IR after each pass (done by the pipeline).

import type { PrimFunc } from '../tir/nodes.js';
import { runLoweringPasses } from '../tir/pipeline.js';
import type { Schedule } from './schedule.js';
import { scheduleOps } from './schedule_ops.js';
import type { Tensor } from './tensor.js';

export interface LowerOptions {
  /** The function name (an identifier); 'default_function' when omitted, as in TVM. */
  readonly name?: string;
  /** Also return the IR after each step. */
  readonly trace?: boolean;
}

export interface LowerStep {
  readonly name: string;
  readonly func: PrimFunc;
  /** False when the step left the IR structurally the same. */
  readonly changed: boolean;
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
  const lowered = runLoweringPasses(loopNest, { trace: opts.trace === true });
  if (opts.trace !== true) return lowered.func;
  return { func: lowered.func, steps: [{ name: 'schedule.scheduleOps', func: loopNest, changed: true }, ...lowered.steps] };
}
