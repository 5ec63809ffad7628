// codegen/wasm/hoist_invariants.ts — wasm.hoistInvariants: loop-invariant code motion of integer
// index arithmetic and guard conditions (LLVM's LICM, which TVM's CPU backends rely on; binaryen does
// not hoist out of loops and V8's TurboFan does not either). A fused parallel loop's `fused // 112` and
// `fused % 112`, recomputed for every load of every inner iteration, become one let at the top of the
// loop whose variable they use; the invariant terms of an address sum `h + ry·112 + ow·8 + c` are
// summed once per level, and a padded read's row guard `ry + row ≥ 1 && …` once per row.

import { StmtExprMutator } from '../../tir/functor.js';
import {
  add, and, elementType, ifThenElse, isBool, lanesOf, letStmt, sub, variable,
  type Buffer, type For, type PrimExpr, type PrimFunc, type Stmt, type Var,
} from '../../tir/nodes.js';
import type { Pass } from '../../tir/pass_context.js';
import { exprKey } from '../../tir/arith/linear.js';

/** Free variables of a pure scalar int/bool expression, or null when it is impure or not scalar int/bool. */
function pureVars(e: PrimExpr, memo: WeakMap<PrimExpr, Set<Var> | null>): Set<Var> | null {
  const hit = memo.get(e);
  if (hit !== undefined) return hit;
  let out: Set<Var> | null = null;
  const scalar = lanesOf(e.dtype) === 1 && (elementType(e.dtype) === 'int32' || isBool(e.dtype));
  if (scalar) {
    switch (e.kind) {
      case 'IntImm': out = new Set(); break;
      case 'Var': out = new Set([e]); break;
      case 'BinaryOp': {
        // Division only by a positive constant: never traps (no 0, no INT_MIN / -1) wherever it is evaluated.
        if ((e.op === 'div' || e.op === 'mod' || e.op === 'floordiv' || e.op === 'floormod') && !(e.b.kind === 'IntImm' && e.b.value > 0)) break;
        out = union(pureVars(e.a, memo), pureVars(e.b, memo));
        break;
      }
      case 'CompareOp':
        // Compares of int scalars only (a float compare reads float operands).
        if (lanesOf(e.a.dtype) === 1 && elementType(e.a.dtype) === 'int32') out = union(pureVars(e.a, memo), pureVars(e.b, memo));
        break;
      case 'LogicalOp': out = union(pureVars(e.a, memo), pureVars(e.b, memo)); break;
      case 'Not': out = pureVars(e.a, memo); break;
      case 'Select': out = union(union(pureVars(e.condition, memo), pureVars(e.trueValue, memo)), pureVars(e.falseValue, memo)); break;
      default: break;
    }
  }
  memo.set(e, out);
  return out;
}

function union(a: Set<Var> | null, b: Set<Var> | null): Set<Var> | null {
  if (a === null || b === null) return null;
  if (b.size === 0) return a;
  if (a.size === 0) return b;
  return new Set([...a, ...b]);
}

function hasDivision(e: PrimExpr): boolean {
  switch (e.kind) {
    case 'BinaryOp': return e.op === 'div' || e.op === 'mod' || e.op === 'floordiv' || e.op === 'floormod' || hasDivision(e.a) || hasDivision(e.b);
    case 'CompareOp': case 'LogicalOp': return hasDivision(e.a) || hasDivision(e.b);
    case 'Not': return hasDivision(e.a);
    case 'Select': return hasDivision(e.condition) || hasDivision(e.trueValue) || hasDivision(e.falseValue);
    default: return false;
  }
}

/** Variables bound inside a statement: loop, let and let-expression variables. */
function boundIn(s: Stmt): Set<Var> {
  const out = new Set<Var>();
  class V extends StmtExprMutator {
    override mutateStmt(st: Stmt): Stmt {
      if (st.kind === 'For') out.add(st.loopVar);
      if (st.kind === 'LetStmt') out.add(st.variable);
      return super.mutateStmt(st);
    }
    override mutateExpr(e: PrimExpr): PrimExpr {
      if (e.kind === 'Let') out.add(e.variable);
      return super.mutateExpr(e);
    }
  }
  new V().mutateStmt(s);
  return out;
}

/** Signed terms of a scalar int32 add/sub chain. */
function flatten(e: PrimExpr, sign: 1 | -1, out: { e: PrimExpr; sign: 1 | -1 }[]): void {
  if (e.kind === 'BinaryOp' && (e.op === 'add' || e.op === 'sub') && lanesOf(e.dtype) === 1) {
    flatten(e.a, sign, out);
    flatten(e.b, e.op === 'add' ? sign : (-sign as 1 | -1), out);
    return;
  }
  out.push({ e, sign });
}

function isAddChain(e: PrimExpr): boolean {
  return e.kind === 'BinaryOp' && (e.op === 'add' || e.op === 'sub') && lanesOf(e.dtype) === 1 && elementType(e.dtype) === 'int32';
}

/**
 * Rewrites one loop body: pure scalar int/bool subexpressions that use no variable bound inside the
 * body become let variables at its top. Inside a nested loop any non-trivial one is hoisted (it would
 * run every inner iteration); outside one, only those holding a division (CSE of `fused // c`).
 */
class LevelHoister extends StmtExprMutator {
  /** Hoisted values; `inLoop`: used inside a nested loop (worth unswitching on, for a bool). */
  readonly lets: { v: Var; value: PrimExpr; inLoop: boolean }[] = [];
  private readonly byKey = new Map<string, Var>();
  private depth = 0;

  constructor(
    private readonly bound: ReadonlySet<Var>,
    private readonly memo: WeakMap<PrimExpr, Set<Var> | null>,
    private readonly localBuffers: ReadonlySet<Buffer>,
  ) {
    super();
  }

  private invariant(e: PrimExpr): boolean {
    const vs = pureVars(e, this.memo);
    if (vs === null) return false;
    for (const v of vs) if (this.bound.has(v)) return false;
    return true;
  }

  private worth(e: PrimExpr): boolean {
    if (e.kind === 'IntImm' || e.kind === 'Var') return false;
    return this.depth > 0 || hasDivision(e);
  }

  private hoist(e: PrimExpr): Var {
    const key = exprKey(e);
    const hit = this.byKey.get(key);
    if (hit) {
      if (this.depth > 0) this.lets.find((l) => l.v === hit)!.inLoop = true;
      return hit;
    }
    const v = variable(`inv${this.lets.length}`, e.dtype);
    this.lets.push({ v, value: e, inLoop: this.depth > 0 });
    this.byKey.set(key, v);
    return v;
  }

  override mutateStmt(s: Stmt): Stmt {
    if (s.kind === 'For') {
      this.depth++;
      const r = super.mutateStmt(s);
      this.depth--;
      return r;
    }
    if (s.kind === 'BufferStore' && this.localBuffers.has(s.buffer)) {
      // Promoted locals need constant indices: leave their index expressions alone.
      const value = this.mutateExpr(s.value);
      return value === s.value ? s : { ...s, value };
    }
    return super.mutateStmt(s);
  }

  override mutateExpr(e: PrimExpr): PrimExpr {
    if (e.kind === 'BufferLoad' && this.localBuffers.has(e.buffer)) return e;
    if (isAddChain(e)) return this.chain(e);
    if (lanesOf(e.dtype) === 1 && this.worth(e) && this.invariant(e)) return this.hoist(e);
    return super.mutateExpr(e);
  }

  /** An add/sub chain: its invariant terms summed once (hoisted), the others rewritten, the constant last. */
  private chain(e: PrimExpr): PrimExpr {
    const terms: { e: PrimExpr; sign: 1 | -1 }[] = [];
    flatten(e, 1, terms);
    let c = 0;
    const inv: { e: PrimExpr; sign: 1 | -1 }[] = [];
    const rest: { e: PrimExpr; sign: 1 | -1 }[] = [];
    for (const t of terms) {
      if (t.e.kind === 'IntImm') c = (c + t.sign * t.e.value) | 0;
      else if (this.invariant(t.e)) inv.push(t);
      else rest.push(t);
    }
    const hoistable = inv.length >= 2 || (inv.length === 1 && inv[0]!.e.kind !== 'Var');
    const invSum = hoistable ? sumOf(inv.sort((a, b) => (exprKey(a.e) < exprKey(b.e) ? -1 : 1))) : undefined;
    let out: PrimExpr | undefined;
    if (invSum && this.worth(invSum)) out = this.hoist(invSum);
    else rest.unshift(...inv);
    for (const t of rest) {
      const x = this.mutateExpr(t.e);
      out = out === undefined ? (t.sign === 1 ? x : sub(intImm0(), x)) : t.sign === 1 ? add(out, x) : sub(out, x);
    }
    if (out === undefined) return e; // only constants (not simplified): leave it
    if (c > 0) out = add(out, imm(c));
    else if (c < 0) out = sub(out, imm(-c));
    return out;
  }
}

function imm(v: number): PrimExpr {
  return { kind: 'IntImm', dtype: 'int32', value: v | 0 };
}
function intImm0(): PrimExpr {
  return imm(0);
}

function sumOf(ts: readonly { e: PrimExpr; sign: 1 | -1 }[]): PrimExpr {
  let out: PrimExpr | undefined;
  for (const t of ts) out = out === undefined ? (t.sign === 1 ? t.e : sub(intImm0(), t.e)) : t.sign === 1 ? add(out, t.e) : sub(out, t.e);
  return out!;
}

/**
 * Folds what substituting `true` for a guard leaves: `true && x` → x, `if_then_else(true, a, b)` → a,
 * `select(true, a, b)` → a (scalar or broadcast conditions), `if (true) s` → s.
 */
class TrueFolder extends StmtExprMutator {
  constructor(private readonly truths: ReadonlySet<Var>) {
    super();
  }

  private isTrue(e: PrimExpr): boolean {
    if (e.kind === 'Var') return this.truths.has(e);
    if (e.kind === 'IntImm') return isBool(e.dtype) && e.value !== 0;
    if (e.kind === 'Broadcast') return this.isTrue(e.value);
    return false;
  }

  override mutateExpr(e: PrimExpr): PrimExpr {
    const x = super.mutateExpr(e);
    if (x.kind === 'LogicalOp' && x.op === 'and') {
      if (this.isTrue(x.a) && lanesOf(x.b.dtype) === lanesOf(x.dtype)) return x.b;
      if (this.isTrue(x.b) && lanesOf(x.a.dtype) === lanesOf(x.dtype)) return x.a;
    }
    if (x.kind === 'Call' && x.op === 'tir.if_then_else' && this.isTrue(x.args[0]!)) return x.args[1]!;
    if (x.kind === 'Select' && this.isTrue(x.condition)) return x.trueValue;
    return x;
  }

  override mutateStmt(s: Stmt): Stmt {
    const x = super.mutateStmt(s);
    if (x.kind === 'IfThenElse' && this.isTrue(x.condition)) return x.thenCase;
    return x;
  }
}

/** At most this many statements of a loop body are copied by unswitching (code size). */
const MAX_UNSWITCH_LETS = 12;

/**
 * Loop unswitching on the hoisted guards (LLVM's loop-unswitch): a body whose inner loops test
 * invariant conditions (a padded read's row guard, a tile's bounds check) becomes
 * `if (all guards) <body with them folded true> else <body>`, so the interior rows run without them.
 */
function unswitch(body: Stmt, guards: readonly Var[]): Stmt {
  if (guards.length === 0 || guards.length > MAX_UNSWITCH_LETS) return body;
  const fast = new TrueFolder(new Set(guards)).mutateStmt(body);
  if (fast === body) return body;
  let cond: PrimExpr = guards[0]!;
  for (const g of guards.slice(1)) cond = and(cond, g);
  return ifThenElse(cond, fast, body);
}

/** Applies LevelHoister to every serial/parallel loop's body, outermost first (unrolled loops are left to the codegen). */
class Hoister extends StmtExprMutator {
  private readonly memo = new WeakMap<PrimExpr, Set<Var> | null>();

  constructor(private readonly localBuffers: ReadonlySet<Buffer>) {
    super();
  }

  override mutateStmt(s: Stmt): Stmt {
    if (s.kind !== 'For' || s.forKind === 'unrolled') return super.mutateStmt(s);
    const level = new LevelHoister(boundIn(s.body), this.memo, this.localBuffers);
    const rewritten = level.mutateStmt(s.body);
    const guards = level.lets.filter((l) => isBool(l.value.dtype) && l.inLoop).map((l) => l.v);
    let body = this.mutateStmt(unswitch(rewritten, guards));
    for (let i = level.lets.length - 1; i >= 0; i--) body = letStmt(level.lets[i]!.v, level.lets[i]!.value, body);
    return body === s.body ? s : { ...s, body } as For;
  }
}

/** The pass (before wasm.outlineParallel: the lets sit inside the loops, so an outlined body computes its own). */
export function hoistInvariantsPass(): Pass {
  return {
    name: 'wasm.hoistInvariants',
    run: (f: PrimFunc): PrimFunc => {
      const locals = new Set<Buffer>();
      class A extends StmtExprMutator {
        override mutateStmt(st: Stmt): Stmt {
          if (st.kind === 'Allocate' && st.buffer.scope !== 'global') locals.add(st.buffer);
          return super.mutateStmt(st);
        }
      }
      new A().mutateStmt(f.body);
      const body = new Hoister(locals).mutateStmt(f.body);
      return body === f.body ? f : { ...f, body };
    },
  };
}
