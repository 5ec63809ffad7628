// tir/verify.ts — checks IR well-formedness between passes (every variable bound, every buffer
// declared, dtypes consistent) and, at the end of lowering, the contract codegens rely on.

import {
  elementType, isBool, isInt, lanesOf, withLanes,
  type Buffer, type PrimExpr, type PrimFunc, type Stmt, type Var,
} from './nodes.js';
import { print } from './printer.js';

export interface VerifyOptions {
  /** Also check the post-lowering contract (see tir/pipeline.ts). */
  readonly lowered?: boolean;
}

class Verifier {
  readonly errors: string[] = [];
  private readonly vars = new Set<Var>();
  private readonly bufs = new Set<number>();

  constructor(private readonly lowered: boolean) {}

  private err(msg: string, node: PrimExpr | Stmt): void {
    if (this.errors.length < 20) {
      const text = print(node).split('\n')[0]!;
      this.errors.push(`${msg} (at: ${text.length > 80 ? `${text.slice(0, 77)}...` : text})`);
    }
  }

  private bindVar<T>(v: Var, fn: () => T): T {
    const had = this.vars.has(v);
    this.vars.add(v);
    try {
      return fn();
    } finally {
      if (!had) this.vars.delete(v);
    }
  }

  private access(b: Buffer, indices: readonly PrimExpr[], node: PrimExpr | Stmt): void {
    if (!this.bufs.has(b.id)) this.err(`buffer ${b.name} is neither a parameter nor allocated around its use`, node);
    if (indices.length !== b.shape.length) this.err(`${b.name} accessed with ${indices.length} indices, has ${b.shape.length} dimensions`, node);
    if (this.lowered && indices.length !== 1) this.err(`${b.name} accessed with ${indices.length} indices after lowering (expected one flat index)`, node);
    for (const i of indices) {
      if (!isInt(i.dtype)) this.err(`index of ${b.name} has dtype ${i.dtype}`, node);
      // Loads may gather (a clamped if_then_else arm, an indirect index); stores write Ramps only.
      if (this.lowered && lanesOf(i.dtype) > 1 && i.kind !== 'Ramp' && node.kind === 'BufferStore') this.err(`vector index of ${b.name} is a ${i.kind}, not a Ramp`, node);
      this.expr(i);
    }
  }

  expr(e: PrimExpr): void {
    switch (e.kind) {
      case 'IntImm':
      case 'FloatImm':
        return;
      case 'Var':
        if (!this.vars.has(e)) this.err(`variable ${e.name} is used but not bound`, e);
        return;
      case 'BinaryOp':
        if (e.a.dtype !== e.dtype || e.b.dtype !== e.dtype) this.err(`${e.op} of ${e.a.dtype} and ${e.b.dtype} typed ${e.dtype}`, e);
        this.expr(e.a);
        this.expr(e.b);
        return;
      case 'CompareOp':
      case 'LogicalOp':
        if (e.a.dtype !== e.b.dtype || !isBool(e.dtype) || lanesOf(e.dtype) !== lanesOf(e.a.dtype)) this.err(`${e.op} of ${e.a.dtype} and ${e.b.dtype} typed ${e.dtype}`, e);
        this.expr(e.a);
        this.expr(e.b);
        return;
      case 'Not':
        this.expr(e.a);
        return;
      case 'Select':
        if (e.trueValue.dtype !== e.dtype || e.falseValue.dtype !== e.dtype) this.err(`select arms ${e.trueValue.dtype}/${e.falseValue.dtype} typed ${e.dtype}`, e);
        this.expr(e.condition);
        this.expr(e.trueValue);
        this.expr(e.falseValue);
        return;
      case 'Cast':
        this.expr(e.value);
        return;
      case 'Call':
        for (const a of e.args) this.expr(a);
        return;
      case 'Ramp':
        if (lanesOf(e.dtype) !== e.lanes || lanesOf(e.base.dtype) !== 1) this.err(`ramp of ${e.lanes} lanes typed ${e.dtype}`, e);
        this.expr(e.base);
        this.expr(e.stride);
        return;
      case 'Broadcast':
        if (e.dtype !== withLanes(e.value.dtype, e.lanes)) this.err(`broadcast of ${e.value.dtype} to ${e.lanes} lanes typed ${e.dtype}`, e);
        this.expr(e.value);
        return;
      case 'Let':
        this.expr(e.value);
        this.bindVar(e.variable, () => this.expr(e.body));
        return;
      case 'BufferLoad': {
        const lanes = Math.max(1, ...e.indices.map((i) => lanesOf(i.dtype)));
        if (e.dtype !== withLanes(e.buffer.dtype, lanes)) this.err(`load of ${e.buffer.name} (${e.buffer.dtype}) typed ${e.dtype}`, e);
        this.access(e.buffer, e.indices, e);
        return;
      }
      case 'ProducerLoad':
      case 'Reduce':
        if (this.lowered) this.err(`${e.kind} left after lowering`, e);
        if (e.kind === 'ProducerLoad') for (const i of e.indices) this.expr(i);
        else {
          const inner = (k: number): void => {
            if (k === e.axis.length) {
              this.expr(e.source);
              this.expr(e.condition);
            } else this.bindVar(e.axis[k]!.variable, () => inner(k + 1));
          };
          inner(0);
        }
        return;
    }
  }

  stmt(s: Stmt): void {
    switch (s.kind) {
      case 'For':
        if (!isInt(s.min.dtype) || !isInt(s.extent.dtype)) this.err(`loop ${s.loopVar.name} has a non-int32 range`, s);
        if (this.lowered && s.extent.kind !== 'IntImm') this.err(`loop ${s.loopVar.name} has a non-constant extent after lowering`, s);
        if (this.lowered && (s.forKind === 'vectorized' || s.forKind === 'unrolled')) this.err(`loop ${s.loopVar.name} is still marked ${s.forKind} after lowering`, s);
        this.expr(s.min);
        this.expr(s.extent);
        this.bindVar(s.loopVar, () => this.stmt(s.body));
        return;
      case 'LetStmt':
        if (s.variable.dtype !== s.value.dtype) this.err(`let ${s.variable.name}: ${s.variable.dtype} bound to ${s.value.dtype}`, s);
        this.expr(s.value);
        this.bindVar(s.variable, () => this.stmt(s.body));
        return;
      case 'IfThenElse':
        if (!isBool(s.condition.dtype) || lanesOf(s.condition.dtype) !== 1) this.err(`if condition typed ${s.condition.dtype}`, s);
        this.expr(s.condition);
        this.stmt(s.thenCase);
        if (s.elseCase) this.stmt(s.elseCase);
        return;
      case 'SeqStmt':
        for (const c of s.seq) this.stmt(c);
        return;
      case 'BufferStore': {
        const lanes = Math.max(1, ...s.indices.map((i) => lanesOf(i.dtype)));
        if (s.value.dtype !== withLanes(s.buffer.dtype, lanes)) this.err(`store of ${s.value.dtype} into ${s.buffer.name} (${s.buffer.dtype}, ${lanes} lanes)`, s);
        this.access(s.buffer, s.indices, s);
        this.expr(s.value);
        return;
      }
      case 'Allocate': {
        for (const d of s.buffer.shape) this.expr(d);
        const had = this.bufs.has(s.buffer.id);
        this.bufs.add(s.buffer.id);
        this.stmt(s.body);
        if (!had) this.bufs.delete(s.buffer.id);
        return;
      }
      case 'Evaluate':
        this.expr(s.value);
        return;
    }
  }

  func(f: PrimFunc): void {
    for (const p of f.params) {
      this.bufs.add(p.id);
      if (this.lowered && p.shape.length !== 1) this.errors.push(`parameter ${p.name} is ${p.shape.length}-d after lowering (expected 1-d)`);
      if (this.lowered && p.scope !== 'global') this.errors.push(`parameter ${p.name} has scope ${p.scope}`);
      if (lanesOf(p.dtype) !== 1 || elementType(p.dtype) !== p.dtype) this.errors.push(`parameter ${p.name} has vector dtype ${p.dtype}`);
    }
    if (this.lowered) {
      const shapes = f.attrs['argShapes'];
      if (!Array.isArray(shapes) || shapes.length !== f.params.length) this.errors.push('attrs.argShapes is missing or does not list every parameter');
    }
    this.stmt(f.body);
  }
}

/** The problems found in `f` (empty when well-formed). */
export function verifyErrors(f: PrimFunc, opts: VerifyOptions = {}): string[] {
  const v = new Verifier(opts.lowered ?? false);
  v.func(f);
  return v.errors;
}

/** Throws an error listing every problem found in `f`, naming `where` (a pass id, say). */
export function verify(f: PrimFunc, opts: VerifyOptions & { where?: string } = {}): void {
  const errors = verifyErrors(f, opts);
  if (errors.length > 0) {
    const where = opts.where ? ` after ${opts.where}` : '';
    throw new Error(`invalid TIR in ${f.name}${where}:\n  ${errors.join('\n  ')}`);
  }
}
