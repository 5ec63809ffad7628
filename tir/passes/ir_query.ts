// tir/passes/ir_query.ts — fast IR queries for the passes' hot paths ("does this use that
// variable", "which Selects are in here"): plain recursive walks that allocate nothing.

import type { PrimExpr, Select, Stmt, Var } from '../nodes.js';

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

/** Calls `fn` on every Select in `e` (outermost first). */
export function forEachSelect(e: PrimExpr, fn: (s: Select) => void): void {
  switch (e.kind) {
    case 'IntImm':
    case 'FloatImm':
    case 'Var':
      return;
    case 'BinaryOp':
    case 'CompareOp':
    case 'LogicalOp':
      forEachSelect(e.a, fn);
      forEachSelect(e.b, fn);
      return;
    case 'Not':
      forEachSelect(e.a, fn);
      return;
    case 'Select':
      fn(e);
      forEachSelect(e.condition, fn);
      forEachSelect(e.trueValue, fn);
      forEachSelect(e.falseValue, fn);
      return;
    case 'Cast':
    case 'Broadcast':
      forEachSelect(e.value, fn);
      return;
    case 'Call':
      for (const a of e.args) forEachSelect(a, fn);
      return;
    case 'Ramp':
      forEachSelect(e.base, fn);
      forEachSelect(e.stride, fn);
      return;
    case 'Let':
      forEachSelect(e.value, fn);
      forEachSelect(e.body, fn);
      return;
    case 'BufferLoad':
    case 'ProducerLoad':
      for (const i of e.indices) forEachSelect(i, fn);
      return;
    case 'Reduce':
      forEachSelect(e.source, fn);
      forEachSelect(e.condition, fn);
      return;
  }
}
