// tests/tir/structural_te.test.ts — structural equality and hashing of te-level expressions
// (ProducerLoad, Reduce with one or more axes) and of shadowed bindings: what the compute-body
// caches key on before lowering. Each expected answer is the hand-derived one: equal exactly when
// the two expressions differ only by a consistent renaming of variables and producers.

import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { structuralEqual, structuralHash } from '../../tir/structural.js';

const producer = (name: string, shape: number[], dtype: t.DataType = 'float32'): t.DataProducer => ({ name, shape: shape.map((d) => t.intImm(d)), dtype });

function same(a: t.PrimExpr | t.Stmt, b: t.PrimExpr | t.Stmt, want: boolean): void {
  expect(structuralEqual(a, b)).toBe(want);
  expect(structuralEqual(b, a)).toBe(want);
  if (want) expect(structuralHash(a)).toBe(structuralHash(b));
  else expect(structuralHash(a)).not.toBe(structuralHash(b));
}

/** sum over k ∈ [kMin, kMin+kExt), j ∈ [0, jExt) of P[k, j] (optionally only where k < j). */
function rowSum(P: t.DataProducer, o: { kMin?: number; kExt?: number; jExt?: number; combiner?: t.ReducerName; cond?: boolean; swapIdx?: boolean } = {}): t.Reduce {
  const k = t.iterVar(t.range(o.kMin ?? 0, o.kExt ?? 4), 'k', 'reduce');
  const j = t.iterVar(t.range(0, o.jExt ?? 3), 'j', 'reduce');
  const idx = o.swapIdx ? [j.variable, k.variable] : [k.variable, j.variable];
  return t.reduce(o.combiner ?? 'sum', t.producerLoad(P, idx), [k, j], o.cond ? t.lt(k.variable, j.variable) : undefined);
}

describe('structural: ProducerLoad', () => {
  it('producers are matched by position, not name; their dtype and shape count', () => {
    const i = t.variable('i');
    const P = producer('P', [8]);
    const Q = producer('Q', [8]);
    same(t.add(t.producerLoad(P, [i]), t.producerLoad(Q, [i])), t.add(t.producerLoad(producer('X', [8]), [i]), t.producerLoad(producer('Y', [8]), [i])), true);
    // the same producer twice is not two producers
    same(t.add(t.producerLoad(P, [i]), t.producerLoad(P, [i])), t.add(t.producerLoad(P, [i]), t.producerLoad(Q, [i])), false);
    // a later read refers back to the right one of two producers
    const pq = (third: t.DataProducer): t.PrimExpr => t.add(t.add(t.producerLoad(P, [i]), t.producerLoad(Q, [i])), t.producerLoad(third, [i]));
    same(pq(P), pq(Q), false);
    same(pq(Q), t.add(t.add(t.producerLoad(Q, [i]), t.producerLoad(P, [i])), t.producerLoad(P, [i])), true);
    same(t.producerLoad(P, [i]), t.producerLoad(producer('P', [9]), [i]), false);
    same(t.producerLoad(P, [i]), t.producerLoad(producer('P', [8], 'float16'), [i]), false);
    same(t.producerLoad(producer('R', [2, 4]), [i, i]), t.producerLoad(producer('R', [4, 2]), [i, i]), false);
    same(t.producerLoad(P, [i]), t.producerLoad(P, [t.add(i, t.intImm(1))]), false);
  });
});

describe('structural: Reduce', () => {
  const P = producer('P', [4, 3]);

  it('equal modulo renaming of its axes and producer', () => {
    same(rowSum(P), rowSum(producer('Z', [4, 3])), true);
    same(rowSum(P, { cond: true }), rowSum(P, { cond: true }), true);
  });

  it('each part counts: combiner, axis domains (min and extent, any axis), condition, source', () => {
    const base = rowSum(P);
    same(base, rowSum(P, { combiner: 'max' }), false);
    same(base, rowSum(P, { kExt: 5 }), false);
    same(base, rowSum(P, { kMin: 1, kExt: 3 }), false);
    same(base, rowSum(P, { kMin: 1 }), false);
    same(base, rowSum(P, { jExt: 2 }), false);
    same(base, rowSum(P, { cond: true }), false);
    same(base, rowSum(P, { swapIdx: true }), false);
    const k = t.iterVar(t.range(0, 4), 'k', 'reduce');
    const f1 = t.reduce('sum', t.cast('float32', k.variable), [k]);
    const k2 = t.iterVar(t.range(0, 4), 'k2', 'reduce');
    const x = t.variable('x');
    // the axis variable is bound by the reduce: a free variable in its place is different
    same(f1, t.reduce('sum', t.cast('float32', t.add(x, t.intImm(0))), [k2]), false);
    same(f1, t.reduce('sum', t.cast('float32', k2.variable), [k2]), true);
  });

  it('an axis variable is bound only inside its reduce', () => {
    const k = t.iterVar(t.range(0, 4), 'k', 'reduce');
    const r = t.reduce('sum', t.cast('float32', k.variable), [k]);
    const k2 = t.iterVar(t.range(0, 4), 'k', 'reduce');
    const r2 = t.reduce('sum', t.cast('float32', k2.variable), [k2]);
    // r + float(k) (k free outside) vs r2 + float(k2) (k2 free outside): the same shape of binding
    same(t.add(r, t.cast('float32', k.variable)), t.add(r2, t.cast('float32', k2.variable)), true);
    // a free variable is numbered at first use, whatever its name or identity
    const y = t.variable('y');
    same(t.add(r, t.cast('float32', k.variable)), t.add(r2, t.cast('float32', y)), true);
  });
});

describe('structural: shadowed bindings are restored', () => {
  it('a loop variable rebound by an inner loop refers to the outer loop again after it', () => {
    const B = t.buffer('B', [4], 'int32');
    const C = t.buffer('C', [4], 'int32');
    const i = t.variable('i');
    const j = t.variable('j');
    const inner = (v: t.Var): t.Stmt => t.forLoop(v, 0, 2, 'serial', t.bufferStore(B, v, [v]));
    const x = t.forLoop(i, 0, 4, 'serial', t.seq([inner(i), t.bufferStore(C, i, [i])]));
    const y = t.forLoop(i, 0, 4, 'serial', t.seq([inner(j), t.bufferStore(C, i, [i])]));
    same(x, y, true);
    // the store after the inner loop reading the inner variable's name is different
    const z = t.forLoop(i, 0, 4, 'serial', t.seq([inner(j), t.bufferStore(C, j, [j])]));
    same(x, z, false);
  });

  it('a buffer re-allocated inside its own allocation refers to the outer one after it', () => {
    const T = t.buffer('T', [2], 'int32', 'local');
    const T2 = t.buffer('T2', [2], 'int32', 'local');
    const store = (b: t.Buffer, v: number): t.Stmt => t.bufferStore(b, t.intImm(v), [t.intImm(0)]);
    const x = t.allocate(T, t.seq([t.allocate(T, store(T, 1)), store(T, 2)]));
    const y = t.allocate(T, t.seq([t.allocate(T2, store(T2, 1)), store(T, 2)]));
    same(x, y, true);
    const z = t.allocate(T, t.seq([t.allocate(T2, store(T2, 1)), store(T2, 2)]));
    same(x, z, false);
  });
});
