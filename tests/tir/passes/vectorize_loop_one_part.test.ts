// tests/tir/passes/vectorize_loop_one_part.test.ts — vectorizeLoop widens an expression when ANY
// ONE of its parts depends on the loop variable, the others staying scalar (broadcast where
// needed): each operand of an arithmetic op, a comparison and a logical op, each of select's
// three parts, a cast, each argument of fma and of if_then_else, not, a let's value or body
// alone. Each loop must come out vectorized (a store with a ramp index, no loop left) and compute
// what plain JS computes; an invariant part stays the very same object inside the broadcast.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { interpret } from '../../../tir/interpreter.js';
import { vectorizeLoop } from '../../../tir/passes/index.js';

const N = 8;
const A = t.buffer('A', [N], 'float32');
const B = t.buffer('B', [N], 'float32');
const F = t.buffer('F', [1], 'float32');
const i = t.variable('i');
const a = t.bufferLoad(A, [i]);
const f0 = t.bufferLoad(F, [t.intImm(0)]);
const fi = t.cast('float32', i);
const c = (x: number): t.FloatImm => t.floatImm(x);
const lv = t.variable('lv', 'float32');
const fr = Math.fround;

type Case = [string, t.PrimExpr, (av: number, f: number, k: number) => number];
const CASES: Case[] = [
  ['sub, a varies', t.sub(a, f0), (av, f) => fr(av - f)],
  ['sub, b varies', t.sub(f0, a), (av, f) => fr(f - av)],
  ['select on a compare whose a varies', t.select(t.lt(a, f0), c(1), c(2)), (av, f) => (av < f ? 1 : 2)],
  ['select on a compare whose b varies', t.select(t.lt(f0, a), c(1), c(2)), (av, f) => (f < av ? 1 : 2)],
  ['and, a varies', t.select(t.and(t.lt(i, t.intImm(5)), t.gt(f0, c(0))), c(1), c(2)), (_a, f, k) => (k < 5 && f > 0 ? 1 : 2)],
  ['or, b varies', t.select(t.or(t.gt(f0, c(10)), t.ge(i, t.intImm(3))), c(1), c(2)), (_a, f, k) => (f > 10 || k >= 3 ? 1 : 2)],
  ['not', t.select(t.not(t.lt(i, t.intImm(3))), c(1), c(2)), (_a, _f, k) => (!(k < 3) ? 1 : 2)],
  ['select, condition alone varies', t.select(t.lt(i, t.intImm(3)), f0, c(2)), (_a, f, k) => (k < 3 ? f : 2)],
  ['select, true value alone varies', t.select(t.gt(f0, c(0)), a, c(2)), (av, f) => (f > 0 ? av : 2)],
  ['select, false value alone varies', t.select(t.gt(f0, c(0)), c(2), a), (av, f) => (f > 0 ? 2 : av)],
  ['cast', t.add(fi, f0), (_a, f, k) => fr(k + f)],
  ['fma, first argument varies', t.call('fma', [a, f0, c(1)]), (av, f) => fr(av * f + 1)],
  ['fma, second argument varies', t.call('fma', [f0, a, c(1)]), (av, f) => fr(f * av + 1)],
  ['fma, third argument varies', t.call('fma', [f0, c(3), a]), (av, f) => fr(f * 3 + av)],
  ['if_then_else, condition alone varies', t.ifThenElseExpr(t.lt(i, t.intImm(4)), f0, c(5)), (_a, f, k) => (k < 4 ? f : 5)],
  ['if_then_else, then alone varies', t.ifThenElseExpr(t.gt(f0, c(0)), a, c(5)), (av, f) => (f > 0 ? av : 5)],
  ['if_then_else, else alone varies', t.ifThenElseExpr(t.gt(f0, c(0)), c(5), a), (av, f) => (f > 0 ? 5 : av)],
  ['let, body alone varies', t.letExpr(lv, t.mul(f0, c(2)), t.add(lv, a)), (av, f) => fr(fr(f * 2) + av)],
  ['let, value alone varies', t.letExpr(lv, t.mul(a, c(2)), t.add(lv, f0)), (av, f) => fr(fr(av * 2) + f)],
];

function run(fn: t.PrimFunc, fv: number): number[] {
  const av = Float32Array.from({ length: N }, (_, k) => k * 1.5 - 4);
  const b = new Float32Array(N).fill(-99);
  interpret(fn, [av, b, Float32Array.of(fv)]);
  return [...b];
}

describe('vectorizeLoop: one part depends on the loop', () => {
  for (const [name, e, js] of CASES) {
    it(name, () => {
      const f = t.primFunc('f', [A, B, F], t.forLoop(i, 0, N, 'vectorized', t.bufferStore(B, e, [i])));
      const g = vectorizeLoop(f);
      expect(g.body.kind).toBe('BufferStore');
      const st = g.body as t.BufferStore;
      expect(st.indices[0]!.kind).toBe('Ramp');
      expect(st.value.dtype).toBe(`float32x${N}`);
      for (const fv of [-1, 2]) {
        const av = Array.from({ length: N }, (_, k) => fr(k * 1.5 - 4));
        expect(run(g, fv)).toEqual(av.map((x, k) => js(x, fv, k)));
      }
    });
  }

  it('a value that does not depend on the loop is broadcast as the same object', () => {
    const e = t.add(f0, c(1));
    const g = vectorizeLoop(t.primFunc('f', [A, B, F], t.forLoop(i, 0, N, 'vectorized', t.bufferStore(B, e, [i]))));
    const st = g.body as t.BufferStore;
    expect(st.value.kind).toBe('Broadcast');
    expect((st.value as t.Broadcast).value).toBe(e);
    expect(run(g, 2)).toEqual(new Array(N).fill(3));
  });
});
