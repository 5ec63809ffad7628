// tir/printer.ts — renders TIR as readable, stable, TVMScript-like text (Python-style indentation),
// for debugging, golden tests and TENSORTUNE_DEBUG=lower traces.

import { isFloat, isBool, type Buffer, type For, type PrimExpr, type PrimFunc, type Stmt, type Var } from './nodes.js';
import { isStmt } from './functor.js';

const INDENT = '  ';

/** Operator precedence; a child binding more loosely than its parent gets parentheses. */
const PREC = { or: 1, and: 2, cmp: 3, add: 4, mul: 5, unary: 6, atom: 7 } as const;

const INFIX: Readonly<Record<string, [string, number]>> = {
  add: ['+', PREC.add], sub: ['-', PREC.add], mul: ['*', PREC.mul],
  floordiv: ['//', PREC.mul], floormod: ['%', PREC.mul],
  eq: ['==', PREC.cmp], ne: ['!=', PREC.cmp], lt: ['<', PREC.cmp], le: ['<=', PREC.cmp], gt: ['>', PREC.cmp], ge: ['>=', PREC.cmp],
  and: ['&&', PREC.and], or: ['||', PREC.or],
};

/** A float literal that always reads as a float (`2.0`, `1e+21`, `inf`); `h` marks float16. */
function formatFloat(v: number, dtype: string): string {
  let s: string;
  if (Number.isNaN(v)) s = 'nan';
  else if (!Number.isFinite(v)) s = v > 0 ? 'inf' : '-inf';
  else if (Object.is(v, -0)) s = '-0.0';
  else {
    s = String(v);
    if (!/[.e]/.test(s)) s += '.0';
  }
  return dtype.startsWith('float16') ? `${s}h` : s;
}

/** Words the printed syntax uses; a variable or buffer so named gets a trailing underscore. */
const RESERVED = new Set(['True', 'False', 'inf', 'nan', 'pass', 'if', 'else', 'for', 'in', 'def', 'with', 'let', 'allocate', 'range']);

function identifier(name: string, fallback: string): string {
  const s = name.replace(/[^A-Za-z0-9_]/g, '_') || fallback;
  const id = /^[0-9]/.test(s) ? `_${s}` : s;
  return RESERVED.has(id) ? `${id}_` : id;
}

/**
 * Gives every Var and Buffer a stable printed name: its own, or with a suffix `_1`, `_2`, …
 * when distinct objects share a name, numbered in order of first appearance.
 */
class Names {
  private readonly taken = new Map<string, number>();
  private readonly byId = new Map<number, string>();
  private readonly bufById = new Map<number, string>();

  private fresh(base: string): string {
    const n = this.taken.get(base);
    if (n === undefined) {
      this.taken.set(base, 0);
      return base;
    }
    let k = n + 1;
    while (this.taken.has(`${base}_${k}`)) k++;
    this.taken.set(base, k);
    this.taken.set(`${base}_${k}`, 0);
    return `${base}_${k}`;
  }
  variable(v: Var): string {
    let s = this.byId.get(v.id);
    if (s === undefined) {
      s = this.fresh(identifier(v.name, 'v'));
      this.byId.set(v.id, s);
    }
    return s;
  }
  buffer(b: Buffer): string {
    let s = this.bufById.get(b.id);
    if (s === undefined) {
      s = this.fresh(identifier(b.name, 'buf'));
      this.bufById.set(b.id, s);
    }
    return s;
  }
}

class Printer {
  private readonly names = new Names();
  private readonly lines: string[] = [];

  expr(e: PrimExpr): string {
    return this.exprPrec(e)[0];
  }

  private wrap(e: PrimExpr, min: number): string {
    const [s, p] = this.exprPrec(e);
    return p < min ? `(${s})` : s;
  }

  private exprPrec(e: PrimExpr): [string, number] {
    switch (e.kind) {
      case 'IntImm':
        if (isBool(e.dtype)) return [e.value ? 'True' : 'False', PREC.atom];
        return [String(e.value), e.value < 0 ? PREC.unary : PREC.atom];
      case 'FloatImm':
        return [formatFloat(e.value, e.dtype), e.value < 0 ? PREC.unary : PREC.atom];
      case 'Var':
        return [this.names.variable(e), PREC.atom];
      case 'BinaryOp':
      case 'CompareOp':
      case 'LogicalOp': {
        const op = e.op === 'div' && isFloat(e.dtype) ? ['/', PREC.mul] as const : INFIX[e.op];
        if (!op) return [`${e.op === 'div' ? 'truncdiv' : e.op === 'mod' ? 'truncmod' : e.op}(${this.expr(e.a)}, ${this.expr(e.b)})`, PREC.atom];
        const [sym, p] = op;
        // Left-associative: an equal-precedence right operand keeps its parentheses, so the
        // text parses back to the same tree (a + (b + c) is not (a + b) + c).
        return [`${this.wrap(e.a, p)} ${sym} ${this.wrap(e.b, p + 1)}`, p];
      }
      case 'Not':
        return [`!${this.wrap(e.a, PREC.unary)}`, PREC.unary];
      case 'Select':
        return [`select(${this.expr(e.condition)}, ${this.expr(e.trueValue)}, ${this.expr(e.falseValue)})`, PREC.atom];
      case 'Cast':
        return [`${e.dtype}(${this.expr(e.value)})`, PREC.atom];
      case 'Call':
        return [`${e.op}(${e.args.map((a) => this.expr(a)).join(', ')})`, PREC.atom];
      case 'Ramp':
        return [`ramp(${this.expr(e.base)}, ${this.expr(e.stride)}, ${e.lanes})`, PREC.atom];
      case 'Broadcast':
        return [`broadcast(${this.expr(e.value)}, ${e.lanes})`, PREC.atom];
      case 'Let':
        return [`(let ${this.names.variable(e.variable)} = ${this.expr(e.value)} in ${this.expr(e.body)})`, PREC.atom];
      case 'BufferLoad':
        return [`${this.names.buffer(e.buffer)}[${e.indices.map((i) => this.expr(i)).join(', ')}]`, PREC.atom];
      case 'ProducerLoad':
        return [`${e.producer.name}.at(${e.indices.map((i) => this.expr(i)).join(', ')})`, PREC.atom];
      case 'Reduce': {
        const axes = e.axis.map((a) => `${this.names.variable(a.variable)} in range(${this.expr(a.dom.min)}, ${this.expr(a.dom.extent)})`);
        const cond = e.condition.kind === 'IntImm' && e.condition.value === 1 ? '' : `, where=${this.expr(e.condition)}`;
        return [`reduce_${e.combiner}(${this.expr(e.source)}, axis=[${axes.join(', ')}]${cond})`, PREC.atom];
      }
    }
  }

  bufferDecl(b: Buffer): string {
    const scope = b.scope === 'global' ? '' : `, scope="${b.scope}"`;
    return `${this.names.buffer(b)}: ${b.dtype}[${b.shape.map((d) => this.expr(d)).join(', ')}]${scope}`;
  }

  private emit(depth: number, text: string): void {
    this.lines.push(INDENT.repeat(depth) + text);
  }

  private forHeader(s: For): string {
    const tags: string[] = [];
    if (s.forKind === 'threadBinding') tags.push(`thread_binding "${s.threadTag}"`);
    else if (s.forKind !== 'serial') tags.push(s.forKind);
    const ann = Object.keys(s.annotations).sort().map((k) => `${k}=${JSON.stringify(s.annotations[k])}`);
    if (ann.length) tags.push(ann.join(', '));
    const suffix = tags.length ? `  # ${tags.join('; ')}` : '';
    // Python's range(start, stop): stop is min + extent.
    const stop = s.min.kind === 'IntImm' && s.extent.kind === 'IntImm' ? String(s.min.value + s.extent.value)
      : s.min.kind === 'IntImm' && s.min.value === 0 ? this.expr(s.extent) : `${this.expr(s.min)} + ${this.wrap(s.extent, PREC.add + 1)}`;
    return `for ${this.names.variable(s.loopVar)} in range(${this.expr(s.min)}, ${stop}):${suffix}`;
  }

  /**
   * `tail` says nothing follows `s` in its scope, so an Allocate or LetStmt can print its
   * body flat below it; otherwise the body is indented under a `with` to show where it ends.
   */
  stmt(s: Stmt, depth: number, tail = true): void {
    switch (s.kind) {
      case 'For':
        this.emit(depth, this.forHeader(s));
        this.stmt(s.body, depth + 1);
        return;
      case 'LetStmt': {
        const decl = `${this.names.variable(s.variable)}: ${s.variable.dtype} = ${this.expr(s.value)}`;
        this.emit(depth, tail ? decl : `with let ${decl}:`);
        this.stmt(s.body, tail ? depth : depth + 1);
        return;
      }
      case 'IfThenElse':
        this.emit(depth, `if ${this.expr(s.condition)}:`);
        this.stmt(s.thenCase, depth + 1);
        if (s.elseCase) {
          this.emit(depth, 'else:');
          this.stmt(s.elseCase, depth + 1);
        }
        return;
      case 'SeqStmt':
        s.seq.forEach((c, i) => this.stmt(c, depth, tail && i === s.seq.length - 1));
        return;
      case 'BufferStore':
        this.emit(depth, `${this.names.buffer(s.buffer)}[${s.indices.map((i) => this.expr(i)).join(', ')}] = ${this.expr(s.value)}`);
        return;
      case 'Allocate':
        this.emit(depth, tail ? `allocate ${this.bufferDecl(s.buffer)}` : `with allocate ${this.bufferDecl(s.buffer)}:`);
        this.stmt(s.body, tail ? depth : depth + 1);
        return;
      case 'Evaluate':
        this.emit(depth, s.value.kind === 'IntImm' && s.value.value === 0 ? 'pass' : this.expr(s.value));
        return;
    }
  }

  func(f: PrimFunc): void {
    this.emit(0, `def ${f.name}(${f.params.map((p) => this.bufferDecl(p)).join(', ')}):`);
    for (const k of Object.keys(f.attrs).sort()) this.emit(1, `# ${k} = ${stringifyAttr(f.attrs[k])}`);
    this.stmt(f.body, 1);
  }

  text(): string {
    return this.lines.join('\n');
  }
}

function stringifyAttr(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Readable text of a PrimFunc, a statement or an expression (expressions on one line). */
export function print(node: PrimFunc | Stmt | PrimExpr): string {
  const p = new Printer();
  if (node.kind === 'PrimFunc') p.func(node);
  else if (isStmt(node)) p.stmt(node, 0);
  else return p.expr(node);
  return p.text();
}
