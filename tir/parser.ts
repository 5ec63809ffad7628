// tir/parser.ts — reads the printer's text back into TIR, so printed IR round-trips
// (`structuralEqual(parse(print(f)), f)`) and tests can state IR as text.
// Variables not bound by a loop or let in the text are int32; ProducerLoad/Reduce are not read.

import {
  and, binary, broadcast, bufferLoad, bufferStore, call, cast, checkDType, compare, evaluate, floatImm,
  forLoop, ifThenElse, intImm, letExpr, letStmt, noOp, not, or, primFunc, ramp, select, seq, sub, variable, allocate,
  buffer as makeBuffer, isScalarType,
  type Annotations, type BinaryOpName, type Buffer, type CompareOpName, type ForKind, type IntrinsicName, type PrimExpr,
  type PrimFunc, type Stmt, type StorageScope, type ThreadTag, type Var,
} from './nodes.js';
import { sameExpr } from './arith/linear.js';

const TOKEN = /\s*(?:(\d+\.\d*(?:e[+-]?\d+)?h?|\d+e[+-]?\d+h?|\d+)|([A-Za-z_][A-Za-z0-9_.]*)|("(?:[^"\\]|\\.)*")|(\/\/|==|!=|<=|>=|&&|\|\||[-+*/%<>!()[\],:=]))/y;
const BINARY: Readonly<Record<string, [number, BinaryOpName | CompareOpName | 'and' | 'or']>> = {
  '||': [1, 'or'], '&&': [2, 'and'],
  '==': [3, 'eq'], '!=': [3, 'ne'], '<': [3, 'lt'], '<=': [3, 'le'], '>': [3, 'gt'], '>=': [3, 'ge'],
  '+': [4, 'add'], '-': [4, 'sub'], '*': [5, 'mul'], '/': [5, 'div'], '//': [5, 'floordiv'], '%': [5, 'floormod'],
};
const CALLS: Readonly<Record<string, BinaryOpName>> = { min: 'min', max: 'max', truncdiv: 'div', truncmod: 'mod' };
const INTRINSICS = new Set(['exp', 'log', 'sqrt', 'rsqrt', 'tanh', 'sigmoid', 'erf', 'abs', 'pow', 'floor', 'ceil', 'round', 'trunc', 'sin', 'cos', 'fma', 'tir.storage_sync', 'tir.if_then_else', 'tir.warp_shuffle']);

class ParseError extends Error {}

/** Tokens of one line; `where` names the line in errors. */
class Tokens {
  private readonly toks: string[] = [];
  private pos = 0;

  constructor(text: string, private readonly where: string) {
    TOKEN.lastIndex = 0;
    let at = 0;
    while (at < text.length) {
      TOKEN.lastIndex = at;
      const m = TOKEN.exec(text);
      if (!m) {
        if (/^\s*$/.test(text.slice(at))) break;
        this.fail(`unexpected '${text.slice(at).trim().slice(0, 12)}'`);
      }
      this.toks.push(m[0].trim());
      at = TOKEN.lastIndex;
    }
  }
  fail(msg: string): never {
    throw new ParseError(`parse: ${this.where}: ${msg}`);
  }
  peek(k = 0): string | undefined {
    return this.toks[this.pos + k];
  }
  next(): string {
    const t = this.toks[this.pos++];
    if (t === undefined) this.fail('unexpected end of line');
    return t;
  }
  eat(t: string): boolean {
    if (this.peek() !== t) return false;
    this.pos++;
    return true;
  }
  expect(t: string): void {
    if (!this.eat(t)) this.fail(`expected '${t}', got '${this.peek() ?? 'end of line'}'`);
  }
  done(): boolean {
    return this.pos >= this.toks.length;
  }
}

interface Line { readonly depth: number; readonly text: string; readonly no: number }

class Parser {
  private readonly vars = new Map<string, Var>();
  private readonly bufs = new Map<string, Buffer>();
  private i = 0;

  constructor(private readonly lines: readonly Line[], buffers: readonly Buffer[] = []) {
    for (const b of buffers) this.bufs.set(b.name, b);
  }

  private varNamed(name: string): Var {
    let v = this.vars.get(name);
    if (!v) {
      v = variable(name, 'int32');
      this.vars.set(name, v);
    }
    return v;
  }

  /** Variables bound by an enclosing loop or let right now. */
  private readonly active = new Set<Var>();

  /**
   * A variable for a new binding of `name`. A sibling scope that binds the same name reuses the
   * Var (the printer names distinct Vars apart, so one name in two siblings was one Var).
   */
  private bind(name: string, dtype: string): Var {
    const dt = checkDType(dtype, `variable ${name}`);
    const old = this.vars.get(name);
    const v = old && old.dtype === dt && !this.active.has(old) ? old : variable(name, dt);
    this.vars.set(name, v);
    return v;
  }

  private scoped<T>(v: Var, fn: () => T): T {
    this.active.add(v);
    try {
      return fn();
    } finally {
      this.active.delete(v);
    }
  }

  // ---- expressions -------------------------------------------------------------------

  expr(t: Tokens, minPrec = 1): PrimExpr {
    let lhs = this.unary(t);
    for (;;) {
      const op = BINARY[t.peek() ?? ''];
      if (!op || op[0] < minPrec) return lhs;
      t.next();
      const rhs = this.expr(t, op[0] + 1);
      const name = op[1];
      if (name === 'and') lhs = and(lhs, rhs);
      else if (name === 'or') lhs = or(lhs, rhs);
      else if (op[0] === 3) lhs = compare(name as CompareOpName, lhs, rhs);
      else lhs = binary(name as BinaryOpName, lhs, rhs);
    }
  }

  private unary(t: Tokens): PrimExpr {
    if (t.eat('!')) return not(this.unary(t));
    if (t.peek() === '-') {
      t.next();
      const lit = this.atom(t);
      if (lit.kind === 'IntImm') return intImm(-lit.value, lit.dtype);
      if (lit.kind === 'FloatImm') return floatImm(-lit.value, lit.dtype);
      return t.fail('unary minus applies to literals only');
    }
    return this.atom(t);
  }

  private args(t: Tokens): PrimExpr[] {
    t.expect('(');
    const out: PrimExpr[] = [];
    if (t.eat(')')) return out;
    do out.push(this.expr(t)); while (t.eat(','));
    t.expect(')');
    return out;
  }

  private lanes(t: Tokens, e: PrimExpr): number {
    if (e.kind !== 'IntImm') t.fail('lanes must be an integer literal');
    return e.value;
  }

  private atom(t: Tokens): PrimExpr {
    const tok = t.next();
    if (/^\d/.test(tok)) {
      if (tok.endsWith('h')) return floatImm(Number(tok.slice(0, -1)), 'float16');
      return /[.e]/.test(tok) ? floatImm(Number(tok)) : intImm(Number(tok));
    }
    if (tok === '(') {
      if (t.eat('let')) {
        const name = t.next();
        t.expect('=');
        const value = this.expr(t);
        if (t.next() !== 'in') t.fail("expected 'in' in a let expression");
        const v = this.bind(name, value.dtype);
        const body = this.scoped(v, () => this.expr(t));
        t.expect(')');
        return letExpr(v, value, body);
      }
      const e = this.expr(t);
      t.expect(')');
      return e;
    }
    switch (tok) {
      case 'True': return intImm(1, 'bool');
      case 'False': return intImm(0, 'bool');
      case 'inf': case 'infh': return floatImm(Infinity, tok === 'inf' ? 'float32' : 'float16');
      case 'nan': case 'nanh': return floatImm(NaN, tok === 'nan' ? 'float32' : 'float16');
      default: break;
    }
    if (!/^[A-Za-z_]/.test(tok)) t.fail(`unexpected '${tok}'`);
    if (t.peek() === '[') {
      const b = this.bufs.get(tok) ?? t.fail(`unknown buffer ${tok}`);
      return bufferLoad(b, this.indices(t));
    }
    if (t.peek() !== '(') return this.varNamed(tok);
    const a = this.args(t);
    if (CALLS[tok]) return binary(CALLS[tok]!, a[0]!, a[1]!);
    if (tok === 'select') return select(a[0]!, a[1]!, a[2]!);
    if (tok === 'ramp') return ramp(a[0]!, a[1]!, this.lanes(t, a[2]!));
    if (tok === 'broadcast') return broadcast(a[0]!, this.lanes(t, a[1]!));
    if (tok === 'tir.storage_sync') return call('tir.storage_sync', [], 'int32');
    if (INTRINSICS.has(tok)) return call(tok as IntrinsicName, a);
    if (isScalarType(tok.replace(/x\d+$/, ''))) return cast(checkDType(tok), a[0]!);
    return t.fail(`unknown function ${tok}`);
  }

  private indices(t: Tokens): PrimExpr[] {
    t.expect('[');
    const out: PrimExpr[] = [];
    do out.push(this.expr(t)); while (t.eat(','));
    t.expect(']');
    return out;
  }

  /** `name: dtype[d0, d1], scope="local"` */
  private bufferDecl(t: Tokens): Buffer {
    const name = t.next();
    t.expect(':');
    const dtype = checkDType(t.next(), `buffer ${name}`);
    const shape = this.indices(t);
    let scope: StorageScope = 'global';
    if (t.peek() === ',' && t.peek(1) === 'scope') {
      t.next(); t.next(); t.expect('=');
      scope = JSON.parse(t.next()) as StorageScope;
    }
    const old = this.bufs.get(name);
    // A sibling allocation of the same name and type was one Buffer (as with variables).
    const same = old && !this.activeBufs.has(old) && old.dtype === dtype && old.scope === scope &&
      old.shape.length === shape.length && old.shape.every((d, k) => sameExpr(d, shape[k]!));
    const b = same ? old : makeBuffer(name, shape, dtype, scope);
    this.bufs.set(name, b);
    return b;
  }

  private readonly activeBufs = new Set<Buffer>();

  // ---- statements --------------------------------------------------------------------

  private tokens(line: Line, text = line.text): Tokens {
    return new Tokens(text, `line ${line.no}`);
  }

  /** Statements at `depth` until the block ends; a flat allocate or let takes the rest as body. */
  block(depth: number): Stmt {
    const out: Stmt[] = [];
    while (this.i < this.lines.length && this.lines[this.i]!.depth === depth) out.push(this.stmt(depth));
    if (this.i < this.lines.length && this.lines[this.i]!.depth > depth) {
      throw new ParseError(`parse: line ${this.lines[this.i]!.no}: unexpected indentation`);
    }
    return out.length === 0 ? noOp() : seq(out);
  }

  private stmt(depth: number): Stmt {
    const line = this.lines[this.i++]!;
    const text = line.text;
    if (text === 'pass') return noOp();
    if (text.startsWith('for ')) return this.forStmt(line, depth);
    if (text.startsWith('if ')) {
      const t = this.tokens(line, text.slice(3, text.lastIndexOf(':')));
      const cond = this.expr(t);
      const thenCase = this.block(depth + 1);
      if (this.i < this.lines.length && this.lines[this.i]!.depth === depth && this.lines[this.i]!.text === 'else:') {
        this.i++;
        return ifThenElse(cond, thenCase, this.block(depth + 1));
      }
      return ifThenElse(cond, thenCase);
    }
    const scoped = /^with (allocate|let) (.*):$/.exec(text);
    const flat = /^allocate (.*)$/.exec(text);
    if (scoped?.[1] === 'allocate' || flat) {
      const b = this.bufferDecl(this.tokens(line, scoped ? scoped[2]! : flat![1]!));
      this.activeBufs.add(b);
      try {
        return allocate(b, this.block(scoped ? depth + 1 : depth));
      } finally {
        this.activeBufs.delete(b);
      }
    }
    const letDecl = /^([A-Za-z_][A-Za-z0-9_]*): ([a-z0-9]+) = (.*)$/.exec(scoped?.[1] === 'let' ? scoped[2]! : text);
    if (letDecl) {
      const value = this.expr(this.tokens(line, letDecl[3]!));
      const v = this.bind(letDecl[1]!, letDecl[2]!);
      return letStmt(v, value, this.scoped(v, () => this.block(scoped ? depth + 1 : depth)));
    }
    const t = this.tokens(line);
    const store = /^([A-Za-z_][A-Za-z0-9_]*)\[/.exec(text);
    if (store && this.bufs.has(store[1]!) && text.includes('] = ')) {
      t.next();
      const idx = this.indices(t);
      t.expect('=');
      const value = this.expr(t);
      if (!t.done()) t.fail(`unexpected '${t.peek()}'`);
      return bufferStore(this.bufs.get(store[1]!)!, value, idx);
    }
    const e = this.expr(t);
    if (!t.done()) t.fail(`unexpected '${t.peek()}'`);
    return evaluate(e);
  }

  private forStmt(line: Line, depth: number): Stmt {
    const m = /^for ([A-Za-z_][A-Za-z0-9_]*) in range\((.*)\):(?: {2}# (.*))?$/.exec(line.text);
    if (!m) throw new ParseError(`parse: line ${line.no}: malformed for header`);
    const t = this.tokens(line, m[2]);
    const start = this.expr(t);
    t.expect(',');
    const stop = this.expr(t);
    let extent: PrimExpr;
    if (start.kind === 'IntImm' && stop.kind === 'IntImm') extent = intImm(stop.value - start.value);
    else if (start.kind === 'IntImm' && start.value === 0) extent = stop;
    else if (stop.kind === 'BinaryOp' && stop.op === 'add') extent = stop.b;
    else extent = sub(stop, start);
    let forKind: ForKind = 'serial';
    let threadTag: ThreadTag | undefined;
    const annotations: Record<string, string | number> = {};
    for (const part of splitTags(m[3] ?? '')) {
      const tb = /^thread_binding "(.*)"$/.exec(part);
      if (tb) {
        forKind = 'threadBinding';
        threadTag = tb[1] as ThreadTag;
      } else if (['parallel', 'vectorized', 'unrolled'].includes(part)) forKind = part as ForKind;
      else Object.assign(annotations, parseAnnotations(part, line.no));
    }
    const loopVar = this.bind(m[1]!, 'int32');
    const body = this.scoped(loopVar, () => this.block(depth + 1));
    return forLoop(loopVar, start, extent, forKind, body, { threadTag, annotations: annotations as Annotations });
  }

  func(): PrimFunc {
    const head = this.lines[this.i++];
    const m = head && /^def ([A-Za-z_][A-Za-z0-9_]*)\((.*)\):$/.exec(head.text);
    if (!head || !m) throw new ParseError('parse: expected `def name(params):` on the first line');
    const params: Buffer[] = [];
    const t = this.tokens(head, m[2]);
    while (!t.done()) {
      params.push(this.bufferDecl(t));
      t.eat(',');
    }
    const attrs: Record<string, unknown> = {};
    for (let a = this.lines[this.i]; a && a.depth === 1 && a.text.startsWith('# '); a = this.lines[++this.i]) {
      const kv = /^# ([^=]+) = (.*)$/.exec(a.text);
      if (!kv) throw new ParseError(`parse: line ${a.no}: malformed attribute`);
      attrs[kv[1]!] = JSON.parse(kv[2]!);
    }
    return primFunc(m[1]!, params, this.block(1), attrs);
  }
}

/** Splits `kind; k=v, k2="a; b"` at top-level `; ` (outside strings). */
function splitTags(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inStr = false;
  for (let k = 0; k < s.length; k++) {
    const ch = s[k]!;
    if (ch === '"' && s[k - 1] !== '\\') inStr = !inStr;
    if (!inStr && ch === ';' && s[k + 1] === ' ') {
      out.push(cur);
      cur = '';
      k++;
    } else cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

function parseAnnotations(s: string, no: number): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  const re = /\s*([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|-?[0-9.e+-]+)\s*(?:,|$)/y;
  let at = 0;
  while (at < s.length) {
    re.lastIndex = at;
    const m = re.exec(s);
    if (!m) throw new ParseError(`parse: line ${no}: malformed loop annotations '${s}'`);
    out[m[1]!] = JSON.parse(m[2]!) as string | number;
    at = re.lastIndex;
  }
  return out;
}

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  text.split('\n').forEach((raw, k) => {
    if (raw.trim() === '') return;
    const indent = raw.length - raw.trimStart().length;
    if (indent % 2 !== 0) throw new ParseError(`parse: line ${k + 1}: indentation is not a multiple of two spaces`);
    out.push({ depth: indent / 2, text: raw.trim(), no: k + 1 });
  });
  return out;
}

/** Reads a PrimFunc printed by `print`. */
export function parse(text: string): PrimFunc {
  return new Parser(splitLines(text)).func();
}

/** Reads statements printed by `print`; `buffers` are those it may access (free variables are int32). */
export function parseStmt(text: string, buffers: readonly Buffer[] = []): Stmt {
  return new Parser(splitLines(text), buffers).block(0);
}
