// tests/tir/arith/same_expr_cases.test.ts — sameExpr on te tensor reads (ProducerLoad): equal only
// for the same tensor at equal indices. A wrong "same" folds max(P[i], Q[i]) to one arm (a wrong
// value); checked through simplifyExpr against plain JS on the tensors' values. And linToExpr
// leaves zero-coefficient terms out (a Linear built by hand may hold them).

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { linToExpr, sameExpr, simplifyExpr, type Linear } from '../../../tir/arith/index.js';
import { print } from '../../../tir/printer.js';

const c = (n: number): t.IntImm => t.intImm(n);
const i = t.variable('i');
const j = t.variable('j');
const P: t.DataProducer = { name: 'P', shape: [c(8)], dtype: 'int32' };
const Q: t.DataProducer = { name: 'Q', shape: [c(8)], dtype: 'int32' };
const pv = [5, -3, 9, 0, 2, 7, -8, 1];
const qv = [1, 4, -2, 6, 2, -9, 3, 8];

/** Plain-JS value of an expression over P, Q, i, j (the few node kinds built here). */
function evalJS(e: t.PrimExpr, env: Map<t.Var, number>): number {
  switch (e.kind) {
    case 'IntImm': return e.value;
    case 'Var': return env.get(e)!;
    case 'ProducerLoad': return (e.producer === P ? pv : qv)[evalJS(e.indices[0]!, env)]!;
    case 'BinaryOp': {
      const a = evalJS(e.a, env);
      const b = evalJS(e.b, env);
      return e.op === 'max' ? Math.max(a, b) : e.op === 'min' ? Math.min(a, b) : e.op === 'add' ? a + b : e.op === 'sub' ? a - b : NaN;
    }
    case 'CompareOp': return evalJS(e.a, env) < evalJS(e.b, env) ? 1 : 0;
    case 'Select': return evalJS(e.condition, env) ? evalJS(e.trueValue, env) : evalJS(e.falseValue, env);
    default: throw new Error(`evalJS: ${e.kind}`);
  }
}

describe('sameExpr on ProducerLoad', () => {
  it('same tensor and equal indices only', () => {
    expect(sameExpr(t.producerLoad(P, [t.add(i, c(1))]), t.producerLoad(P, [t.add(i, c(1))]))).toBe(true);
    expect(sameExpr(t.producerLoad(P, [i]), t.producerLoad(Q, [i]))).toBe(false);
    expect(sameExpr(t.producerLoad(P, [i]), t.producerLoad(P, [j]))).toBe(false);
    expect(sameExpr(t.producerLoad(P, [i]), t.producerLoad(Q, [j]))).toBe(false);
  });

  it('simplifyExpr folds min/max/select of the same read and keeps different reads (values vs plain JS)', () => {
    const cases: [t.PrimExpr, boolean][] = [
      [t.max(t.producerLoad(P, [i]), t.producerLoad(Q, [i])), false],
      [t.min(t.producerLoad(P, [i]), t.producerLoad(P, [j])), false],
      [t.max(t.producerLoad(P, [i]), t.producerLoad(Q, [j])), false],
      [t.select(t.lt(i, j), t.producerLoad(P, [i]), t.producerLoad(Q, [i])), false],
      [t.max(t.producerLoad(P, [i]), t.producerLoad(P, [i])), true],
      [t.select(t.lt(i, j), t.producerLoad(Q, [j]), t.producerLoad(Q, [j])), true],
    ];
    for (const [e, folds] of cases) {
      const s = simplifyExpr(e);
      expect(s.kind === 'ProducerLoad', `${print(e)} → ${print(s)}`).toBe(folds);
      for (let a = 0; a < 8; a++) for (let b = 0; b < 8; b++) {
        const env = new Map([[i, a], [j, b]]);
        expect(evalJS(s, env), `${print(s)} at i=${a}, j=${b}`).toBe(evalJS(e, env));
      }
    }
  });
});

describe('linToExpr', () => {
  it('leaves zero-coefficient terms out', () => {
    const lin: Linear = { terms: new Map([['i', { atom: i, coeff: 0 }], ['j', { atom: j, coeff: 2 }]]), c: 3 };
    expect(print(linToExpr(lin))).toBe(print(t.add(t.mul(j, c(2)), c(3))));
    const onlyZero: Linear = { terms: new Map([['i', { atom: i, coeff: 0 }]]), c: -4 };
    expect(print(linToExpr(onlyZero))).toBe('-4');
  });
});
