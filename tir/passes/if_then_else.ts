// tir/passes/if_then_else.ts — the eager form of the lazy `tir.if_then_else`, for the places that
// must evaluate both arms: a per-lane (vector) condition, and WGSL (which has no lazy conditional
// expression). Every load in both arms has its indices clamped into its buffer, so the arm not
// taken reads some element in bounds instead of out of bounds; the taken arm is unchanged, since a
// correct program reads in bounds there. (TVM scalarizes such loops instead; clamping keeps them
// vector code.)

import { StmtExprMutator } from '../functor.js';
import {
  binary, broadcast, bufferLoad, intImm, lanesOf, select,
  type BufferLoad, type Call, type PrimExpr, type Select,
} from '../nodes.js';

/** Whether `e` is a `tir.if_then_else` call. */
export function isIfThenElse(e: PrimExpr): boolean {
  return e.kind === 'Call' && e.op === 'tir.if_then_else';
}

/** `max(min(index, extent - 1), 0)`, at the index's lane count. */
function clampIndex(index: PrimExpr, extent: PrimExpr): PrimExpr {
  const lanes = lanesOf(index.dtype);
  const widen = (x: PrimExpr): PrimExpr => (lanes === 1 ? x : broadcast(x, lanes));
  const last = extent.kind === 'IntImm' ? intImm(extent.value - 1) : binary('sub', extent, intImm(1));
  return binary('max', binary('min', index, widen(last)), widen(intImm(0)));
}

class LoadClamper extends StmtExprMutator {
  override mutateExpr(e: PrimExpr): PrimExpr {
    const m = super.mutateExpr(e);
    if (m.kind !== 'BufferLoad') return m;
    const load = m as BufferLoad;
    return bufferLoad(load.buffer, load.indices.map((ix, d) => clampIndex(ix, load.buffer.shape[d]!)));
  }
}

/** `e` with the indices of every load in it (nested loads included) clamped into their buffer. */
export function clampLoads(e: PrimExpr): PrimExpr {
  return new LoadClamper().mutateExpr(e);
}

/** `select(cond, then', else')` where then'/else' are the arms with clamped loads (see the file comment). */
export function ifThenElseAsSelect(e: Call): Select {
  if (!isIfThenElse(e)) throw new TypeError(`ifThenElseAsSelect: expected tir.if_then_else, got ${e.op}`);
  const [c, t, f] = e.args as [PrimExpr, PrimExpr, PrimExpr];
  const lanes = lanesOf(e.dtype);
  const wide = (x: PrimExpr): PrimExpr => (lanes > 1 && lanesOf(x.dtype) === 1 ? broadcast(x, lanes) : x);
  return select(c, wide(clampLoads(t)), wide(clampLoads(f)));
}
