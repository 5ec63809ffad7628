// tests/codegen/wasm/hoist_invariants_guards.test.ts — wasm.hoistInvariants (codegen/wasm/
// hoist_invariants.ts) on guard shapes the schedule-built tests seldom make: a row guard as the
// *second* operand of `&&`, inside `not`, as a Select or tir.if_then_else condition, as an IfThenElse
// statement (each unswitched: the interior rows run with the guard folded true), a guard with a
// division, an address whose invariant part is subtracted first (`40 − 8i + j`), an index of constants
// only. Every kernel against plain JS on every wasm config, and the lowered function is checked to be
// unswitched (an `if` on the hoisted guard around a copy of the row).

import { describe, expect, it } from 'vitest';
import { lowerForTarget } from '../../../codegen/target_passes.js';
import { print } from '../../../tir/printer.js';
import * as T from '../../../tir/nodes.js';
import { CONFIGS, runWasm, seededFloats } from './wasm_harness.js';

const f32 = Math.fround;
const R = 6;
const C = 8;
const X = T.buffer('X', [64], 'float32');
const O = T.buffer('O', [R * C], 'float32');
const i = T.variable('i');
const j = T.variable('j');
const n = T.intImm;
const x = seededFloats(64, 5, -2, 2);
const at = (e: T.PrimExpr): T.PrimExpr => T.bufferLoad(X, [e]);
const row = (di: number): T.PrimExpr => T.add(T.mul(T.add(i, n(di)), n(C)), j);
/** for i < R (parallel or serial): for j < C: `body`. */
const nest = (name: string, body: T.Stmt, kind: 'serial' | 'parallel' = 'serial'): T.PrimFunc =>
  T.primFunc(name, [X, O], T.forLoop(i, 0, R, kind, T.forLoop(j, 0, C, 'serial', body)));
const out = T.add(T.mul(i, n(C)), j);
/** 1 ≤ i < R − 1: the rows that have a row above and below. */
const interior = (): T.PrimExpr => T.and(T.compare('ge', i, n(1)), T.compare('lt', i, n(R - 1)));

const cases: { name: string; f: (k: 'serial' | 'parallel') => T.PrimFunc; js: (ii: number, jj: number) => number }[] = [
  {
    name: 'guard second in &&: select(j ≥ 2 && interior, X[row−1] + X[row+1], −1)',
    f: (k) => nest('g_and', T.bufferStore(O, T.select(T.and(T.compare('ge', j, n(2)), interior()), T.add(at(row(-1)), at(row(1))), T.floatImm(-1)), [out]), k),
    js: (ii, jj) => (jj >= 2 && ii >= 1 && ii < R - 1 ? f32(x[(ii - 1) * C + jj]! + x[(ii + 1) * C + jj]!) : -1),
  },
  {
    name: 'guard inside not, with a division: select(not(i // 2 · 2 = i), X[row], 0)',
    f: (k) => nest('g_not', T.bufferStore(O, T.select(T.not(T.compare('eq', T.mul(T.binary('floordiv', i, n(2)), n(2)), i)), at(row(0)), T.floatImm(0)), [out]), k),
    js: (ii, jj) => (ii % 2 === 1 ? x[ii * C + jj]! : 0),
  },
  {
    name: 'guard as tir.if_then_else: if_then_else(interior, X[row−1], 5)',
    f: (k) => nest('g_ite', T.bufferStore(O, T.ifThenElseExpr(interior(), at(row(-1)), T.floatImm(5)), [out]), k),
    js: (ii, jj) => (ii >= 1 && ii < R - 1 ? x[(ii - 1) * C + jj]! : 5),
  },
  {
    name: 'guard as an IfThenElse statement with an else',
    f: (k) => nest('g_if', T.ifThenElse(interior(), T.bufferStore(O, T.mul(at(row(1)), T.floatImm(3)), [out]), T.bufferStore(O, T.floatImm(-7), [out])), k),
    js: (ii, jj) => (ii >= 1 && ii < R - 1 ? f32(x[(ii + 1) * C + jj]! * 3) : -7),
  },
  {
    name: 'an address whose invariant part comes first with a minus: X[40 − 8i + j] + X[3 + 4]',
    f: (k) => nest('g_neg', T.bufferStore(O, T.add(at(T.add(T.sub(n(40), T.mul(i, n(C))), j)), at(T.add(n(3), n(4)))), [out]), k),
    js: (ii, jj) => f32(x[40 - 8 * ii + jj]! + x[7]!),
  },
];

describe('wasm.hoistInvariants on guards and sums (plain JS)', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const want = Array.from({ length: R * C }, (_, k) => c.js(Math.floor(k / C), k % C));
      for (const kind of ['serial', 'parallel'] as const) {
        for (const target of CONFIGS) {
          const o = (await runWasm(c.f(kind), [x.slice(), new Float32Array(R * C).fill(Number.NaN)], target))[1]!;
          expect(Array.from(o), `${kind} ${target}`).toEqual(want);
        }
      }
    });
  }

  it('a row guard is unswitched: an if on the hoisted guard around a copy of the row without it', () => {
    const text = print(lowerForTarget(cases[0]!.f('serial'), 'wasm -threads=1').func);
    // The guard is one hoisted let; the fast copy tests `j ≥ 2` alone, the slow copy the whole condition.
    const g = /(inv\d+): bool = i >= 1 && i < 5/.exec(text);
    expect(g, text).not.toBeNull();
    expect(text).toContain(`if ${g![1]}:`);
    expect(text).toContain('select(j >= 2, X[');
    expect(text).toContain(`select(j >= 2 && ${g![1]}, X[`);
  });
});
