// tests/tir/arith/merge_div_mod.test.ts — mergeDivMod (tir/arith/merge_div_mod.ts, session 18) on hand-built linear
// forms, each result checked against plain JS at every point: floordiv(x, c)·k·c + floormod(x', c)·k becomes x·k
// where x' ≡ x (mod c) term by term — constants included (x + 4 against x, c = 4) — and nothing else merges: a
// constant that is not congruent, a floordiv by another divisor, a floordiv in the remainder's place (only a floormod
// starts a merge), a floormod by a variable (not a constant divisor: left as it is, no error).

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { print } from '../../../tir/printer.js';
import { substituteExpr } from '../../../tir/functor.js';
import { simplifyExpr } from '../../../tir/arith/index.js';
import { linAdd, linAtom, linConst, linScale, linToExpr, type Linear } from '../../../tir/arith/linear.js';
import { mergeDivMod } from '../../../tir/arith/merge_div_mod.js';

const c = (n: number): t.IntImm => t.intImm(n);
const [a, b] = ['a', 'b'].map((n) => t.variable(n)) as [t.Var, t.Var];
const fdiv = (x: number, y: number): number => Math.floor(x / y);
const fmod = (x: number, y: number): number => x - fdiv(x, y) * y;

/** The affine form of an expression built from +, ·constant, constants and atoms (as bound inference takes one apart). */
function linearOf(e: t.PrimExpr): Linear {
  if (e.kind === 'IntImm') return linConst(e.value);
  if (e.kind === 'BinaryOp' && e.op === 'add') return linAdd(linearOf(e.a), linearOf(e.b));
  if (e.kind === 'BinaryOp' && e.op === 'mul' && e.b.kind === 'IntImm') return linScale(linearOf(e.a), e.b.value);
  return linAtom(e);
}

/** Σ kᵢ·atomᵢ as a Linear, the terms in the order given. */
function sum(...terms: [number, t.PrimExpr][]): Linear {
  return terms.reduce<Linear>((l, [k, e]) => linAdd(l, linScale(linAtom(e), k)), linConst(0));
}

/** The value of `e` at a = va, b = vb (every atom here folds to a constant once they are set). */
function valueAt(e: t.PrimExpr, va: number, vb: number): number {
  const v = simplifyExpr(substituteExpr(e, new Map([[a, c(va)], [b, c(vb)]])));
  if (v.kind !== 'IntImm') throw new Error(`${print(e)} did not fold at a=${va} b=${vb}: ${print(v)}`);
  return v.value;
}

/** mergeDivMod(l) as an expression, checked equal to `js` at a ∈ [-9, 20], b ∈ [1, 5] (b is a divisor in one case). */
function merged(l: Linear, js: (a: number, b: number) => number): string {
  const out = linToExpr(mergeDivMod(l, linearOf));
  for (let va = -9; va <= 20; va++) for (let vb = 1; vb <= 5; vb++) {
    expect(valueAt(out, va, vb), `${print(out)} at a=${va} b=${vb}`).toBe(js(va, vb));
  }
  return print(out);
}

describe('mergeDivMod', () => {
  it('floordiv(x, 4)·4 + floormod(x, 4) → x, for x = a and for x = a + 4b + 1 with the remainder\'s b reduced away', () => {
    expect(merged(sum([4, t.floordiv(a, c(4))], [1, t.floormod(a, c(4))]), (va) => va)).toBe('a');
    const x = t.add(t.add(a, t.mul(b, c(4))), c(1));
    // floormod(a + 1, 4) ≡ floormod(a + 4b + 1, 4): the coefficient 4 of b is 0 mod 4.
    expect(merged(sum([8, t.floordiv(x, c(4))], [2, t.floormod(t.add(a, c(1)), c(4))]), (va, vb) => 2 * (va + 4 * vb + 1))).toBe('b * 8 + a * 2 + 2');
  });

  it('constants congruent modulo c merge: floordiv(a + 4, 4)·4 + floormod(a, 4) → a + 4; a + 5 against a does not', () => {
    expect(merged(sum([4, t.floordiv(t.add(a, c(4)), c(4))], [1, t.floormod(a, c(4))]), (va) => va + 4)).toBe('a + 4');
    const kept = merged(sum([4, t.floordiv(t.add(a, c(5)), c(4))], [1, t.floormod(a, c(4))]), (va) => 4 * fdiv(va + 5, 4) + fmod(va, 4));
    expect(kept).toContain('//');
    expect(kept).toContain('%');
  });

  it('a floordiv by another divisor stays: floordiv(a, 8)·4 + floormod(a, 4)', () => {
    const kept = merged(sum([4, t.floordiv(a, c(8))], [1, t.floormod(a, c(4))]), (va) => 4 * fdiv(va, 8) + fmod(va, 4));
    expect(kept).toContain('a // 8');
    expect(kept).toContain('a % 4');
  });

  it('only a floormod starts a merge: floordiv(a, 4) + floordiv(a + 4, 4)·4 and min(a, 4) + floordiv(a + 4, 4)·4 stay', () => {
    const twoDivs = merged(sum([1, t.floordiv(a, c(4))], [4, t.floordiv(t.add(a, c(4)), c(4))]), (va) => fdiv(va, 4) + 4 * fdiv(va + 4, 4));
    expect(twoDivs).toContain('a // 4');
    const withMin = merged(sum([1, t.min(a, c(4))], [4, t.floordiv(t.add(a, c(4)), c(4))]), (va) => Math.min(va, 4) + 4 * fdiv(va + 4, 4));
    expect(withMin).toContain('min(');
  });

  it('a floormod by a variable is left as it is (no constant divisor), beside a floordiv by the same variable', () => {
    const kept = merged(sum([1, t.floormod(a, b)], [1, t.floordiv(a, b)]), (va, vb) => fmod(va, vb) + fdiv(va, vb));
    expect(kept).toContain('a % b');
    expect(kept).toContain('a // b');
  });
});
