// codegen/wasm/outline_pass.ts — wasm.outlineParallel, the wasm target's pipeline entry: marks
// each outermost `parallel` loop that the emitter will outline into its own exported function
// `par_<i>(begin, end, args, scratch)` run by the thread pool (parallel_outline.ts). Loops
// nested in an outlined one, and all loops when the target has one thread, stay serial.

import { StmtExprMutator } from '../../tir/functor.js';
import type { PrimFunc, Stmt } from '../../tir/nodes.js';
import type { Pass } from '../../tir/pass_context.js';
import { parallelCaptures } from './analysis.js';

/** Loop annotation: the outlined function's index (order of appearance). */
export const PARALLEL_OUTLINE = 'wasm.parallel_outline';
/** Loop annotation: what the outlined body captures, e.g. 'vars=n,k buffers=A,B,C' (for reading traces). */
export const PARALLEL_CAPTURES = 'wasm.parallel_captures';

class Outliner extends StmtExprMutator {
  count = 0;

  override mutateStmt(s: Stmt): Stmt {
    if (s.kind !== 'For' || s.forKind !== 'parallel') return super.mutateStmt(s);
    if (s.annotations[PARALLEL_OUTLINE] !== undefined) {
      this.count++;
      return s;
    }
    const caps = parallelCaptures(s);
    const captures = `vars=${caps.vars.map((v) => v.name).join(',')} buffers=${caps.buffers.map((b) => b.name).join(',')}`;
    // Not descending: loops inside run serially in the outlined body.
    return { ...s, annotations: { ...s.annotations, [PARALLEL_OUTLINE]: this.count++, [PARALLEL_CAPTURES]: captures } };
  }
}

/** The pass for a target running `threads` threads (1: leaves every loop serial). */
export function outlineParallelPass(threads: number): Pass {
  return {
    name: 'wasm.outlineParallel',
    run: (f: PrimFunc): PrimFunc => {
      if (threads <= 1) return f;
      const body = new Outliner().mutateStmt(f.body);
      return body === f.body ? f : { ...f, body };
    },
  };
}
