// tir/passes/ir_query.ts — fast IR queries for the passes' hot paths ("does this use that
// variable", "which Selects are in here"). The "uses" queries are plain recursive walks because
// they stop at the first hit, which the visitor cannot; forEachSelect visits every node anyway,
// so it is a pre-order StmtExprVisitor.

import { select, type IterVar, type PrimExpr, type Select, type Stmt, type Var } from '../nodes.js';
import { StmtExprVisitor } from '../functor.js';

/** Whether `e` uses a variable for which `hit` is true. */
export function exprUses(e: PrimExpr, hit: (v: Var) => boolean): boolean {
  switch (e.kind) {
    case 'IntImm':
    case 'FloatImm':
      return false;
    case 'Var':
      return hit(e);
    case 'BinaryOp':
    case 'CompareOp':
    case 'LogicalOp':
      return exprUses(e.a, hit) || exprUses(e.b, hit);
    case 'Not':
      return exprUses(e.a, hit);
    case 'Select':
      return exprUses(e.condition, hit) || exprUses(e.trueValue, hit) || exprUses(e.falseValue, hit);
    case 'Cast':
    case 'Broadcast':
      return exprUses(e.value, hit);
    case 'Call':
      return e.args.some((a) => exprUses(a, hit));
    case 'Ramp':
      return exprUses(e.base, hit) || exprUses(e.stride, hit);
    case 'Let':
      return exprUses(e.value, hit) || exprUses(e.body, hit);
    case 'BufferLoad':
    case 'ProducerLoad':
      return e.indices.some((i) => exprUses(i, hit));
    case 'Reduce':
      return exprUses(e.source, hit) || exprUses(e.condition, hit) ||
        e.axis.some((a) => exprUses(a.dom.min, hit) || exprUses(a.dom.extent, hit));
  }
}

/** Whether `s` uses `v` anywhere (loop bounds, values, indices, conditions, allocation shapes). */
export function stmtUsesVar(s: Stmt, v: Var): boolean {
  const hit = (x: Var): boolean => x === v;
  const walk = (st: Stmt): boolean => {
    switch (st.kind) {
      case 'For':
        return exprUses(st.min, hit) || exprUses(st.extent, hit) || walk(st.body);
      case 'LetStmt':
        return exprUses(st.value, hit) || walk(st.body);
      case 'IfThenElse':
        return exprUses(st.condition, hit) || walk(st.thenCase) || (st.elseCase !== undefined && walk(st.elseCase));
      case 'SeqStmt':
        return st.seq.some(walk);
      case 'BufferStore':
        return exprUses(st.value, hit) || st.indices.some((i) => exprUses(i, hit));
      case 'Allocate':
        return st.buffer.shape.some((d) => exprUses(d, hit)) || walk(st.body);
      case 'Evaluate':
        return exprUses(st.value, hit);
    }
  };
  return walk(s);
}

/** A pre-order visitor: each Select is reported before the Selects nested inside it. */
class SelectVisitor extends StmtExprVisitor {
  constructor(private readonly fn: (s: Select) => void) {
    super();
  }

  override visitExpr(e: PrimExpr): void {
    if (e.kind === 'Select') this.fn(e);
    // A lazy tir.if_then_else guards its arms the same way.
    else if (e.kind === 'Call' && e.op === 'tir.if_then_else') this.fn(select(e.args[0]!, e.args[1]!, e.args[2]!));
    super.visitExpr(e);
  }

  // Reduce axis domains are loop bounds, not values: their Selects (if any) are not reported.
  override visitIterVar(_iv: IterVar): void {}
}

/** Calls `fn` on every Select in `e` (outermost first); a tir.if_then_else is reported as a Select. */
export function forEachSelect(e: PrimExpr, fn: (s: Select) => void): void {
  new SelectVisitor(fn).visitExpr(e);
}
