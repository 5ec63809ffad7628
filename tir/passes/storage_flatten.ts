// tir/passes/storage_flatten.ts — multi-dimensional buffers become one flat row-major dimension;
// parameters keep their logical shapes in `attrs.argShapes` for runtimes and codegens.

import { StmtExprMutator } from '../functor.js';
import {
  add, allocate, broadcast, buffer, bufferLoad, bufferStore, intImm, lanesOf, mul, primFunc,
  type Buffer, type PrimExpr, type PrimFunc, type Stmt,
} from '../nodes.js';

function constMul(a: PrimExpr, b: PrimExpr): PrimExpr {
  if (a.kind === 'IntImm' && b.kind === 'IntImm') return intImm(a.value * b.value);
  if (a.kind === 'IntImm' && a.value === 1) return b;
  if (b.kind === 'IntImm' && b.value === 1) return a;
  return mul(a, b);
}

/** Lifts a scalar index to `lanes` lanes so it can combine with a vector one. */
function lanesLike(e: PrimExpr, lanes: number): PrimExpr {
  return lanes > 1 && lanesOf(e.dtype) === 1 ? broadcast(e, lanes) : e;
}

/** Σ index_k · stride_k (left to right), strides row-major over `shape`, constants folded. */
export function flatIndex(shape: readonly PrimExpr[], indices: readonly PrimExpr[]): PrimExpr {
  if (indices.length === 0) return intImm(0);
  if (indices.length === 1) return indices[0]!;
  const lanes = Math.max(...indices.map((i) => lanesOf(i.dtype)));
  const strides: PrimExpr[] = new Array<PrimExpr>(indices.length);
  let stride: PrimExpr = intImm(1);
  for (let d = indices.length - 1; d >= 0; d--) {
    strides[d] = stride;
    stride = constMul(stride, shape[d]!);
  }
  let acc: PrimExpr | undefined;
  indices.forEach((ix, d) => {
    if (ix.kind === 'IntImm' && ix.value === 0) return;
    const st = strides[d]!;
    const unit = st.kind === 'IntImm' && st.value === 1;
    const term = unit ? ix : lanesOf(ix.dtype) === 1 ? constMul(ix, st) : mul(ix, lanesLike(st, lanes));
    acc = acc ? add(lanesLike(acc, lanes), lanesLike(term, lanes)) : term;
  });
  return acc ? lanesLike(acc, lanes) : intImm(0);
}

function flatSize(b: Buffer): PrimExpr {
  return b.shape.reduce<PrimExpr>((p, d) => constMul(p, d), intImm(1));
}

class Flattener extends StmtExprMutator {
  private readonly flat = new Map<number, Buffer>();

  flatten(b: Buffer): Buffer {
    let f = this.flat.get(b.id);
    if (!f) {
      f = b.shape.length === 1 ? b : buffer(b.name, [flatSize(b)], b.dtype, b.scope);
      this.flat.set(b.id, f);
    }
    return f;
  }

  override mutateExpr(e: PrimExpr): PrimExpr {
    if (e.kind !== 'BufferLoad') return super.mutateExpr(e);
    const indices = e.indices.map((i) => this.mutateExpr(i));
    const fb = this.flatten(e.buffer);
    if (fb === e.buffer && indices.every((x, k) => x === e.indices[k])) return e;
    return bufferLoad(fb, [flatIndex(e.buffer.shape, indices)]);
  }

  override mutateStmt(s: Stmt): Stmt {
    if (s.kind === 'BufferStore') {
      const indices = s.indices.map((i) => this.mutateExpr(i));
      const value = this.mutateExpr(s.value);
      const fb = this.flatten(s.buffer);
      if (fb === s.buffer && value === s.value && indices.every((x, k) => x === s.indices[k])) return s;
      return bufferStore(fb, value, [flatIndex(s.buffer.shape, indices)]);
    }
    if (s.kind === 'Allocate') {
      const fb = this.flatten(s.buffer);
      const body = this.mutateStmt(s.body);
      return fb === s.buffer && body === s.body ? s : allocate(fb, body);
    }
    return super.mutateStmt(s);
  }
}

/**
 * Flattens every buffer to one dimension. Parameters must have constant shapes (they become
 * `attrs.argShapes`); intermediate allocations may be symbolic (their size is the product).
 */
export function storageFlatten(f: PrimFunc): PrimFunc {
  const given = f.attrs['argShapes'];
  if (given !== undefined && f.params.every((p) => p.shape.length === 1)) return f;
  const argShapes = f.params.map((p, i) => p.shape.map((d, k) => {
    if (d.kind !== 'IntImm') throw new TypeError(`storageFlatten ${f.name}: parameter ${i} (${p.name}) has a non-constant dimension ${k}`);
    return d.value;
  }));
  const fl = new Flattener();
  const params = f.params.map((p) => fl.flatten(p));
  const body = fl.mutateStmt(f.body);
  return primFunc(f.name, params, body, { ...f.attrs, argShapes });
}
