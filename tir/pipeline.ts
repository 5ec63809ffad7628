// tir/pipeline.ts — the lowering pass list, run in order, with IR verification between passes,
// optional tracing, and TENSORTUNE_DEBUG=lower printing the IR after each pass.
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
import { storageFlatten } from './passes/storage_flatten.js';
import { simplify } from './passes/simplify.js';
import { loopPartition } from './passes/loop_partition.js';
import { vectorizeLoop } from './passes/vectorize_loop.js';
import { unrollLoops } from './passes/unroll_loops.js';
import { removeNoOp } from './passes/remove_no_op.js';

export interface Pass {
  /** Dotted id, e.g. `tir.simplify`. */
  readonly name: string;
  readonly run: (f: PrimFunc) => PrimFunc;
}

/** The lowering passes, in order. */
export const LOWERING_PASSES: readonly Pass[] = [
  { name: 'tir.storageFlatten', run: storageFlatten },
  { name: 'tir.simplify', run: simplify },
  { name: 'tir.loopPartition', run: loopPartition },
  { name: 'tir.vectorizeLoop', run: vectorizeLoop },
  { name: 'tir.unrollLoops', run: unrollLoops },
  { name: 'tir.simplify', run: simplify },
  { name: 'tir.removeNoOp', run: removeNoOp },
];

export interface LoweringStep {
  readonly name: string;
  /** The IR after this pass. */
  readonly func: PrimFunc;
  /** False when the pass left the IR structurally the same. */
  readonly changed: boolean;
}

export interface LoweringOptions {
  /** Keep the IR after every pass in `steps`. */
  readonly trace?: boolean;
  /** Verify the IR between passes (default true; the final contract check always runs). */
  readonly verify?: boolean;
}

function debugLower(): boolean {
  const v = typeof process !== 'undefined' ? process.env['TENSORTUNE_DEBUG'] : undefined;
  return v !== undefined && v.split(/[,\s]+/).includes('lower');
}

/** Runs the lowering passes on `f` (as `te.lower` builds it) and checks the result's contract. */
export function runLoweringPasses(f: PrimFunc, opts: LoweringOptions = {}): { func: PrimFunc; steps: LoweringStep[] } {
  const debug = debugLower();
  const check = opts.verify ?? true;
  const steps: LoweringStep[] = [];
  if (check) verify(f, { where: 'input' });
  if (debug) process.stderr.write(`// ${f.name}: input of lowering\n${print(f)}\n`);
  let cur = f;
  for (const pass of LOWERING_PASSES) {
    const next = pass.run(cur);
    const track = opts.trace || debug;
    const changed = next !== cur && (!track || !structuralEqual(next, cur));
    if (check) verify(next, { where: pass.name });
    if (debug) process.stderr.write(`// ${f.name}: after ${pass.name}${changed ? `\n${print(next)}` : ': unchanged'}\n`);
    if (opts.trace) steps.push({ name: pass.name, func: next, changed });
    cur = next;
  }
  verify(cur, { where: 'lowering (codegen contract)', lowered: true });
  return { func: cur, steps };
}
