// tir/pipeline.ts — the pass runner every lowering step goes through (IR verification between
// passes, per-pass timing, traces, TENSORTUNE_DEBUG=lower printing) and the target-independent
// lowering passes in order, with user passes inserted by phase (tir/pass_context.ts). The
// target's passes (codegen/target_passes.ts) run through the same runner after these.
//
// The contract codegens rely on, for a PrimFunc that comes out of runLoweringPasses:
//   - params are 1-D `global` Buffers; their logical shapes are in `attrs.argShapes: number[][]`;
//   - every BufferLoad/BufferStore has exactly one index: a scalar int32 or a Ramp;
//   - every For has an IntImm extent and is serial, parallel or threadBinding: a vectorized
//     loop became vector statements whose lanes are the loop's extent (any count, e.g. 8 or
//     16; codegens split into 4-lane ops), or a serial loop annotated with
//     `vectorize_failed: '<reason>'`; unrolled loops became copies of their body;
//   - no ProducerLoad or Reduce; every Var is bound by a loop, a let or a Let;
//   - Allocate is left for intermediates (scope global/shared/local, 1-D);
//   - barriers are `Evaluate(call('tir.storage_sync'))` where schedule or codegen put them.

import { structuralEqual } from './structural.js';
import type { PrimFunc } from './nodes.js';
import { print } from './printer.js';
import { verify } from './verify.js';
import { currentPassContext, type Pass, type PassContext, type PassPhase } from './pass_context.js';
import { storageFlatten } from './passes/storage_flatten.js';
import { simplify } from './passes/simplify.js';
import { loopPartition } from './passes/loop_partition.js';
import { vectorizeLoop } from './passes/vectorize_loop.js';
import { unrollLoops } from './passes/unroll_loops.js';
import { removeNoOp } from './passes/remove_no_op.js';

export type { Pass } from './pass_context.js';

/** The target-independent lowering passes in order; `phase` entries mark where user passes of that phase run. */
export const LOWERING_PIPELINE: readonly (Pass | { readonly phase: PassPhase })[] = [
  { phase: 0 },
  { name: 'tir.storageFlatten', run: (f) => storageFlatten(f) },
  { phase: 1 },
  { name: 'tir.simplify', run: (f) => simplify(f) },
  { name: 'tir.loopPartition', run: (f) => loopPartition(f) },
  { name: 'tir.vectorizeLoop', run: (f) => vectorizeLoop(f) },
  { name: 'tir.unrollLoops', run: (f) => unrollLoops(f) },
  { phase: 2 },
  { name: 'tir.simplify', run: (f) => simplify(f) },
  { name: 'tir.removeNoOp', run: (f) => removeNoOp(f) },
  { phase: 3 },
];

/** The built-in lowering passes alone, in order. */
export const LOWERING_PASSES: readonly Pass[] = LOWERING_PIPELINE.filter((p): p is Pass => 'run' in p);

/** One step of a lowering trace (te.lower, runLoweringPasses, lowerForTarget). */
export interface LowerStep {
  readonly name: string;
  /** The IR after this step. */
  readonly func: PrimFunc;
  /** False when the step left the IR structurally the same. */
  readonly changed: boolean;
  /** Wall milliseconds the pass took (0 for steps that are not passes). */
  readonly ms: number;
}

export interface LoweringOptions {
  /** Keep the IR after every pass in `steps`. */
  readonly trace?: boolean;
  /** Verify the IR between passes (default: the pass context's `verify`, true). */
  readonly verify?: boolean;
  /** The pass context (default: the current one, see withPassContext). */
  readonly ctx?: PassContext;
}

export interface RunPassesOptions extends LoweringOptions {
  /** Verify the input before the first pass (default true). */
  readonly verifyInput?: boolean;
  /** Check the result against the codegen contract (verify's `lowered`; default false). */
  readonly contract?: boolean;
  /** Printed in the debug header of the input (default 'lowering'). */
  readonly what?: string;
}

/** True when TENSORTUNE_DEBUG lists `lower` (comma or space separated). */
export function debugLower(): boolean {
  const v = typeof process !== 'undefined' ? process.env['TENSORTUNE_DEBUG'] : undefined;
  return v !== undefined && v.split(/[,\s]+/).includes('lower');
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * Runs `passes` in order on `f` (skipping the context's disabled passes), verifying between
 * passes; with `trace`, returns each pass's IR, whether it changed and its time.
 * Throws the verifier's error naming the pass after which the IR became invalid.
 */
export function runPasses(f: PrimFunc, passes: readonly Pass[], opts: RunPassesOptions = {}): { func: PrimFunc; steps: LowerStep[] } {
  const ctx = opts.ctx ?? currentPassContext();
  const debug = debugLower();
  const check = opts.verify ?? ctx.config.verify;
  const track = opts.trace === true || debug;
  const steps: LowerStep[] = [];
  if (check && opts.verifyInput !== false) verify(f, { where: 'input' });
  if (debug) process.stderr.write(`// ${f.name}: input of ${opts.what ?? 'lowering'}\n${print(f)}\n`);
  let cur = f;
  for (const pass of passes) {
    if (ctx.disabledPasses.has(pass.name)) continue;
    const t0 = now();
    const next = pass.run(cur, ctx);
    const ms = now() - t0;
    const changed = next !== cur && (!track || !structuralEqual(next, cur));
    if (check) verify(next, { where: pass.name });
    if (debug) process.stderr.write(`// ${f.name}: after ${pass.name} [${ms.toFixed(2)} ms]${changed ? `\n${print(next)}` : ': unchanged'}\n`);
    if (opts.trace) steps.push({ name: pass.name, func: next, changed, ms });
    cur = next;
  }
  if (opts.contract) verify(cur, { where: 'lowering (codegen contract)', lowered: true });
  return { func: cur, steps };
}

/** The lowering passes with the context's user passes put in at their phases. */
export function loweringPasses(ctx: PassContext = currentPassContext()): Pass[] {
  return LOWERING_PIPELINE.flatMap((p) => ('run' in p ? [p] : ctx.passesAt(p.phase)));
}

/** Runs the lowering passes on `f` (as `te.lower` builds it) and checks the result's contract. */
export function runLoweringPasses(f: PrimFunc, opts: LoweringOptions = {}): { func: PrimFunc; steps: LowerStep[] } {
  const ctx = opts.ctx ?? currentPassContext();
  return runPasses(f, loweringPasses(ctx), { ...opts, ctx, contract: true });
}
