// tests/tir/structural.test.ts — equality modulo renaming, and a hash that agrees with it.
import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { structuralEqual, structuralHash } from '../../tir/structural.js';

function scale(name: string, factor: number, kind: t.ForKind = 'serial'): t.PrimFunc {
  const A = t.buffer(`${name}_in`, [32], 'float32');
  const B = t.buffer(`${name}_out`, [32], 'float32');
  const i = t.variable(`${name}_i`);
  return t.primFunc(name, [A, B], t.forLoop(i, 0, 32, kind,
    t.bufferStore(B, t.mul(t.bufferLoad(A, [i]), t.floatImm(factor)), [i])));
}

describe('structuralEqual / structuralHash', () => {
  it('treats functions that differ only in variable, buffer and function names as equal', () => {
    const a = scale('f', 2);
    const b = scale('g', 2);
    expect(structuralEqual(a, b)).toBe(true);
    expect(structuralHash(a)).toBe(structuralHash(b));
  });

  it('tells apart a different constant, loop kind or buffer order', () => {
    const a = scale('f', 2);
    expect(structuralEqual(a, scale('f', 3))).toBe(false);
    expect(structuralEqual(a, scale('f', 2, 'parallel'))).toBe(false);
    expect(structuralHash(a)).not.toBe(structuralHash(scale('f', 3)));
    const swapped = t.primFunc('f', [a.params[1]!, a.params[0]!], a.body);
    expect(structuralEqual(a, swapped)).toBe(false);
  });

  it('respects variable binding: i*j is not i*i', () => {
    const [i, j, k] = [t.variable('i'), t.variable('j'), t.variable('k')];
    expect(structuralEqual(t.mul(i, j), t.mul(k, i))).toBe(true);
    expect(structuralEqual(t.mul(i, j), t.mul(i, i))).toBe(false);
  });

  it('is alpha-equivalence: one Var reused by sibling loops equals two distinct Vars', () => {
    const A = t.buffer('A', [8], 'float32');
    const loop = (v: t.Var): t.Stmt => t.forLoop(v, 0, 8, 'serial', t.bufferStore(A, t.floatImm(0), [v]));
    const i = t.variable('i');
    expect(structuralEqual(t.seq([loop(i), loop(i)]), t.seq([loop(t.variable('a')), loop(t.variable('b'))]))).toBe(true);
  });

  it('compares annotations and attrs', () => {
    const A = t.buffer('A', [8], 'float32');
    const i = t.variable('i');
    const st = (step: number): t.Stmt => t.forLoop(i, 0, 8, 'serial', t.bufferStore(A, t.floatImm(0), [i]),
      { annotations: { pragma_auto_unroll_max_step: step } });
    expect(structuralEqual(st(4), st(4))).toBe(true);
    expect(structuralEqual(st(4), st(8))).toBe(false);
    expect(structuralEqual(t.primFunc('f', [A], st(4), { argShapes: [[2, 4]] }), t.primFunc('f', [A], st(4), { argShapes: [[8]] }))).toBe(false);
  });
});
