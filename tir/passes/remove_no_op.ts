// tir/passes/remove_no_op.ts — deletes statements that do nothing: Evaluate of a pure value,
// empty loops and branches, if(false), stores of a location to itself, unused allocations.

import { mapBody, postOrderVisitExpr, StmtExprVisitor } from '../functor.js';
import { stmtUsesVar } from './ir_query.js';
import { evaluate, forLoop, ifThenElse, noOp, not, seq, type Buffer, type PrimExpr, type PrimFunc, type Stmt } from '../nodes.js';
import { sameExpr } from '../arith/linear.js';

/** The no-op statement: Evaluate of a constant (`noOp()` is Evaluate(0)). The one test passes and the WGSL kernel split use. */
export function isNoOp(s: Stmt): boolean {
  return s.kind === 'Evaluate' && (s.value.kind === 'IntImm' || s.value.kind === 'FloatImm');
}

/** An expression with no effect when evaluated (no barrier calls). */
function isPure(e: PrimExpr): boolean {
  let pure = true;
  postOrderVisitExpr(e, (x) => {
    if (x.kind === 'Call' && x.op === 'tir.storage_sync') pure = false;
  });
  return pure;
}

function usesBuffer(s: Stmt, b: Buffer): boolean {
  let found = false;
  class V extends StmtExprVisitor {
    override visitBufferAccess(x: Buffer): void {
      if (x.id === b.id) found = true;
    }
  }
  new V().visitStmt(s);
  return found;
}

function removeNoOpStmt(s: Stmt): Stmt {
  switch (s.kind) {
    case 'Evaluate':
      return !isNoOp(s) && isPure(s.value) ? noOp() : s;
    case 'SeqStmt': {
      const kids = s.seq.map(removeNoOpStmt).filter((k) => !isNoOp(k));
      if (kids.length === s.seq.length && kids.every((k, i) => k === s.seq[i])) return s;
      return kids.length === 0 ? noOp() : seq(kids);
    }
    case 'For': {
      if (s.extent.kind === 'IntImm' && s.extent.value <= 0) return noOp();
      const body = removeNoOpStmt(s.body);
      if (isNoOp(body)) return noOp();
      return body === s.body ? s : forLoop(s.loopVar, s.min, s.extent, s.forKind, body, { threadTag: s.threadTag, annotations: s.annotations });
    }
    case 'IfThenElse': {
      const c = s.condition;
      if (c.kind === 'IntImm') return removeNoOpStmt(c.value ? s.thenCase : s.elseCase ?? noOp());
      const thenCase = removeNoOpStmt(s.thenCase);
      const elseCase = s.elseCase ? removeNoOpStmt(s.elseCase) : undefined;
      const elseEmpty = !elseCase || isNoOp(elseCase);
      if (isNoOp(thenCase) && elseEmpty) return isPure(c) ? noOp() : s;
      if (isNoOp(thenCase)) return ifThenElse(not(c), elseCase!);
      if (elseEmpty) return thenCase === s.thenCase && !s.elseCase ? s : ifThenElse(c, thenCase);
      return thenCase === s.thenCase && elseCase === s.elseCase ? s : ifThenElse(c, thenCase, elseCase);
    }
    case 'LetStmt': {
      const body = removeNoOpStmt(s.body);
      // As TVM's RemoveNoOp (MakeEvaluate): a value with an effect (a barrier) stays as an Evaluate.
      if (isNoOp(body)) return isPure(s.value) ? noOp() : evaluate(s.value);
      if (!stmtUsesVar(body, s.variable) && isPure(s.value)) return body;
      return body === s.body ? s : { ...s, body };
    }
    case 'Allocate': {
      const body = removeNoOpStmt(s.body);
      if (isNoOp(body) || !usesBuffer(body, s.buffer)) return body;
      return body === s.body ? s : { ...s, body };
    }
    case 'BufferStore': {
      const v = s.value;
      // x[i] = x[i]
      if (v.kind === 'BufferLoad' && v.buffer.id === s.buffer.id && v.indices.length === s.indices.length &&
        v.indices.every((ix, k) => sameExpr(ix, s.indices[k]!))) return noOp();
      return s;
    }
  }
}

export function removeNoOp(f: PrimFunc): PrimFunc {
  return mapBody(f, removeNoOpStmt);
}
