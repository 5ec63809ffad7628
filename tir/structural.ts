// tir/structural.ts — structural equality (modulo renaming of variables and buffers) and a
// structural hash consistent with it; they key kernel caches.
//
// Both rest on one canonical serialization: variables and buffers are written as numbers
// given at their binding site (loop, let, reduce axis, parameter, allocation) or, for free
// ones, at first use, so names never matter but the binding structure does. Names of
// functions are not part of the structure either: two PrimFuncs that differ only in their
// name are equal (a cache keyed on the hash must use its own symbol name).

import { isStmt } from './functor.js';
import type { Buffer, DataProducer, IterVar, PrimExpr, PrimFunc, Stmt, Var } from './nodes.js';

type Structural = PrimFunc | Stmt | PrimExpr;

function num(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

function stableJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? String(v);
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`).join(',')}}`;
}

class Canon {
  private readonly out: string[] = [];
  private readonly vars = new Map<Var, number>();
  private readonly bufs = new Map<number, number>();
  private readonly producers = new Map<DataProducer, number>();
  private nextVar = 0;
  private nextBuf = 0;

  text(): string {
    return this.out.join('');
  }

  private w(s: string): void {
    this.out.push(s);
  }

  /** Binds `v` to a fresh number while `fn` runs (scoped, so sibling loops may share a Var). */
  private bind(v: Var, fn: () => void): void {
    const outer = this.vars.get(v);
    this.vars.set(v, this.nextVar++);
    this.w(`v${this.vars.get(v)}:${v.dtype}`);
    fn();
    if (outer === undefined) this.vars.delete(v);
    else this.vars.set(v, outer);
  }

  private bindAll(vs: readonly IterVar[], fn: () => void): void {
    if (vs.length === 0) {
      fn();
      return;
    }
    const [first, ...rest] = vs;
    this.w('(');
    this.expr(first!.dom.min);
    this.w(',');
    this.expr(first!.dom.extent);
    this.w(')');
    this.bind(first!.variable, () => this.bindAll(rest, fn));
  }

  private bufferDef(b: Buffer): void {
    const n = this.nextBuf++;
    this.bufs.set(b.id, n);
    this.w(`B${n}:${b.dtype}:${b.scope}[`);
    b.shape.forEach((d) => { this.expr(d); this.w(','); });
    this.w(']');
  }

  private bufferRef(b: Buffer): void {
    // A buffer neither a parameter nor allocated in view is free: defined at first use.
    if (!this.bufs.has(b.id)) this.bufferDef(b);
    else this.w(`B${this.bufs.get(b.id)}`);
  }

  private list(xs: readonly PrimExpr[]): void {
    this.w('[');
    for (const x of xs) { this.expr(x); this.w(','); }
    this.w(']');
  }

  expr(e: PrimExpr): void {
    switch (e.kind) {
      case 'IntImm':
      case 'FloatImm':
        this.w(`${e.kind === 'IntImm' ? 'i' : 'f'}${num(e.value)}:${e.dtype}`);
        return;
      case 'Var': {
        let n = this.vars.get(e);
        if (n === undefined) {
          n = this.nextVar++;
          this.vars.set(e, n);
          this.w(`free:${e.dtype}:`);
        }
        this.w(`v${n}`);
        return;
      }
      case 'BinaryOp':
      case 'CompareOp':
      case 'LogicalOp':
        this.w(`(${e.op}:${e.dtype} `);
        this.expr(e.a);
        this.w(' ');
        this.expr(e.b);
        this.w(')');
        return;
      case 'Not':
        this.w('(not ');
        this.expr(e.a);
        this.w(')');
        return;
      case 'Select':
        this.w('(select ');
        this.list([e.condition, e.trueValue, e.falseValue]);
        this.w(')');
        return;
      case 'Cast':
        this.w(`(cast:${e.dtype} `);
        this.expr(e.value);
        this.w(')');
        return;
      case 'Call':
        this.w(`(call:${e.op}:${e.dtype} `);
        this.list(e.args);
        this.w(')');
        return;
      case 'Ramp':
        this.w(`(ramp:${e.lanes} `);
        this.list([e.base, e.stride]);
        this.w(')');
        return;
      case 'Broadcast':
        this.w(`(bcast:${e.lanes} `);
        this.expr(e.value);
        this.w(')');
        return;
      case 'Let':
        this.w('(let ');
        this.expr(e.value);
        this.bind(e.variable, () => this.expr(e.body));
        this.w(')');
        return;
      case 'BufferLoad':
        this.w('(load ');
        this.bufferRef(e.buffer);
        this.list(e.indices);
        this.w(')');
        return;
      case 'ProducerLoad': {
        let n = this.producers.get(e.producer);
        if (n === undefined) {
          n = this.producers.size;
          this.producers.set(e.producer, n);
          this.w(`P${n}:${e.producer.dtype}`);
          this.list(e.producer.shape);
        }
        this.w(`(pload P${n} `);
        this.list(e.indices);
        this.w(')');
        return;
      }
      case 'Reduce':
        this.w(`(reduce:${e.combiner}:${e.dtype} `);
        this.bindAll(e.axis, () => {
          this.expr(e.source);
          this.w(' ');
          this.expr(e.condition);
        });
        this.w(')');
        return;
    }
  }

  stmt(s: Stmt): void {
    switch (s.kind) {
      case 'For':
        this.w(`{for:${s.forKind}:${s.threadTag ?? ''}:${stableJson(s.annotations)} `);
        this.expr(s.min);
        this.w(' ');
        this.expr(s.extent);
        this.bind(s.loopVar, () => this.stmt(s.body));
        this.w('}');
        return;
      case 'LetStmt':
        this.w('{let ');
        this.expr(s.value);
        this.bind(s.variable, () => this.stmt(s.body));
        this.w('}');
        return;
      case 'IfThenElse':
        this.w('{if ');
        this.expr(s.condition);
        this.stmt(s.thenCase);
        if (s.elseCase) {
          this.w(' else ');
          this.stmt(s.elseCase);
        }
        this.w('}');
        return;
      case 'SeqStmt':
        this.w('{seq ');
        for (const c of s.seq) this.stmt(c);
        this.w('}');
        return;
      case 'BufferStore':
        this.w('{store ');
        this.bufferRef(s.buffer);
        this.list(s.indices);
        this.expr(s.value);
        this.w('}');
        return;
      case 'Allocate': {
        this.w('{alloc ');
        const outer = this.bufs.get(s.buffer.id);
        this.bufferDef(s.buffer);
        this.stmt(s.body);
        if (outer === undefined) this.bufs.delete(s.buffer.id);
        else this.bufs.set(s.buffer.id, outer);
        this.w('}');
        return;
      }
      case 'Evaluate':
        this.w('{eval ');
        this.expr(s.value);
        this.w('}');
        return;
    }
  }

  func(f: PrimFunc): void {
    this.w('(func ');
    for (const p of f.params) this.bufferDef(p);
    this.w(` attrs=${stableJson(f.attrs)} `);
    this.stmt(f.body);
    this.w(')');
  }
}

/** The canonical serialization behind equality and hashing (exported for debugging). */
export function canonicalText(x: Structural): string {
  const c = new Canon();
  if (x.kind === 'PrimFunc') c.func(x);
  else if (isStmt(x)) c.stmt(x);
  else c.expr(x);
  return c.text();
}

/** True when `a` and `b` are the same IR up to a consistent renaming of variables and buffers. */
export function structuralEqual(a: Structural, b: Structural): boolean {
  return a === b || canonicalText(a) === canonicalText(b);
}

/** cyrb53-style 2×32-bit string hash, written as 16 hex digits. */
function hash64(s: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}

/** A hash (16 hex digits) equal for structurally equal IR; names do not affect it. */
export function structuralHash(x: Structural): string {
  return hash64(canonicalText(x));
}
