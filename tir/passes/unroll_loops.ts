// tir/passes/unroll_loops.ts — replaces unrolled loops by copies of their body, one per
// iteration: loops marked `unrolled`, and under a `pragma_auto_unroll_max_step` annotation the
// serial loops whose total step count (stores executed) stays within the step limit.

import { mapBody, substituteStmt } from '../functor.js';
import { add, forLoop, ifThenElse, intImm, noOp, seq, type Annotations, type For, type PrimExpr, type PrimFunc, type Stmt } from '../nodes.js';

export const AUTO_UNROLL_PRAGMA = 'pragma_auto_unroll_max_step';

/** A loop's body copied once per iteration, the loop variable replaced by its value. */
export function unrollLoop(loop: For): Stmt {
  const n = loop.extent.kind === 'IntImm' ? loop.extent.value : undefined;
  if (n === undefined) throw new TypeError(`unrollLoop ${loop.loopVar.name}: extent is not a constant`);
  const copies: Stmt[] = [];
  for (let k = 0; k < n; k++) {
    const value: PrimExpr = loop.min.kind === 'IntImm' ? intImm(loop.min.value + k) : add(loop.min, intImm(k));
    copies.push(substituteStmt(loop.body, new Map([[loop.loopVar, value]])));
  }
  return copies.length ? seq(copies) : noOp();
}

interface Result {
  readonly stmt: Stmt;
  /** Stores one execution performs (loops multiply, sequences add). */
  readonly steps: number;
  /** Whether a loop that stays a loop is inside: loops around it are not auto-unrolled. */
  readonly hasLoop: boolean;
}

function withoutPragma(a: Annotations): Annotations {
  const rest: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(a)) if (k !== AUTO_UNROLL_PRAGMA) rest[k] = v;
  return rest;
}

class Unroller {
  /** The innermost enclosing auto-unroll step limit (0 when none). */
  private maxStep = 0;

  visit(s: Stmt): Result {
    switch (s.kind) {
      case 'For':
        return this.forLoop(s);
      case 'SeqStmt': {
        const kids = s.seq.map((c) => this.visit(c));
        const same = kids.every((k, i) => k.stmt === s.seq[i]);
        return {
          stmt: same ? s : seq(kids.map((k) => k.stmt)),
          steps: kids.reduce((p, k) => p + k.steps, 0),
          hasLoop: kids.some((k) => k.hasLoop),
        };
      }
      case 'IfThenElse': {
        const t = this.visit(s.thenCase);
        const e = s.elseCase ? this.visit(s.elseCase) : undefined;
        const same = t.stmt === s.thenCase && e?.stmt === s.elseCase;
        const stmt: Stmt = same ? s : ifThenElse(s.condition, t.stmt, e?.stmt);
        return { stmt, steps: Math.max(t.steps, e?.steps ?? 0), hasLoop: t.hasLoop || (e?.hasLoop ?? false) };
      }
      case 'LetStmt':
      case 'Allocate': {
        const b = this.visit(s.body);
        return { stmt: b.stmt === s.body ? s : { ...s, body: b.stmt }, steps: b.steps, hasLoop: b.hasLoop };
      }
      case 'BufferStore':
        return { stmt: s, steps: 1, hasLoop: false };
      case 'Evaluate':
        return { stmt: s, steps: 0, hasLoop: false };
    }
  }

  private forLoop(s: For): Result {
    const pragma = s.annotations[AUTO_UNROLL_PRAGMA];
    const outerStep = this.maxStep;
    if (pragma !== undefined) {
      const step = Number(pragma);
      if (!Number.isInteger(step) || step < 0) throw new TypeError(`unrollLoops: ${AUTO_UNROLL_PRAGMA} on loop ${s.loopVar.name} must be a non-negative integer, got ${pragma}`);
      this.maxStep = step;
    }
    const body = this.visit(s.body);
    this.maxStep = outerStep;
    const extent = s.extent.kind === 'IntImm' ? s.extent.value : undefined;
    const limit = pragma !== undefined ? Number(pragma) : outerStep;
    const annotations = pragma !== undefined ? withoutPragma(s.annotations) : s.annotations;
    const explicit = s.forKind === 'unrolled' && extent !== undefined;
    const auto = s.forKind === 'serial' && extent !== undefined && !body.hasLoop && limit > 0 && extent * Math.max(body.steps, 1) <= limit;
    if (explicit || auto) {
      const unrolled = unrollLoop({ ...s, body: body.stmt });
      return { stmt: unrolled, steps: extent! * body.steps, hasLoop: false };
    }
    // An `unrolled` loop of unknown extent stays a loop, serial.
    const kind = s.forKind === 'unrolled' ? 'serial' : s.forKind;
    const same = body.stmt === s.body && kind === s.forKind && annotations === s.annotations;
    const stmt = same ? s : forLoop(s.loopVar, s.min, s.extent, kind, body.stmt, { threadTag: s.threadTag, annotations });
    return { stmt, steps: (extent ?? 1) * body.steps, hasLoop: true };
  }
}

export function unrollLoops(f: PrimFunc): PrimFunc {
  return mapBody(f, (b) => new Unroller().visit(b).stmt);
}
