// tir/passes/unroll_loops.ts — replaces unrolled loops by copies of their body, one per
// iteration: loops marked `unrolled`, and under a `pragma_auto_unroll_max_step` annotation the
// serial loops whose total step count (stores executed) stays within the step limit. Explicit
// unrolling is capped too (MAX_EXPLICIT_UNROLL_STEPS): past it the loop stays a loop, annotated
// `unroll_skipped: '<reason>'`, instead of a kernel too big for the wasm engine or the WGSL
// compiler (a 320,000-iteration unroll made an 8 MB wasm function that V8 refused after 25 s).

import { mapBody, substituteStmt } from '../functor.js';
import { add, forLoop, ifThenElse, intImm, noOp, seq, type Annotations, type For, type PrimExpr, type PrimFunc, type Stmt } from '../nodes.js';

export const AUTO_UNROLL_PRAGMA = 'pragma_auto_unroll_max_step';
/** Annotation on an `unrolled` loop kept as a loop because unrolling it would be too big. */
export const UNROLL_SKIPPED = 'unroll_skipped';
/**
 * The most stores the copies of one explicitly unrolled loop may execute (extent × stores per
 * iteration, inner unrolled loops included). TVM caps automatic unrolling by a step count
 * (auto_unroll_max_step) the same way; 4096 is far above any useful unroll (register tiles
 * are ≤ 64 × a few stores) and far below what makes the engines refuse a function.
 */
export const MAX_EXPLICIT_UNROLL_STEPS = 4096;

/** Why explicitly unrolling `loop` (whose body executes `bodySteps` stores) is refused, or undefined. */
export function unrollTooBig(loop: For, bodySteps: number): string | undefined {
  const n = loop.extent.kind === 'IntImm' ? loop.extent.value : undefined;
  if (n === undefined) return undefined;
  const steps = n * Math.max(bodySteps, 1);
  if (steps <= MAX_EXPLICIT_UNROLL_STEPS) return undefined;
  return `unrolling ${loop.loopVar.name} would copy its body ${n} times (${steps} stores), over the limit of ${MAX_EXPLICIT_UNROLL_STEPS}; ` +
    `split the axis and unroll only the inner part`;
}

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
    // The automatic limit is capped like explicit unrolling (a huge pragma value is no licence for a huge kernel).
    const limit = Math.min(pragma !== undefined ? Number(pragma) : outerStep, MAX_EXPLICIT_UNROLL_STEPS);
    const annotations = pragma !== undefined ? withoutPragma(s.annotations) : s.annotations;
    const tooBig = s.forKind === 'unrolled' ? unrollTooBig(s, body.steps) : undefined;
    const explicit = s.forKind === 'unrolled' && extent !== undefined && tooBig === undefined;
    const auto = s.forKind === 'serial' && extent !== undefined && !body.hasLoop && limit > 0 && extent * Math.max(body.steps, 1) <= limit;
    if (explicit || auto) {
      const unrolled = unrollLoop({ ...s, body: body.stmt });
      return { stmt: unrolled, steps: extent! * body.steps, hasLoop: false };
    }
    // An `unrolled` loop of unknown extent, or too big to unroll, stays a loop, serial.
    const kind = s.forKind === 'unrolled' ? 'serial' : s.forKind;
    const notes = tooBig === undefined ? annotations : { ...annotations, [UNROLL_SKIPPED]: tooBig };
    const same = body.stmt === s.body && kind === s.forKind && notes === s.annotations;
    const stmt = same ? s : forLoop(s.loopVar, s.min, s.extent, kind, body.stmt, { threadTag: s.threadTag, annotations: notes });
    return { stmt, steps: (extent ?? 1) * body.steps, hasLoop: true };
  }
}

export function unrollLoops(f: PrimFunc): PrimFunc {
  return mapBody(f, (b) => new Unroller().visit(b).stmt);
}
