// tir/functor.ts — the one visitor and the one mutator for TIR; passes extend these.
// The mutator rebuilds a node only when a child changed, so unchanged subtrees keep identity.

import {
  assertNever,
  type Buffer, type For, type IterVar, type PrimExpr, type PrimFunc, type Stmt, type Var,
} from './nodes.js';

/** Walks every expression and statement in evaluation order; override hooks to observe. */
export class StmtExprVisitor {
  visitExpr(e: PrimExpr): void {
    switch (e.kind) {
      case 'IntImm':
      case 'FloatImm':
      case 'Var':
        return;
      case 'BinaryOp':
      case 'CompareOp':
      case 'LogicalOp':
        this.visitExpr(e.a);
        this.visitExpr(e.b);
        return;
      case 'Not':
        this.visitExpr(e.a);
        return;
      case 'Select':
        this.visitExpr(e.condition);
        this.visitExpr(e.trueValue);
        this.visitExpr(e.falseValue);
        return;
      case 'Cast':
        this.visitExpr(e.value);
        return;
      case 'Call':
        for (const a of e.args) this.visitExpr(a);
        return;
      case 'Ramp':
        this.visitExpr(e.base);
        this.visitExpr(e.stride);
        return;
      case 'Broadcast':
        this.visitExpr(e.value);
        return;
      case 'Let':
        this.visitExpr(e.value);
        this.visitExpr(e.body);
        return;
      case 'BufferLoad':
        this.visitBufferAccess(e.buffer);
        for (const i of e.indices) this.visitExpr(i);
        return;
      case 'ProducerLoad':
        for (const i of e.indices) this.visitExpr(i);
        return;
      case 'Reduce':
        for (const a of e.axis) this.visitIterVar(a);
        this.visitExpr(e.source);
        this.visitExpr(e.condition);
        return;
      default:
        assertNever(e, 'expression');
    }
  }

  visitIterVar(iv: IterVar): void {
    this.visitExpr(iv.dom.min);
    this.visitExpr(iv.dom.extent);
  }

  /** Called for every buffer a load, store or allocate touches. */
  visitBufferAccess(_buffer: Buffer): void {}

  visitStmt(s: Stmt): void {
    switch (s.kind) {
      case 'For':
        this.visitExpr(s.min);
        this.visitExpr(s.extent);
        this.visitStmt(s.body);
        return;
      case 'LetStmt':
        this.visitExpr(s.value);
        this.visitStmt(s.body);
        return;
      case 'IfThenElse':
        this.visitExpr(s.condition);
        this.visitStmt(s.thenCase);
        if (s.elseCase) this.visitStmt(s.elseCase);
        return;
      case 'SeqStmt':
        for (const c of s.seq) this.visitStmt(c);
        return;
      case 'BufferStore':
        this.visitBufferAccess(s.buffer);
        this.visitExpr(s.value);
        for (const i of s.indices) this.visitExpr(i);
        return;
      case 'Allocate':
        this.visitBufferAccess(s.buffer);
        this.visitStmt(s.body);
        return;
      case 'Evaluate':
        this.visitExpr(s.value);
        return;
      default:
        assertNever(s, 'statement');
    }
  }
}

function sameArray<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Rebuilds IR bottom-up. Override `mutateExpr`/`mutateStmt` (call super for the default
 * recursion) to rewrite nodes. Nodes are rebuilt with spread so their checked invariants
 * (dtypes, arity) are preserved by construction of the children; a subclass that changes a
 * dtype must rebuild the parent through the factories in nodes.ts.
 */
export class StmtExprMutator {
  mutateExpr(e: PrimExpr): PrimExpr {
    switch (e.kind) {
      case 'IntImm':
      case 'FloatImm':
      case 'Var':
        return e;
      case 'BinaryOp':
      case 'CompareOp':
      case 'LogicalOp': {
        const a = this.mutateExpr(e.a);
        const b = this.mutateExpr(e.b);
        return a === e.a && b === e.b ? e : { ...e, a, b };
      }
      case 'Not': {
        const a = this.mutateExpr(e.a);
        return a === e.a ? e : { ...e, a };
      }
      case 'Select': {
        const condition = this.mutateExpr(e.condition);
        const trueValue = this.mutateExpr(e.trueValue);
        const falseValue = this.mutateExpr(e.falseValue);
        return condition === e.condition && trueValue === e.trueValue && falseValue === e.falseValue
          ? e : { ...e, condition, trueValue, falseValue };
      }
      case 'Cast': {
        const value = this.mutateExpr(e.value);
        return value === e.value ? e : { ...e, value };
      }
      case 'Call': {
        const args = e.args.map((a) => this.mutateExpr(a));
        return sameArray(args, e.args) ? e : { ...e, args };
      }
      case 'Ramp': {
        const base = this.mutateExpr(e.base);
        const stride = this.mutateExpr(e.stride);
        return base === e.base && stride === e.stride ? e : { ...e, base, stride };
      }
      case 'Broadcast': {
        const value = this.mutateExpr(e.value);
        return value === e.value ? e : { ...e, value };
      }
      case 'Let': {
        const value = this.mutateExpr(e.value);
        const body = this.mutateExpr(e.body);
        return value === e.value && body === e.body ? e : { ...e, value, body };
      }
      case 'BufferLoad': {
        const buffer = this.mutateBuffer(e.buffer);
        const indices = e.indices.map((i) => this.mutateExpr(i));
        return buffer === e.buffer && sameArray(indices, e.indices) ? e : { ...e, buffer, indices };
      }
      case 'ProducerLoad': {
        const indices = e.indices.map((i) => this.mutateExpr(i));
        return sameArray(indices, e.indices) ? e : { ...e, indices };
      }
      case 'Reduce': {
        const source = this.mutateExpr(e.source);
        const condition = this.mutateExpr(e.condition);
        return source === e.source && condition === e.condition ? e : { ...e, source, condition };
      }
      default:
        return assertNever(e, 'expression');
    }
  }

  /** Maps a buffer a load, store or allocate refers to (identity by default). */
  mutateBuffer(buffer: Buffer): Buffer {
    return buffer;
  }

  mutateStmt(s: Stmt): Stmt {
    switch (s.kind) {
      case 'For': {
        const min = this.mutateExpr(s.min);
        const extent = this.mutateExpr(s.extent);
        const body = this.mutateStmt(s.body);
        return min === s.min && extent === s.extent && body === s.body ? s : { ...s, min, extent, body };
      }
      case 'LetStmt': {
        const value = this.mutateExpr(s.value);
        const body = this.mutateStmt(s.body);
        return value === s.value && body === s.body ? s : { ...s, value, body };
      }
      case 'IfThenElse': {
        const condition = this.mutateExpr(s.condition);
        const thenCase = this.mutateStmt(s.thenCase);
        const elseCase = s.elseCase ? this.mutateStmt(s.elseCase) : undefined;
        if (condition === s.condition && thenCase === s.thenCase && elseCase === s.elseCase) return s;
        return elseCase ? { ...s, condition, thenCase, elseCase } : { kind: 'IfThenElse', condition, thenCase };
      }
      case 'SeqStmt': {
        const stmts = s.seq.map((c) => this.mutateStmt(c));
        if (sameArray(stmts, s.seq)) return s;
        // Re-flatten: a child may have become a SeqStmt itself.
        const flat: Stmt[] = [];
        for (const c of stmts) {
          if (c.kind === 'SeqStmt') flat.push(...c.seq);
          else flat.push(c);
        }
        return flat.length === 1 ? flat[0]! : { kind: 'SeqStmt', seq: flat };
      }
      case 'BufferStore': {
        const buffer = this.mutateBuffer(s.buffer);
        const value = this.mutateExpr(s.value);
        const indices = s.indices.map((i) => this.mutateExpr(i));
        return buffer === s.buffer && value === s.value && sameArray(indices, s.indices) ? s : { ...s, buffer, value, indices };
      }
      case 'Allocate': {
        const buffer = this.mutateBuffer(s.buffer);
        const body = this.mutateStmt(s.body);
        return buffer === s.buffer && body === s.body ? s : { ...s, buffer, body };
      }
      case 'Evaluate': {
        const value = this.mutateExpr(s.value);
        return value === s.value ? s : { ...s, value };
      }
      default:
        return assertNever(s, 'statement');
    }
  }
}

/** Replaces variables (by identity) with expressions throughout an expression or statement. */
class Substituter extends StmtExprMutator {
  constructor(private readonly map: ReadonlyMap<Var, PrimExpr>) {
    super();
  }
  override mutateExpr(e: PrimExpr): PrimExpr {
    if (e.kind === 'Var') return this.map.get(e) ?? e;
    return super.mutateExpr(e);
  }
}

export function substituteExpr(e: PrimExpr, map: ReadonlyMap<Var, PrimExpr>): PrimExpr {
  return map.size === 0 ? e : new Substituter(map).mutateExpr(e);
}

export function substituteStmt(s: Stmt, map: ReadonlyMap<Var, PrimExpr>): Stmt {
  return map.size === 0 ? s : new Substituter(map).mutateStmt(s);
}

/** Calls `fn` on every expression node (post-order) under a statement or expression. */
export function postOrderVisitExpr(root: PrimExpr | Stmt, fn: (e: PrimExpr) => void): void {
  class V extends StmtExprVisitor {
    override visitExpr(e: PrimExpr): void {
      super.visitExpr(e);
      fn(e);
    }
  }
  const v = new V();
  if (isStmt(root)) v.visitStmt(root);
  else v.visitExpr(root);
}

/** The variables an expression or statement uses (free or bound). */
export function usedVars(root: PrimExpr | Stmt): Set<Var> {
  const out = new Set<Var>();
  postOrderVisitExpr(root, (e) => {
    if (e.kind === 'Var') out.add(e);
  });
  return out;
}

const STMT_KINDS = new Set(['For', 'LetStmt', 'IfThenElse', 'SeqStmt', 'BufferStore', 'Allocate', 'Evaluate']);
export function isStmt(n: PrimExpr | Stmt): n is Stmt {
  return STMT_KINDS.has(n.kind);
}

/** Applies a statement rewrite to a PrimFunc's body, keeping the function when nothing changed. */
export function mapBody(f: PrimFunc, fn: (body: Stmt) => Stmt): PrimFunc {
  const body = fn(f.body);
  return body === f.body ? f : { ...f, body };
}

/** Collects the For loops of a statement in pre-order (outermost first). */
export function collectLoops(s: Stmt): For[] {
  const loops: For[] = [];
  class V extends StmtExprVisitor {
    override visitStmt(st: Stmt): void {
      if (st.kind === 'For') loops.push(st);
      super.visitStmt(st);
    }
  }
  new V().visitStmt(s);
  return loops;
}


