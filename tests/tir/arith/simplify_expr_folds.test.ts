// tests/tir/arith/simplify_expr_folds.test.ts — simplifyExpr's folds that no other test reached:
// float constant arithmetic, comparisons decided by a variable's range (all six operators, folded
// exactly when every value in the range agrees), float constant comparisons (NaN included), `not`,
// constant casts, `if_then_else` with a known condition, and a Reduce's body under its axis ranges.
// Every answer is computed in plain JS here, never by the interpreter.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { simplifyExpr } from '../../../tir/arith/index.js';
import { print } from '../../../tir/printer.js';

const f32 = (v: number): t.FloatImm => t.floatImm(v, 'float32');
const x = t.variable('x');
const fv = t.variable('f', 'float32');

/** Plain-JS value of a small int/bool expression in one variable x (compares give 0/1). */
function js(e: t.PrimExpr, xv: number): number {
  switch (e.kind) {
    case 'IntImm': case 'FloatImm': return e.value;
    case 'Var': if (e === x) return xv; throw new Error(`js: free ${e.name}`);
    case 'BinaryOp': {
      const a = js(e.a, xv); const b = js(e.b, xv);
      switch (e.op) {
        case 'add': return a + b; case 'sub': return a - b; case 'mul': return a * b;
        case 'min': return Math.min(a, b); case 'max': return Math.max(a, b);
        case 'floordiv': return Math.floor(a / b); case 'floormod': return a - Math.floor(a / b) * b;
        default: throw new Error(`js: ${e.op}`);
      }
    }
    case 'CompareOp': {
      const a = js(e.a, xv); const b = js(e.b, xv);
      const r = { lt: a < b, le: a <= b, gt: a > b, ge: a >= b, eq: a === b, ne: a !== b }[e.op];
      return r ? 1 : 0;
    }
    case 'Not': return js(e.a, xv) ? 0 : 1;
    case 'LogicalOp': return e.op === 'and' ? (js(e.a, xv) && js(e.b, xv) ? 1 : 0) : (js(e.a, xv) || js(e.b, xv) ? 1 : 0);
    default: throw new Error(`js: ${e.kind}`);
  }
}

describe('simplifyExpr: float constants', () => {
  const cases: [t.BinaryOpName, number, number, number][] = [
    ['add', 1.5, 2.25, 3.75], ['sub', 1.5, 2.25, -0.75], ['sub', 2.25, 1.5, 0.75], ['mul', 1.5, -4, -6],
    ['div', 3, 4, 0.75], ['div', 4, 3, Math.fround(4 / 3)], ['min', 1.5, -2, -2], ['min', -2, 1.5, -2],
    ['max', 1.5, -2, 1.5], ['max', -2, 1.5, 1.5],
  ];
  it.each(cases)('%s(%d, %d) folds to %d', (op, a, b, want) => {
    const s = simplifyExpr(t.binary(op, f32(a), f32(b)));
    expect(s.kind).toBe('FloatImm');
    expect((s as t.FloatImm).value).toBe(want);
    expect(s.dtype).toBe('float32');
  });

  it('x * 1.0, 1.0 * x and x / 1.0 are x; x - 1.0, x * 2.0 stay', () => {
    expect(simplifyExpr(t.mul(fv, f32(1)))).toBe(fv);
    expect(simplifyExpr(t.mul(f32(1), fv))).toBe(fv);
    expect(simplifyExpr(t.div(fv, f32(1)))).toBe(fv);
    expect(print(simplifyExpr(t.sub(fv, f32(1))))).toBe(print(t.sub(fv, f32(1))));
    expect(simplifyExpr(t.mul(fv, f32(2))).kind).toBe('BinaryOp');
    expect(simplifyExpr(t.div(f32(1), fv)).kind).toBe('BinaryOp');
  });

  const cmp: [t.CompareOpName, number, number][] = [];
  for (const op of ['lt', 'le', 'gt', 'ge', 'eq', 'ne'] as const) for (const [a, b] of [[1, 2], [2, 2], [3, 2], [NaN, 1], [1, NaN]]) cmp.push([op, a!, b!]);
  it.each(cmp)('float %s(%d, %d) folds to the JS comparison', (op, a, b) => {
    const s = simplifyExpr(t.compare(op, f32(a), f32(b)));
    const want = { lt: a < b, le: a <= b, gt: a > b, ge: a >= b, eq: a === b, ne: a !== b }[op];
    expect(s.kind).toBe('IntImm');
    expect(s.dtype).toBe('bool');
    expect((s as t.IntImm).value).toBe(want ? 1 : 0);
  });

  it('a float comparison with a variable is kept, its operands simplified', () => {
    const e = t.lt(fv, t.add(f32(1), f32(2)));
    const s = simplifyExpr(e);
    expect(print(s)).toBe(print(t.lt(fv, f32(3))));
    const same = t.lt(fv, f32(3));
    expect(simplifyExpr(same)).toBe(same);
  });
});

describe('simplifyExpr: comparisons decided by a variable range', () => {
  const ops = ['lt', 'le', 'gt', 'ge', 'eq', 'ne'] as const;
  const ranges: [number, number][] = [[0, 1], [0, 4], [-3, 5], [2, 3], [-6, 2]];
  for (const op of ops) {
    it(`${op}(x, k) and ${op}(k, x) fold exactly when every x in the range agrees`, () => {
      for (const [lo, ext] of ranges) {
        const rs = new Map([[x, t.range(lo, ext)]]);
        for (let k = lo - 2; k <= lo + ext + 1; k++) {
          for (const e of [t.compare(op, x, t.intImm(k)), t.compare(op, t.intImm(k), x), t.compare(op, t.add(x, t.intImm(1)), t.intImm(k))]) {
            const vals = new Set<number>();
            for (let v = lo; v < lo + ext; v++) vals.add(js(e, v));
            const s = simplifyExpr(e, rs);
            if (vals.size === 1) {
              expect(s.kind, `${print(e)} on [${lo}, ${lo + ext})`).toBe('IntImm');
              expect((s as t.IntImm).value, print(e)).toBe([...vals][0]);
            } else {
              expect(s.kind, `${print(e)} on [${lo}, ${lo + ext}) → ${print(s)}`).not.toBe('IntImm');
              for (let v = lo; v < lo + ext; v++) expect(js(s, v), `${print(e)} → ${print(s)} at x=${v}`).toBe(js(e, v));
            }
          }
        }
      }
    });
  }
});

describe('simplifyExpr: not', () => {
  it('folds constants and double negation, negates comparisons', () => {
    expect(simplifyExpr(t.not(t.intImm(1, 'bool')))).toEqual(t.intImm(0, 'bool'));
    expect(simplifyExpr(t.not(t.intImm(0, 'bool')))).toEqual(t.intImm(1, 'bool'));
    const b = t.variable('b', 'bool');
    expect(simplifyExpr(t.not(t.not(b)))).toBe(b);
    expect(simplifyExpr(t.not(b))).toEqual(t.not(b));
    const nb = t.not(b);
    expect(simplifyExpr(nb)).toBe(nb);
    // not(p) where p is an and: stays a Not of the simplified operand
    const p = t.and(b, t.lt(x, t.add(t.intImm(2), t.intImm(1))));
    const s = simplifyExpr(t.not(p));
    expect(s.kind).toBe('Not');
    expect(print(s)).toBe(print(t.not(t.and(b, t.lt(x, t.intImm(3))))));
    for (const op of ['lt', 'le', 'gt', 'ge', 'eq', 'ne'] as const) {
      const e = t.not(t.compare(op, x, t.intImm(2)));
      const n = simplifyExpr(e);
      expect(n.kind, print(n)).toBe('CompareOp');
      for (let v = -3; v <= 6; v++) expect(js(n, v), `${print(e)} → ${print(n)} at ${v}`).toBe(js(e, v));
    }
  });
});

describe('simplifyExpr: constant casts', () => {
  const cases: [t.PrimExpr, t.DataType, number][] = [
    [t.intImm(7), 'float32', 7], [t.intImm(-3), 'float16', -3], [f32(2.75), 'int32', 2], [f32(-2.75), 'int32', -2],
    [t.intImm(5), 'bool', 1], [t.intImm(0), 'bool', 0], [f32(0.5), 'bool', 1], [f32(-0), 'bool', 0],
    [t.intImm(1, 'bool'), 'int32', 1],
    // float32 0.1 to float16: the nearest half, 0x2E66 (exponent 11 − 15, mantissa 0x266).
    [f32(0.1), 'float16', (1 + 0x266 / 1024) * 2 ** -4],
  ];
  it.each(cases)('cast(%j → %s) folds to %d', (v, dtype, want) => {
    const s = simplifyExpr(t.cast(dtype, v));
    expect(s.kind).toBe(t.isFloat(dtype) ? 'FloatImm' : 'IntImm');
    expect(s.dtype).toBe(dtype);
    expect((s as t.IntImm).value).toBe(want);
  });

  it('NaN and ±∞ cast to int32 are kept as casts; a cast of a folded operand is rebuilt', () => {
    for (const v of [NaN, Infinity, -Infinity]) {
      const s = simplifyExpr(t.cast('int32', f32(v)));
      expect(s.kind).toBe('Cast');
    }
    const s = simplifyExpr(t.cast('float32', t.add(x, t.mul(t.intImm(0), x))));
    expect(print(s)).toBe(print(t.cast('float32', x)));
    const same = t.cast('float32', x);
    expect(simplifyExpr(same)).toBe(same);
    const vec = t.cast('float32x4', t.broadcast(t.intImm(3), 4));
    expect(simplifyExpr(vec).kind).toBe('Cast');
  });
});

describe('simplifyExpr: calls', () => {
  it('if_then_else with a known condition is its arm; otherwise its arguments are simplified', () => {
    const a = t.add(x, t.intImm(1));
    const b = t.sub(x, t.intImm(1));
    expect(print(simplifyExpr(t.ifThenElseExpr(t.lt(t.intImm(1), t.intImm(2)), a, b)))).toBe(print(a));
    expect(print(simplifyExpr(t.ifThenElseExpr(t.gt(t.intImm(1), t.intImm(2)), a, b)))).toBe(print(b));
    const rs = new Map([[x, t.range(0, 4)]]);
    expect(print(simplifyExpr(t.ifThenElseExpr(t.lt(x, t.intImm(4)), a, b), rs))).toBe(print(a));
    const c = t.ifThenElseExpr(t.lt(x, t.intImm(2)), t.add(a, t.intImm(0)), b);
    const s = simplifyExpr(c, rs);
    expect(s.kind).toBe('Call');
    expect(print(s)).toBe(print(t.ifThenElseExpr(t.lt(x, t.intImm(2)), a, b)));
    expect(c.args[1]).not.toBe(a); // the input is not changed
    const same = t.ifThenElseExpr(t.lt(x, t.intImm(2)), a, b);
    expect(simplifyExpr(same, rs)).toBe(same);
  });

  it('a math call folds its arguments but is not evaluated', () => {
    const e = t.call('exp', [t.add(f32(1), f32(1))]);
    const s = simplifyExpr(e);
    expect(print(s)).toBe(print(t.call('exp', [f32(2)])));
  });
});

describe('simplifyExpr: Reduce', () => {
  it('simplifies the source and condition under the reduce axes\' ranges', () => {
    const k = t.iterVar(t.range(0, 4), 'k', 'reduce');
    const j = t.iterVar(t.range(2, 3), 'j', 'reduce');
    const src = t.cast('float32', t.add(t.floordiv(k.variable, t.intImm(4)), t.floormod(j.variable, t.intImm(8))));
    const cond = t.and(t.lt(k.variable, t.intImm(4)), t.ge(j.variable, t.intImm(2)));
    const r = t.reduce('sum', src, [k, j], cond);
    const s = simplifyExpr(r) as t.Reduce;
    expect(s.kind).toBe('Reduce');
    expect(print(s.source)).toBe(print(t.cast('float32', j.variable)));
    expect(s.condition).toEqual(t.intImm(1, 'bool'));
    expect(s.axis).toBe(r.axis);
    // outside the reduce, k is free again: the same floordiv is not folded
    expect(simplifyExpr(t.floordiv(k.variable, t.intImm(4))).kind).toBe('BinaryOp');
    const plain = t.reduce('sum', t.cast('float32', k.variable), [k]);
    expect(simplifyExpr(plain)).toBe(plain);
  });
});
